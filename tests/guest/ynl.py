#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The kernel's own YNL CLI against micromine.ko, with nothing but the spec.

Every operation of Documentation/netlink/specs/micromine.yaml is driven by
tools/net/ynl/cli.py (from Debian's linux-source-6.12), events come from
its --subscribe, and the policies the kernel reports through nlctrl's
getpolicy must be those the spec asks for: this proves the module and the
spec agree.  TAP on stdout.
"""

import json
import os
import subprocess
import sys
import time

import yaml

TOP = os.environ['MM_TOP']
KSRC = os.path.join(os.environ.get('MM_CACHE') or os.path.join(TOP, '.cache'), 'linux-source-6.12')
CLI = os.path.join(KSRC, 'tools/net/ynl/cli.py')
SPEC = os.path.join(TOP, 'Documentation/netlink/specs/micromine.yaml')
NLCTRL = os.path.join(KSRC, 'Documentation/netlink/specs/nlctrl.yaml')

GENESIS = ('0100000000000000000000000000000000000000000000000000000000000000'
           '000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa'
           '4b1e5e4a29ab5f49ffff001d1dac2b7c')
GENESIS_NONCE = 2083236893
GENESIS_HASH = bytes.fromhex(
    '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f')[::-1]

n = 0
failed = 0


def ok(cond, desc, diag=None):
    global n, failed
    n += 1
    print('%s %d %s' % ('ok' if cond else 'not ok', n, desc))
    if not cond:
        failed += 1
        if diag:
            for line in str(diag).splitlines()[:20]:
                print('# ' + line)
    sys.stdout.flush()
    return cond


def ynl(args, spec=SPEC):
    """Run the CLI; return (exit status, decoded JSON or None, stderr)."""
    p = subprocess.run([sys.executable, CLI, '--spec', spec, '--no-schema',
                        '--output-json'] + args, capture_output=True, text=True)
    out = None
    if p.stdout.strip():
        try:
            out = json.loads(p.stdout)
        except ValueError:
            out = None
    return p.returncode, out, p.stderr + (p.stdout if out is None else '')


def do(op, req=None):
    args = ['--do', op]
    if req is not None:
        args += ['--json', json.dumps(req)]
    return ynl(args)


def as_bytes(v):
    if isinstance(v, (bytes, bytearray)):
        return bytes(v)
    if isinstance(v, str):
        try:
            return bytes.fromhex(v)
        except ValueError:
            return v.encode()
    if isinstance(v, list):
        return bytes(v)
    return v


def subscribed(pid, timeout):
    """Wait until process @pid has a generic netlink socket that joined a
    multicast group, or sleeps: the CLI sleeps only once it subscribed.
    (/proc/net/netlink shows the groups below 32 only, and ours is above
    where more families registered before it, as on the debug kernel.)"""
    deadline = time.time() + timeout
    while time.time() < deadline:
        inodes = set()
        if not os.path.isdir('/proc/%d/fd' % pid):
            return False
        try:
            with open('/proc/%d/wchan' % pid) as f:
                if 'nanosleep' in f.read():
                    return True
        except OSError:
            pass
        for fd in os.listdir('/proc/%d/fd' % pid):
            try:
                link = os.readlink('/proc/%d/fd/%s' % (pid, fd))
            except OSError:
                continue
            if link.startswith('socket:['):
                inodes.add(link[8:-1])
        with open('/proc/net/netlink') as f:
            for col in (line.split() for line in f.read().splitlines()[1:]):
                if col[1] == '16' and col[9] in inodes and int(col[3], 16):
                    time.sleep(0.5)  # then it sleeps, listening
                    return True
        time.sleep(0.2)
    return False


def consts(spec):
    return {d['name']: d['value'] for d in spec.get('definitions', [])
            if d['type'] == 'const'}


def check_policies(spec):
    """Every operation's kernel policy against the spec's request attributes."""
    rc, dump, err = ynl(['--dump', 'getpolicy', '--json',
                         json.dumps({'family-name': 'micromine'})], spec=NLCTRL)
    if not ok(rc == 0 and isinstance(dump, list), 'nlctrl getpolicy dumps the policies', err):
        return
    op_policy = {}
    policies = {}
    for msg in dump:
        if 'op-policy' in msg:
            p = msg['op-policy']
            op_policy[p['op-id']] = p
        if 'policy' in msg:
            p = msg['policy']
            policies.setdefault(p['policy-id'], {})[p['attr-id']] = p
    if not op_policy:
        ok(True, 'per-operation policies # SKIP this kernel does not dump them')
        return

    limits = consts(spec)
    sets = {s['name']: s for s in spec['attribute-sets']}
    kernel_type = {'u8': 'u8', 'u16': 'u16', 'u32': 'u32', 'u64': 'u64',
                   'flag': 'flag', 'binary': 'binary', 'string': 'nul-string'}
    full = {'u8': 0xff, 'u16': 0xffff, 'u32': 0xffffffff, 'u64': 0xffffffffffffffff}

    def limit(v):
        return limits.get(v, v) if isinstance(v, str) else v

    for value, op in enumerate(spec['operations']['list'], 1):
        for kind in ('do', 'dump'):
            if kind not in op or 'event' in op:
                continue
            want = ((op[kind] or {}).get('request') or {}).get('attributes', [])
            idx = op_policy.get(value, {}).get(kind)
            got = policies.get(idx, {}) if idx is not None else {}
            aset = {a['name']: (i, a) for i, a in
                    enumerate(sets[op['attribute-set']]['attributes'], 1)}
            problems = []
            wanted_ids = set()
            for name in want:
                aid, attr = aset[name]
                wanted_ids.add(aid)
                pol = got.get(aid)
                if pol is None:
                    problems.append('%s: not accepted' % name)
                    continue
                if pol.get('type') != kernel_type[attr['type']]:
                    problems.append('%s: type %s, spec %s' % (name, pol.get('type'),
                                                                attr['type']))
                checks = attr.get('checks', {})
                if 'exact-len' in checks:
                    e = limit(checks['exact-len'])
                    if (pol.get('min-length'), pol.get('max-length')) != (e, e):
                        problems.append('%s: length %s..%s, spec exactly %s' % (
                            name, pol.get('min-length'), pol.get('max-length'), e))
                if 'max-len' in checks and pol.get('max-length') != limit(checks['max-len']):
                    problems.append('%s: max length %s, spec %s' % (
                        name, pol.get('max-length'), limit(checks['max-len'])))
                if attr['type'] in full:
                    lo = limit(checks.get('min', 0))
                    hi = limit(checks.get('max', full[attr['type']]))
                    if (pol.get('min-value-u'), pol.get('max-value-u')) != (lo, hi):
                        problems.append('%s: range %s..%s, spec %s..%s' % (
                            name, pol.get('min-value-u'), pol.get('max-value-u'), lo, hi))
            extra = sorted(set(got) - wanted_ids)
            if extra:
                problems.append('accepts attributes %s the spec does not list' % extra)
            ok(not problems, 'the kernel policy of %s (%s) is the spec\'s' % (op['name'], kind),
               '\n'.join(problems))


def main():
    spec = yaml.safe_load(open(SPEC))
    print('TAP version 13')
    if subprocess.run(['insmod', os.environ['MM_KO']]).returncode:
        print('Bail out! cannot load the module')
        return 1

    # config-get, then several settings each read back, in one run of the
    # CLI (each run costs seconds of Python under TCG: the CPUs and backends
    # to set come from sysfs)
    backends = open('/sys/kernel/micromine/backends').read().split()
    cpus = open('/sys/kernel/micromine/cpus').read().strip()
    sets = [{'duty-cycle': 40}, {'enabled': 0}, {'enabled': 1}, {'cpus': cpus},
            {'chunk-min': 128, 'chunk-max': 8192}, {'duty-cycle': 100}]
    sets += [{'backend': b} for b in backends]
    args = ['--multi', 'config-get', '{}']
    for req in sets:
        args += ['--multi', 'config-set', json.dumps(req), '--multi', 'config-get', '{}']
    rc, replies, err = ynl(args)
    gets = [r for r in replies if r] if isinstance(replies, list) else []
    cfg = gets.pop(0) if gets else {}
    ok(rc == 0 and isinstance(cfg, dict), 'config-get', err)
    want = ['enabled', 'cpus', 'duty-cycle', 'backend', 'chunk-min', 'chunk-max',
            'backends', 'share-queue-len']
    ok(all(k in cfg for k in want), 'config-get has every attribute of its reply',
       'missing: %s' % [k for k in want if k not in cfg])
    got_backends = cfg.get('backends', [])
    ok(sorted(got_backends if isinstance(got_backends, list) else [got_backends]) ==
       sorted(backends), 'config-get lists the backends sysfs lists', got_backends)
    for i, req in enumerate(sets):
        now = gets[i] if i < len(gets) else {}
        ok(rc == 0 and all(now.get(k) == v for k, v in req.items()),
           'config-set %s' % json.dumps(req), '%s %s' % (now, err))
    rc, _, err = do('config-set', {'duty-cycle': 0})
    ok(rc != 0 and 'duty-cycle' in err, 'config-set rejects duty-cycle 0, naming it', err)

    # Events, from the CLI's own subscription: it subscribes (a few seconds
    # of Python under TCG), sleeps, then prints what arrived.  Every event
    # is caused by one CLI run in that window: the genesis job (started,
    # share found, exhausted) and a pause and resume.
    sub = subprocess.Popen([sys.executable, CLI, '--spec', SPEC, '--no-schema',
                            '--output-json', '--subscribe', 'events', '--sleep', '16'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t0 = time.time()
    listening = subscribed(sub.pid, 10)
    print('# the CLI listens after %.1f s%s' % (time.time() - t0,
                                               '' if listening else ' (or not: gave up)'))
    target = GENESIS_HASH.hex()
    job = {'job-id': 11, 'header': GENESIS, 'target': target,
           'nonce-start': GENESIS_NONCE - 50, 'nonce-count': 100}
    rc, replies, err = ynl(['--multi', 'job-submit', json.dumps(job),
                            '--multi', 'config-set', '{"enabled": 0}',
                            '--multi', 'config-set', '{"enabled": 1}'])
    reply = replies[0] if isinstance(replies, list) and replies else None
    ok(rc == 0 and isinstance(reply, dict) and reply.get('job-id') == 11 and
       reply.get('position') == 0, 'job-submit replies with the job and its position',
       '%s %s' % (replies, err))
    ok(rc == 0, 'config-set pauses and resumes', err)
    deadline = time.time() + 60
    while time.time() < deadline:
        if int(open('/sys/kernel/micromine/jobs_exhausted').read()) >= 1:
            break
        time.sleep(0.2)

    rc, percpu, err = ynl(['--dump', 'stats-get'])
    ok(rc == 0 and isinstance(percpu, list) and percpu and
       all('cpu' in c and 'hashes' in c for c in percpu), 'stats-get dumps every CPU', err)

    rc, shares, err = ynl(['--dump', 'share-get'])
    share = shares[0] if isinstance(shares, list) and shares else {}
    ok(rc == 0 and share.get('nonce') == GENESIS_NONCE and
       as_bytes(share.get('hash')) == GENESIS_HASH and share.get('job-id') == 11,
       'share-get returns the genesis share', '%s %s' % (shares, err))
    rc, again, err = ynl(['--dump', 'share-get'])
    ok(rc == 0 and again == shares, 'share-get leaves it queued until share-ack',
       '%s %s' % (again, err))
    rc, _, err = do('share-ack', {'seq': share.get('seq', 0)})
    ok(rc == 0, 'share-ack takes it', err)
    rc, replies, err = ynl(['--multi', 'stats-get', '{}', '--multi', 'job-submit',
                            json.dumps({'job-id': 12, 'header': GENESIS, 'target': '00' * 32}),
                            '--multi', 'job-flush', '{}', '--multi', 'stats-get', '{}'])
    stats = replies[0] if isinstance(replies, list) and replies else {}
    ok(isinstance(stats, dict) and stats.get('shares', 0) >= 1 and
       stats.get('jobs-exhausted', 0) >= 1, 'stats-get: the job ran out, with a share',
       stats)
    ok(isinstance(stats, dict) and stats.get('shares-queued') == 0,
       'share-ack left none queued (stats-get)', stats)
    st = replies[-1] if isinstance(replies, list) and replies else {}
    ok(rc == 0 and isinstance(st, dict) and 'job-id' not in st,
       'job-flush drops the running job', '%s %s' % (replies, err))

    check_policies(spec)  # while the subscriber sleeps
    out, err = sub.communicate(timeout=120)
    # all the events, as one JSON list, when the CLI exits
    try:
        events = json.loads(out)
    except ValueError:
        events = []
    events = [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []
    names = [e.get('name') for e in events]
    found = [e['msg'] for e in events if e.get('name') == 'share-found']
    ok(found and found[0].get('nonce') == GENESIS_NONCE and
       as_bytes(found[0].get('hash')) == GENESIS_HASH and found[0].get('job-id') == 11,
       '--subscribe events: share-found with the genesis share', out[:2000] + err)
    for name in ('job-started', 'job-exhausted', 'paused', 'resumed'):
        ok(name in names, '--subscribe events: %s' % name, names)
    # numbered in the order of the changes, whatever order they came in
    order = {e.get('name'): e.get('msg', {}).get('event-seq', 0) for e in events}
    seqs = [order.get(name, 0) for name in
            ('job-started', 'share-found', 'job-exhausted', 'paused', 'resumed')]
    ok(all(seqs) and seqs[0] < seqs[1] < seqs[2] and seqs[0] < seqs[3] < seqs[4],
       '--subscribe events: each with its event-seq, in the order of the changes', seqs)

    subprocess.run(['rmmod', 'micromine'])
    print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
