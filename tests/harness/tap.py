#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Count the results of TAP streams.

  tap.py count FILE        print "passed failed skipped" for one stream
  tap.py summary FILE...   print totals and the final "N passed, N failed"
                           line; exit 1 if anything failed

A stream fails as a whole, in addition to its failing tests, if it has no
plan, if its plan does not match the number of results (a test program
that died half-way), or if it bails out.  "ok ... # SKIP" counts as
skipped, "not ok ... # TODO" as neither passed nor failed.
"""

import re
import sys

RESULT = re.compile(r'^(not )?ok\b(?:\s+\d+)?\s*(.*)$')
PLAN = re.compile(r'^1\.\.(\d+)')


def count(path):
    passed = failed = skipped = 0
    plan = None
    results = 0
    problems = []
    try:
        with open(path, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError as e:
        return 0, 1, 0, ['cannot read %s: %s' % (path, e)]
    for line in lines:
        m = PLAN.match(line)
        if m:
            if plan is not None:
                problems.append('two plans')
            plan = int(m.group(1))
            continue
        if line.startswith('Bail out!'):
            problems.append(line)
            continue
        m = RESULT.match(line)
        if not m:
            continue
        results += 1
        directive = m.group(2).split(' # ', 1)[1].strip().upper() \
            if ' # ' in m.group(2) else ''
        if m.group(1):
            if directive.startswith('TODO'):
                continue
            failed += 1
        elif directive.startswith('SKIP'):
            skipped += 1
        else:
            passed += 1
    if plan is None:
        problems.append('no plan')
    elif plan != results:
        problems.append('planned %d tests, saw %d' % (plan, results))
    return passed, failed + (1 if problems else 0), skipped, problems


def main(argv):
    if len(argv) == 3 and argv[1] == 'count':
        p, f, s, problems = count(argv[2])
        for problem in problems:
            print('# %s: %s' % (argv[2], problem), file=sys.stderr)
        print(p, f, s)
        return 0
    if len(argv) >= 2 and argv[1] == 'summary':
        tp = tf = ts = 0
        for path in argv[2:]:
            p, f, s, problems = count(path)
            for problem in problems:
                print('# %s: %s' % (path, problem))
            if f:
                print('# failed: %s' % path)
            tp, tf, ts = tp + p, tf + f, ts + s
        if ts:
            print('# %d skipped' % ts)
        print('%d passed, %d failed' % (tp, tf))
        return 1 if tf else 0
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
