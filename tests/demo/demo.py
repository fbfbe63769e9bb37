#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The demo of `make demo`, on the machine it runs on (a QEMU guest, or
the host with HOST=1): load the module, start the test pool (or use a real
one), run `micromine run` against it, show the miner live, prove that a
busy foreground program keeps its speed, and sum up.  Exit 0 only if
shares were accepted and none was lost.

Environment: MM_TOP, MM_KO (the module, unless it is loaded already),
MM_BIN (where micromine and busy are), DEMO_SECONDS (default 60),
DEMO_POOL (a pool URL; default: the test pool), DEMO_POOL_USER,
DEMO_POOL_PASS, DEMO_CONSOLE (where the live lines go; default stdout),
DEMO_PREFIX (put before each of them), DEMO_RESULT (a JSON file for the
result).
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

TOP = os.environ['MM_TOP']
sys.path.insert(0, os.path.join(TOP, 'tests/pool'))
import testpool  # noqa: E402
from runlog import FATES, balanced, summary  # noqa: E402

SYSFS = '/sys/kernel/micromine/'
PORT = 3333
console = open(os.environ['DEMO_CONSOLE'], 'w') if os.environ.get('DEMO_CONSOLE') \
    else sys.stdout
prefix = os.environ.get('DEMO_PREFIX', '')


def say(text=''):
    for line in text.splitlines() or ['']:
        console.write(prefix + line + '\n')
    console.flush()


def tool(*args):
    p = subprocess.run(['micromine'] + list(args), capture_output=True, text=True)
    try:
        return json.loads(p.stdout)
    except ValueError:
        return {}


def sysfs(name):
    with open(SYSFS + name) as f:
        return int(f.read())


def rate(hs):
    for unit, div in (('GH/s', 1e9), ('MH/s', 1e6), ('kH/s', 1e3)):
        if hs >= div:
            return '%.2f %s' % (hs / div, unit)
    return '%.0f H/s' % hs


def busy(seconds):
    p = subprocess.run(['busy', str(seconds)], capture_output=True, text=True)
    return float(p.stdout.strip() or 0)


def load_module():
    if os.path.exists(SYSFS):
        return True
    p = subprocess.run(['insmod', os.environ['MM_KO']], capture_output=True, text=True)
    if p.returncode:
        say('cannot load the module: ' + p.stderr.strip())
    return p.returncode == 0


