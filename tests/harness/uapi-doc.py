#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Add the netlink spec's documentation to the uAPI header as kernel-doc.

ynl-gen-c.py of Linux 6.12 writes kernel-doc only for enum definitions;
this adds the spec's doc strings to the constants, the attribute enums and
the command enum of the header it generated.

Usage: uapi-doc.py SPEC HEADER   (HEADER is rewritten in place)
"""

import re
import sys
import textwrap

import yaml


def c_upper(name):
    return name.upper().replace('-', '_')


def flat(doc):
    return ' '.join((doc or '').split())


def kdoc(title, items):
    """A kernel-doc block: a title line, then @name: description lines."""
    out = ['/**']
    out += textwrap.wrap(title, 76, initial_indent=' * ',
                         subsequent_indent=' * ')
    for name, doc in items:
        out += textwrap.wrap('@%s: %s' % (name, doc), 76,
                             initial_indent=' * ', subsequent_indent=' *\t')
    out.append(' */')
    return '\n'.join(out) + '\n'


def op_doc(op):
    doc = flat(op.get('doc'))
    if 'admin-perm' in op.get('flags', []):
        doc += ' Needs CAP_NET_ADMIN.'
    for kind in ('do', 'dump', 'event'):
        part = op.get(kind)
        if part is None:
            continue
        if kind == 'event':
            doc += ' Event on group %s, attributes: %s.' % (
                op.get('mcgrp'), ', '.join(part.get('attributes', [])) or 'none')
            continue
        for msg in ('request', 'reply'):
            attrs = (part.get(msg) or {}).get('attributes')
            if attrs:
                doc += ' %s %s: %s.' % (kind.capitalize(), msg, ', '.join(attrs))
    return doc


def main(spec_path, header_path):
    spec = yaml.safe_load(open(spec_path))
    family = spec['name']
    text = open(header_path).read()

    consts = [(c_upper('%s-%s' % (family, d['name'])), flat(d.get('doc')))
              for d in spec.get('definitions', []) if d['type'] == 'const']
    # one kernel-doc block per constant, in front of its #define
    for name, doc in consts:
        text = re.sub(r'^#define %s\b' % name,
                      kdoc('%s - %s' % (name, doc), []).rstrip('\n') +
                      '\n#define %s' % name, text, count=1, flags=re.M)
    text = text.replace('#define %s_FAMILY_NAME' % c_upper(family),
                        kdoc('DOC: %s - %s' % (family, flat(spec.get('doc'))), [])
                        + '\n#define %s_FAMILY_NAME' % c_upper(family), 1)

    for aset in spec['attribute-sets']:
        enum = aset['enum-name']
        prefix = 'MICROMINE_A_%s_' % c_upper(aset['name'])
        items = [(prefix + c_upper(a['name']),
                  flat(a.get('doc')) or ('padding for 64-bit attributes'
                                         if a['type'] == 'pad' else a['name']))
                 for a in aset['attributes']]
        items += [('__' + prefix + 'MAX', 'one past the last attribute'),
                  (prefix + 'MAX', 'the last attribute')]
        block = kdoc('enum %s - %s' % (enum, flat(aset.get('doc'))), items)
        text = text.replace('enum %s {' % enum, block + 'enum %s {' % enum, 1)

    ops = spec['operations']
    items = [('MICROMINE_CMD_' + c_upper(op['name']), op_doc(op))
             for op in ops['list']]
    items += [('__MICROMINE_CMD_MAX', 'one past the last command'),
              ('MICROMINE_CMD_MAX', 'the last command')]
    block = kdoc('enum %s - the commands and events of the %s family'
                 % (ops['enum-name'], family), items)
    text = text.replace('enum %s {' % ops['enum-name'],
                        block + 'enum %s {' % ops['enum-name'], 1)
    open(header_path, 'w').write(text)
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