def main():
    seconds = int(os.environ.get('DEMO_SECONDS') or 60)
    pool_url = os.environ.get('DEMO_POOL') or ''
    tmp = tempfile.mkdtemp(prefix='mm-demo-')
    log = os.path.join(tmp, 'run.log')
    state = os.path.join(tmp, 'pool.json')

    say('micromine demo on %s, kernel %s, %d CPUs' %
        (os.uname().machine, os.uname().release, os.cpu_count()))
    if not load_module():
        return 1
    cfg = tool('status', '--json')
    say('module loaded: backends %s, using %s; its workers are SCHED_IDLE: they get\n'
        'only the CPU time nothing else wants' %
        (', '.join(cfg.get('backends', [])), cfg.get('backend')))

    # a busy foreground program alone: the figure to keep
    alone = busy(3)
    say('a busy foreground program (every CPU, 3 s) alone: %.0f M ops/s' % (alone / 1e6))

    bench = tool('bench', '--seconds', '2', '--json')
    hashrate = bench.get('hashrate') or 1e5
    say('the module on this machine: %s (micromine bench)' % rate(hashrate))

    pool = None
    if pool_url:
        url, user = pool_url, os.environ.get('DEMO_POOL_USER') or 'micromine.demo'
        say('mining for %s as %s' % (url, user))
    else:
        # one share every ~2 s, whatever the machine
        difficulty = max(hashrate * 2 / 2**32, 1e-6)
        pool = testpool.Pool(PORT, difficulty, jobs_every=20)
        url, user = 'stratum+tcp://127.0.0.1:%d' % PORT, 'demo.device'
        say('a local trusted node (tests/pool/testpool.py) serves the real mainnet job of\n'
            'tests/vectors/ first, then fresh easy jobs; share difficulty %.3g; it checks\n'
            'every share itself (its own header, SHA-256d and target)' % difficulty)
    args = ['micromine', 'run', '-c', '/dev/null', '-o', url, '-u', user,
            '-s', 'state=' + state]
    if os.environ.get('DEMO_POOL_PASS'):
        args += ['-p', os.environ['DEMO_POOL_PASS']]
    shares0 = sysfs('shares')
    overflows0 = sysfs('queue_overflows')
    with open(log, 'w') as f:
        run = subprocess.Popen(args, stdout=f, stderr=subprocess.STDOUT)
    say('micromine run: started (pid %d); live view every 5 s for %d s:' % (run.pid, seconds))
    say()

    start = time.time()
    during = None
    busy_at = start + seconds / 2
    while time.time() - start < seconds and run.poll() is None:
        time.sleep(min(5, max(0.1, seconds - (time.time() - start))))
        per = tool('stats', '--per-cpu', '--json').get('cpus', [])
        st = {}
        try:
            st = json.load(open(state))
        except (OSError, ValueError):
            pass
        cpus = '  '.join('cpu%d %s' % (c['cpu'], rate(c['hashrate'])) for c in per)
        line = '%3.0f s  %s | found %d, accepted %d' % (
            time.time() - start, cpus, sysfs('shares') - shares0, st.get('accepted', 0))
        if pool:
            ps = pool.stats()
            line += ' | pool: accepted %d, rejected %d, jobs %d' % (
                ps.get('accepted', 0), sum(v for k, v in ps.items()
                                           if k.startswith('rejected.')), ps.get('jobs', 0))
        say(line)
        if during is None and time.time() >= busy_at:
            h0, t0 = sysfs('hashes'), time.time()
            during = busy(3)
            yielded = (sysfs('hashes') - h0) / (time.time() - t0)
            say('       the busy program again, the miner running: %.0f M ops/s (%.0f%% of its '
                'speed alone);\n       the miner meanwhile: %s, the time the program left' %
                (during / 1e6, 100 * during / alone, rate(yielded)))
    if during is None:
        during = busy(3)

    run.send_signal(signal.SIGTERM)
    try:
        rc = run.wait(60)
    except subprocess.TimeoutExpired:
        run.kill()
        rc = run.wait()
    text = open(log).read()
    s = summary(text) or {}
    kernel_found = sysfs('shares') - shares0
    overflows = sysfs('queue_overflows') - overflows0
    pool_accepted = pool.stats().get('accepted', 0) if pool else s.get('accepted', 0)
    lost = []
    if rc != 0 or not s:
        lost.append('micromine run exited %d without its summary' % rc)
    else:
        if not balanced(s):
            lost.append('the tool lost track of shares')
        if kernel_found != s['found'] or overflows:
            lost.append('the module found %d, the tool took %d (%d overflows)' %
                        (kernel_found, s['found'], overflows))
        if s['dropped'] or s['invalid']:
            lost.append('%d dropped, %d invalid' % (s['dropped'], s['invalid']))
        if pool and pool_accepted != s['accepted']:
            lost.append('the pool accepted %d, the tool counted %d' %
                        (pool_accepted, s['accepted']))
    say()
    say('summary: %d shares found by the module; micromine run: %s' % (
        kernel_found, ', '.join('%s %d' % (f, s.get(f, 0)) for f in FATES)))
    if pool:
        say('the pool accepted %d shares, each checked on its own' % pool_accepted)
    say('the busy foreground program kept %.0f%% of its speed while the miner ran' %
        (100 * during / alone))
    ok = s.get('accepted', 0) > 0 and not lost
    say('result: %s' % ('shares accepted, none lost' if ok else
                        '; '.join(lost) or 'no share was accepted'))
    if not ok:
        say('the log of micromine run:')
        say('\n'.join(text.splitlines()[-15:]))
    result = {'ok': ok, 'found': kernel_found, 'tool': s, 'pool_accepted': pool_accepted,
              'foreground_alone': alone, 'foreground_mining': during, 'problems': lost}
    if os.environ.get('DEMO_RESULT'):
        with open(os.environ['DEMO_RESULT'], 'w') as f:
            json.dump(result, f)
    if pool:
        pool.close()
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
