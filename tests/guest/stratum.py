#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""`micromine run` against the test pool (tests/pool/testpool.py), with the
real module: shares mined, checked by the pool on its own, and every share
accounted for; and, with MM_STRATUM_FULL=1 (one kernel of the matrix: these
take minutes under TCG and do not depend on the kernel), TLS trust, clean
jobs, failover and failback,
outages with kept shares and session resume, a misbehaving pool, SIGHUP,
the share store across a restart, and the whole run under valgrind.
TAP on stdout.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

TOP = os.environ['MM_TOP']
sys.path.insert(0, os.path.join(TOP, 'tests/pool'))
import testpool  # noqa: E402
from runlog import balanced, summary  # noqa: E402

SYSFS = '/sys/kernel/micromine/'
FULL = os.environ.get('MM_STRATUM_FULL') == '1'
# a share every ~430k nonces: a few a second on a TCG guest
DIFFICULTY = 0.0001
ROLL = 0x1fffe000	# the version bits BIP 320 leaves to miners
TMP = tempfile.mkdtemp(prefix='mm-stratum-')
PW = 'pw-never-logged'

n = 0


def ok(cond, desc, diag=None):
    global n
    n += 1
    print('%s %d %s' % ('ok' if cond else 'not ok', n, desc))
    if not cond and diag:
        for line in str(diag).splitlines()[-25:]:
            print('# ' + line)
    sys.stdout.flush()
    return cond


# the runs that must not end before the test stops them
LIVE = []


def wait(pred, timeout):
    """Wait for @pred, at most @timeout seconds, and less when a run of
    LIVE has ended: what it was waited for will not come."""
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        dead = [r for r in LIVE if r.p.poll() is not None]
        if dead:
            for r in dead:
                print('# %s: micromine run ended (exit %s) while the test waited'
                      % (r.name, r.p.returncode))
                LIVE.remove(r)
            break
        time.sleep(0.2)
    return bool(pred())


def sysfs(name):
    with open(SYSFS + name) as f:
        return int(f.read())


def url(port, tls=False):
    return 'stratum+%s://127.0.0.1:%d' % ('tls' if tls else 'tcp', port)


class Run:
    """One `micromine run`, its log in a file."""

    def __init__(self, name, args, valgrind=False, ends=False, binary='micromine', env=None):
        """@ends: the run is expected to end on its own."""
        self.name = name
        self.log = os.path.join(TMP, name + '.log')
        self.state = os.path.join(TMP, name + '.json')
        cmd = [binary, 'run', '-c', '/dev/null', '--log-level', 'debug',
               '-s', 'state=' + self.state, '-s', 'backoff-min=1', '-s', 'backoff-max=2'] + args
        if valgrind:
            cmd = ['valgrind', '-q', '--leak-check=full', '--read-inline-info=no',
                   '--errors-for-leak-kinds=definite,indirect,possible',
                   '--error-exitcode=99', '--log-file=' + self.log + '.vg'] + cmd
        self.f = open(self.log, 'w')
        self.p = subprocess.Popen(cmd, stdout=self.f, stderr=subprocess.STDOUT,
                                  env=dict(os.environ, **(env or {})))
        self.rc = None
        if not ends:
            LIVE.append(self)

    def text(self):
        with open(self.log) as f:
            return f.read()

    def mark(self):
        return len(self.text())

    def has(self, what, since=0):
        return what in self.text()[since:]

    def wait_log(self, what, timeout, since=0):
        return wait(lambda: self.has(what, since) or self.p.poll() is not None, timeout) and \
            self.has(what, since)

    def status(self):
        try:
            with open(self.state) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def count(self, what):
        st = self.status()
        return st.get(what, 0) if st else 0

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self in LIVE:
            LIVE.remove(self)
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            self.rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.rc = self.p.wait()
        self.f.close()
        return self.rc

    def tail(self, lines=25):
        return '\n'.join(self.text().splitlines()[-lines:])


def module_job():
    """The job the module runs (None: none), and micromine status's output."""
    out = subprocess.run(['micromine', 'status', '--json'], capture_output=True, text=True)
    try:
        return json.loads(out.stdout).get('job_id', 'missing'), out
    except ValueError:
        return 'no JSON', out


def accounted(run, desc):
    """Every share the run found ended in exactly one counter."""
    s = summary(run.text())
    ok(balanced(s),
       '%s: every share found is accounted for (%s)' % (desc, s), run.tail())
    return s or {}


def voided_sends(log):
    """Replay the log: which shares went out for a job a clean job had voided
    before?  (A share sent while the clean notify is on its way is the pool's
    stale, and counted; one sent after the tool read the notify is a bug.)"""
    valid, cleans, sent, late = set(), 0, 0, []
    for line in log.splitlines():
        m = re.search(r': job (\S+)( \(clean\))?, difficulty', line)
        if m:
            if m.group(2):
                valid, cleans = set(), cleans + 1
            valid.add(m.group(1))
            continue
        m = re.search(r'(?:sent share of job|sending a kept share: job) ([^,]+),', line)
        if m:
            sent += 1
            if m.group(1) not in valid:
                late.append(line)
    return cleans, sent, late


def pool_accepted(pool):
    return pool.stats().get('accepted', 0)


def kept_since(run, mark):
    """The shares the run logged as kept since @mark: (job, nonce) pairs."""
    return [(j, int(n, 16)) for j, n in
            re.findall(r'share kept: job (\S+), nonce ([0-9a-f]{8})', run.text()[mark:])]


def all_accepted(run, shares):
    """Has the run logged each of @shares ((job, nonce) pairs) as accepted?"""
    text = run.text()
    return all('share accepted: job %s, nonce %08x' % s in text for s in shares)


def had_it(run):
    """Shares sent again whose first answer was lost, the pool's duplicates."""
    return run.text().count('the pool had it')


def lose_an_answer(pool, run, how, desc):
    """The pool takes the next share and, instead of answering, hangs up
    (@how 'hang up') or goes away ('go away'): the tool must keep it.
    Returns the log's mark from before."""
    mark = run.mark()
    pool.lose_answer = how
    ok(run.wait_log('no answer before the connection ended', 120, mark) and
       pool.stats().get('answers_lost', 0) == 1, desc, run.tail())
    return mark


def only_lost_answers_twice(pool, runs):
    """None of the shares @runs sent was stale, and the only ones that went
    in twice were in flight when the pool went away (their answer lost)."""
    twice = sum(had_it(r) for r in runs)
    st = pool.stats()
    ok(st.get('rejected.21', 0) == 0 and st.get('rejected.22', 0) == twice and
       all(r.count('duplicate') == 0 for r in runs),
       'none of them stale; twice only those whose answer was lost (%d)' % twice, st)


def basic():
    """Mine for one pool; the pool checks each share; all counted."""
    pool = testpool.Pool(3333, DIFFICULTY)
    vector_job = pool.vector['notify'][0]
    shares0 = sysfs('shares')
    run = Run('basic', ['-o', url(3333), '-u', 'test.basic', '-p', PW])
    ok(wait(lambda: pool_accepted(pool) >= 3, 180),
       'run: the pool accepts shares (%d)' % pool_accepted(pool), run.tail())
    ok(any(s['job'] == vector_job for s in pool.accepted_shares),
       'shares of the mainnet job, as the pool builds its headers itself')
    # written at most once a second
    wait(lambda: (run.status() or {}).get('accepted', 0) >= 1, 10)
    st = run.status()
    ok(st is not None and st.get('connected') and st.get('node') == url(3333) and
       st.get('worker') == 'test.basic' and st.get('accepted', 0) >= 1,
       'the state file shows the node, the worker and the counts', st)
    out = subprocess.run(['micromine', 'status', '--json'], capture_output=True, text=True,
                         env=dict(os.environ, MICROMINE_STATE=run.state))
    try:
        pst = json.loads(out.stdout).get('pool') or {}
    except ValueError:
        pst = {}
    ok(pst.get('node') == url(3333) and pst.get('connected') is True,
       'micromine status --json shows the pool', out.stdout + out.stderr)
    ok(run.has('version rolling, mask 1fffe000'), 'version rolling agreed with mining.configure')
    rc = run.stop()
    ok(rc == 0, 'SIGTERM: exit 0', run.tail())
    s = accounted(run, 'basic')
    ok(s.get('accepted') == pool_accepted(pool) and s.get('rejected') == 0,
       'the tool counts as accepted what the pool accepted (%s, pool %d)' %
       (s.get('accepted'), pool_accepted(pool)), pool.stats())
    ok(sysfs('shares') - shares0 == s.get('found'),
       'every share the module found reached the tool (%d, tool %s)' %
       (sysfs('shares') - shares0, s.get('found')))
    ok(not os.path.exists(run.state), 'the state file is gone after the stop')
    ok(PW not in run.text(), 'the password is never logged')
    job, out = module_job()
    ok(job is None, 'the stop flushed the module: no job runs (%s)' % job, out.stderr)
    pool.close()


def tls_cert(name='cert'):
    key, cert = os.path.join(TMP, name + '.key'), os.path.join(TMP, name + '.pem')
    p = subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                        'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
                        '-days', '2', '-subj', '/CN=micromine test pool',
                        '-addext', 'subjectAltName=IP:127.0.0.1'],
                       capture_output=True, text=True)
    if p.returncode:
        return None, None, p.stderr
    with open(cert) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    return key, cert, hashlib.sha256(der).hexdigest()


def spki_pin(key):
    """curl's --pinnedpubkey of @key: sha256// and the base64 of its public
    key's (DER SubjectPublicKeyInfo) SHA-256."""
    der = subprocess.run(['openssl', 'pkey', '-in', key, '-pubout', '-outform', 'DER'],
                         capture_output=True).stdout
    return 'sha256//' + base64.b64encode(hashlib.sha256(der).digest()).decode()


def tls():
    """TLS: pinned (certificate, public key), CA-verified (a CA file, the
    system's CA store by default), and refused when none trusts the pool."""
    key, cert, fp = tls_cert()
    okey, other, _ = tls_cert('other')
    if not ok(key is not None and other is not None, 'test certificates (openssl req)', fp):
        return
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    pool = testpool.Pool(3334, DIFFICULTY, tls=ctx)
    colons = ':'.join(fp[i:i + 2] for i in range(0, 64, 2))
    # the system's CA store as OpenSSL finds it: SSL_CERT_FILE names it
    system = {'SSL_CERT_FILE': cert}
    cases = [('pinned', ['--fingerprint', colons], True, None, None),
             ('ca-file', ['--ca-file', cert], True, None, None),
             ('pinned key', ['--pinned-pubkey', spki_pin(okey) + ';' + spki_pin(key)], True,
              None, None),
             ('system CAs', [], True, None, system),
             ('wrong pin', ['--fingerprint', '00' * 31 + '01'], False, 'is not the pinned one',
              None),
             ('wrong key', ['--pinned-pubkey', spki_pin(okey)], False,
              'public key (%s) is not a pinned one' % spki_pin(key), None),
             ('another CA', ['--ca-file', other], False, 'certificate is not trusted', None),
             ('not in the system CAs', [], False, 'certificate is not trusted',
              {'SSL_CERT_FILE': other})]
    for name, args, good, error, env in cases:
        before = pool.stats().get('authorized', 0)
        run = Run('tls-' + name.replace(' ', '-'),
                  ['-o', url(3334, True), '-u', 'test.tls', '-p', PW] + args, env=env)
        if good:
            ok(wait(lambda: pool_accepted(pool) >= 1 and run.count('accepted') >= 1, 120),
               'TLS, %s: mining, shares accepted' % name, run.tail())
        else:
            ok(run.wait_log(error, 60), 'TLS, %s: refused with "%s"' % (name, error), run.tail())
            ok(pool.stats().get('authorized', 0) == before,
               'TLS, %s: no session with the pool' % name)
        ok(run.stop() == 0, 'TLS, %s: stops cleanly' % name, run.tail())
    pool.close()


def clean_jobs():
    """A clean job reaches the module at once; shares of it are accepted."""
    pool = testpool.Pool(3335, DIFFICULTY, mainnet=False)
    run = Run('clean', ['-o', url(3335), '-u', 'test.clean'])
    ok(wait(lambda: pool_accepted(pool) >= 1, 120), 'clean: mining', run.tail())
    # (the second one of the same block: the others void all the same)
    for same in (False, True, False):
        jid = pool.new_job(clean=True, same_block=same)
        ok(wait(lambda: any(s['job'] == jid for s in pool.accepted_shares), 60),
           'clean job %s%s: its shares come, the pool accepts them' %
           (jid, ' (same block)' if same else ''), run.tail())
    # a pool paying 1200 miners in its coinbase, and a long merkle branch:
    # an 80 KiB notify line (the default max-line), mined like any other
    jid = pool.new_job(clean=True, outputs=1200, branches=24)
    job = pool.job_by_id(jid)
    size = len(json.dumps(job))
    ok(wait(lambda: any(s['job'] == jid for s in pool.accepted_shares), 60) and size > 80000,
       'a notify of %d bytes (1200 outputs, 24 branches): its shares accepted' % size,
       run.tail())
    cleans, sent, late = voided_sends(run.text())
    ok(cleans >= 3 and sent >= 4 and not late,
       'no share of a job the tool knew was voided is sent (%d clean jobs, %d sent)'
       % (cleans, sent), late)
    # SIGTERM while answers are slow to come, and a clean job meanwhile:
    # the stop flushed the module, and the new job is not mined
    # (the answers later than the tool waits for them, 5 s)
    pool.answer_delay = 8
    mark = run.mark()
    ok(run.wait_log('sent share of job', 60, mark), 'a share on its way to a slow pool',
       run.tail())
    run.p.send_signal(signal.SIGTERM)
    ok(run.wait_log('stopping', 10, mark), 'SIGTERM', run.tail())
    jid = pool.new_job(clean=True)
    stopping = run.text().index('stopping', mark)
    ok(run.wait_log(': job %s (clean)' % jid, 10, stopping),
       'a clean job while the tool waits for the answers: received', run.tail())
    run.stop()
    job, _ = module_job()
    ok(job is None, 'and not mined: no job runs after the stop (%s)' % job, run.tail())
    s = accounted(run, 'clean')
    ok(s.get('invalid') == 0, 'no invalid share')
    pool.close()


def failover():
    """Failover down the list of nodes, and back up it: to the best node
    that is back (not only the first), and only to one that takes the
    worker (a node that answers but refuses authorize is not back)."""
    a = testpool.Pool(3336, DIFFICULTY, mainnet=False)
    b = testpool.Pool(3337, DIFFICULTY, mainnet=False)
    c = testpool.Pool(3363, DIFFICULTY, mainnet=False)
    run = Run('failover', ['-o', url(3336), '-u', 'test.a', '-o', url(3337), '-u', 'test.b',
                           '-o', url(3363), '-u', 'test.c',
                           '-s', 'failover-after=2', '-s', 'failback=5'])
    ok(wait(lambda: pool_accepted(a) >= 1, 120), 'failover: mining on the first node', run.tail())
    a.stop_listening()
    b.stop_listening()
    ok(wait(lambda: pool_accepted(c) >= 1, 120),
       'the first two nodes gone: the third one gets the shares', run.tail())
    ok(run.has('trying node ' + url(3363)), 'the log says so')
    b.start_listening()
    mark = pool_accepted(b)
    ok(wait(lambda: pool_accepted(b) > mark, 120),
       'the second node back, the first not: shares go to the second', run.tail())
    ok(run.has('node %s is back: switching to it' % url(3337)), 'the log says so')
    a.refuse_authorize = True
    auth = a.stats().get('requests.mining.authorize', 0)
    a.start_listening()
    mark, accepted = run.mark(), pool_accepted(b)
    ok(wait(lambda: a.stats().get('requests.mining.authorize', 0) >= auth + 2, 60),
       'the first node answers again, but refuses the worker: checked twice', a.stats())
    ok(not run.has('node %s is back' % url(3336), mark) and pool_accepted(b) > accepted,
       'it is not back: mining stays on the second node', run.tail())
    a.refuse_authorize = False
    mark = pool_accepted(a)
    ok(wait(lambda: pool_accepted(a) > mark, 120),
       'the first node takes the worker again: shares go to it', run.tail())
    run.stop()
    accounted(run, 'failover')
    for p in (a, b, c):
        p.close()


def per_session():
    """What a node agreed to is that session's: failing over from a node
    with version rolling and a low difficulty to one that never sets a
    difficulty, then to one that ignores mining.configure, neither gets a
    share below its difficulty or rolled bits it never agreed to."""
    a = testpool.Pool(3350, DIFFICULTY, mainnet=False)
    b = testpool.Pool(3351, DIFFICULTY, mainnet=False)
    b.difficulty_mode = 'never'
    c = testpool.Pool(3352, DIFFICULTY, mainnet=False)
    c.refuse_configure = 'ignore'
    run = Run('session', ['-o', url(3350), '-u', 'test.a', '-o', url(3351), '-u', 'test.b',
                          '-o', url(3352), '-u', 'test.c', '-s', 'failover-after=1',
                          '-s', 'failback=3600'])
    ok(wait(lambda: pool_accepted(a) >= 1, 120) and run.has('version rolling, mask'),
       'session: mining on the first node, rolling versions', run.tail())
    a.stop_listening()
    ok(run.wait_log('node %s: job' % url(3351), 120),
       'the first node gone: a job of the second one', run.tail())
    ok(run.has('node %s: job %s (clean), difficulty 1\n' % (url(3351), b.jobs[-1]['id'])),
       'no set_difficulty: its job at Stratum\'s default, 1, not the first node\'s')
    time.sleep(8)
    st = b.stats()
    ok(st.get('requests.mining.submit', 0) == 0,
       'in 8 s at difficulty 1 nothing is sent to it (%d)' %
       st.get('requests.mining.submit', 0), st)
    b.stop_listening()
    ok(wait(lambda: pool_accepted(c) >= 2, 120),
       'the second node gone: the third one accepts shares', run.tail())
    st = c.stats()
    ok(st.get('unagreed_rolling', 0) == 0 and st.get('rejected.20', 0) == 0,
       'no version bits rolled without its mining.configure', st)
    ok(all(sh['version'] == 0x20000000 for sh in c.accepted_shares),
       'its shares keep the job\'s version')
    run.stop()
    accounted(run, 'per-session')
    for p in (a, b, c):
        p.close()


def version_mask():
    """mining.set_version_mask mid-job: the module's running job takes the
    new mask too (a few seconds on, every share is rolled within it, none
    rejected); a session that never agreed to version rolling ignores it."""
    pool = testpool.Pool(3361, DIFFICULTY, mainnet=False)
    base = int(pool.jobs[-1]['version'], 16)
    run = Run('mask', ['-o', url(3361), '-u', 'test.mask'])
    ok(wait(lambda: pool_accepted(pool) >= 1, 120) and run.has('version rolling, mask'),
       'version mask: mining, rolling versions', run.tail())
    new = 0x00006000
    pool.set_version_mask(new)
    ok(run.wait_log('version mask %08x, from now on' % new, 30),
       'set_version_mask: the tool takes the new mask', run.tail())
    time.sleep(2)
    first, st0 = len(pool.accepted_shares), pool.stats()
    ok(wait(lambda: len(pool.accepted_shares) >= first + 3, 120),
       'shares accepted after it: the module\'s running job was given the new mask',
       run.tail())
    outside = [hex(sh['version']) for sh in pool.accepted_shares[first:]
               if (sh['version'] ^ base) & ~new]
    st = pool.stats()
    ok(not outside and st.get('rejected.20', 0) == st0.get('rejected.20', 0),
       'every one rolled within the new mask, none rejected (outside: %s)' % outside, st)
    run.stop()
    accounted(run, 'version mask')
    pool.refuse_configure = True
    run = Run('mask-unagreed', ['-o', url(3361), '-u', 'test.mask'],
              env={'MICROMINE_PASSWORD': 'pw-from-the-environment'})
    ok(run.wait_log('no version rolling', 60), 'mining.configure refused', run.tail())
    pool.set_version_mask(ROLL)
    ok(run.wait_log('ignored mining.set_version_mask', 30),
       'then set_version_mask: ignored, rolling was not agreed', run.tail())
    pool.new_job(clean=False)
    accepted = pool_accepted(pool)
    ok(wait(lambda: pool_accepted(pool) >= accepted + 2, 120), 'mining on', run.tail())
    ok(pool.stats().get('unagreed_rolling', 0) == 0, 'no version bits rolled', pool.stats())
    ok(pool.passwords[-1:] == ['pw-from-the-environment'],
       'MICROMINE_PASSWORD: the password of a node without one', pool.passwords)
    run.stop()
    accounted(run, 'version mask not agreed')
    pool.close()


def extranonce():
    """mining.extranonce.subscribe goes out (unless extranonce-subscribe is
    off), and a mining.set_extranonce mid-session is mined with from the
    next job on, and kept in the share store for a restart."""
    pool = testpool.Pool(3362, DIFFICULTY, mainnet=False)
    store = os.path.join(TMP, 'xn-store.json')
    run = Run('xn', ['-o', url(3362), '-u', 'test.xn', '-s', 'share-store=' + store])
    ok(wait(lambda: pool_accepted(pool) >= 1, 120), 'extranonce: mining', run.tail())
    ok(pool.stats().get('requests.mining.extranonce.subscribe', 0) == 1,
       'mining.extranonce.subscribe sent', pool.stats())
    new = pool.set_extranonce()
    ok(len(new) == 1 and run.wait_log('new extranonce', 30),
       'mining.set_extranonce: taken (%s)' % new, run.tail())
    first, st0 = len(pool.accepted_shares), pool.stats()
    ok(wait(lambda: len(pool.accepted_shares) >= first + 2, 120),
       'shares after it accepted', run.tail())
    st = pool.stats()
    ok(all(sh['xn1'] == new[0] for sh in pool.accepted_shares[first:]) and
       st.get('rejected.20', 0) == st0.get('rejected.20', 0) and
       st.get('rejected.23', 0) == st0.get('rejected.23', 0),
       'each with the new extranonce1, none rejected', st)

    def stored():
        try:
            return (json.load(open(store)).get('session') or {}).get('extranonce1')
        except (OSError, ValueError):
            return None
    ok(wait(lambda: stored() == new[0], 30),
       'the share store keeps the new extranonce1 for a restart (%s)' % stored())
    # without a job after it: the module's running job is the pool job again
    new = pool.set_extranonce(then_job=False)
    ok(len(new) == 1 and run.wait_log('new extranonce', 30),
       'mining.set_extranonce, no job after it: taken', run.tail())
    first, st0 = len(pool.accepted_shares), pool.stats()
    ok(wait(lambda: len(pool.accepted_shares) >= first + 2, 120),
       'shares accepted after it: the module mines with the new extranonce1', run.tail())
    st = pool.stats()
    ok(st.get('rejected.23', 0) == st0.get('rejected.23', 0),
       'none rejected for their hash (the old extranonce1)', st)
    run.stop()
    accounted(run, 'extranonce')
    before = pool.stats().get('requests.mining.extranonce.subscribe', 0)
    accepted = pool_accepted(pool)
    pwfile = os.path.join(TMP, 'pw')
    with open(pwfile, 'w') as f:
        f.write('pw-from-a-file\n')
    os.chmod(pwfile, 0o600)
    run = Run('xn-off', ['-o', url(3362), '-u', 'test.xn', '--password-file', pwfile,
                         '-s', 'extranonce-subscribe=no'])
    ok(wait(lambda: pool_accepted(pool) > accepted, 120), 'extranonce-subscribe=no: mining',
       run.tail())
    ok(pool.passwords[-1:] == ['pw-from-a-file'] and not run.has('pw-from-a-file'),
       '--password-file: the pool gets its first line, the log never', pool.passwords)
    ok(pool.stats().get('requests.mining.extranonce.subscribe', 0) == before,
       'and no mining.extranonce.subscribe', pool.stats())
    run.stop()
    accounted(run, 'extranonce-subscribe off')
    pool.close()


def difficulty_after_job():
    """A pool whose set_difficulty comes after the first job: that job is
    mined at difficulty 1 (nothing below it sent), the next at the pool's."""
    pool = testpool.Pool(3353, DIFFICULTY, mainnet=False)
    pool.difficulty_mode = 'after'
    run = Run('after', ['-o', url(3353), '-u', 'test.after'])
    ok(run.wait_log('difficulty 1\n', 60), 'the first job at difficulty 1', run.tail())
    time.sleep(5)
    st = pool.stats()
    ok(st.get('requests.mining.submit', 0) == 0,
       'in 5 s at difficulty 1 nothing is sent (%d)' % st.get('requests.mining.submit', 0), st)
    pool.new_job(clean=False)
    ok(wait(lambda: pool_accepted(pool) >= 2, 120), 'the next job at the pool\'s difficulty: '
       'shares accepted', run.tail())
    ok(pool.stats().get('rejected.23', 0) == 0, 'none below the difficulty', pool.stats())
    run.stop()
    accounted(run, 'difficulty after the job')
    pool.close()


def default_difficulty():
    """A pool whose default difficulty is 16384 and whose job waits at
    authorize (its next one comes a minute later): the suggestion goes
    before authorize, so that first job is at the suggested difficulty."""
    pool = testpool.Pool(3364, DIFFICULTY, mainnet=False)
    pool.difficulty = 16384
    pool.suggest_new_job = False
    run = Run('default', ['-o', url(3364), '-u', 'test.default',
                          '-s', 'suggest-difficulty=%g' % DIFFICULTY])
    ok(wait(lambda: pool_accepted(pool) >= 1, 60),
       'default difficulty 16384, a job waiting: shares within a minute', run.tail())
    st = pool.stats()
    ok(st['first_difficulty'][:1] == [DIFFICULTY] and st['suggested'][:1] == [DIFFICULTY],
       'the first job came at the suggested difficulty (suggested before authorize)', st)
    ok(not run.has('difficulty 16384'), 'no job was ever mined at 16384', run.tail())
    run.stop()
    accounted(run, 'default difficulty')
    pool.close()


def suggest_auto():
    """suggest-difficulty auto: a share every share-interval seconds at the
    module's hash rate, before authorize once that rate is known."""
    pool = testpool.Pool(3365, DIFFICULTY, mainnet=False)
    pool.difficulty = 16384
    interval = 2
    run = Run('auto', ['-o', url(3365), '-u', 'test.auto', '-s', 'suggest-difficulty=auto',
                       '-s', 'share-interval=%d' % interval])
    ok(wait(lambda: pool.stats()['suggested'], 60),
       'auto: a difficulty suggested once the module\'s rate is known', run.tail())
    rate = int(sysfs('hashrate') or 0)
    got = (pool.stats()['suggested'] or [0])[0]
    want = rate * interval / 2 ** 32
    ok(want > 0 and want / 4 <= got <= want * 4 and len(('%r' % got).rstrip('0')) <= 12,
       'for one share in %d s at %d hashes/s: %g (%.3g), put plainly' % (
           interval, rate, got, want), run.tail())
    ok(wait(lambda: pool_accepted(pool) >= 3, 60), 'shares at that difficulty', run.tail())
    conns = pool.stats().get('connections', 0)
    pool.reconnect()
    ok(wait(lambda: pool.stats().get('connections', 0) > conns and
            len(pool.stats()['first_difficulty']) >= 2, 60), 'reconnected', run.tail())
    st = pool.stats()
    ok(st['first_difficulty'][0] == 16384 and st['first_difficulty'][-1] in st['suggested'],
       'the rate known: the next session suggests it before authorize (%s)' %
       st['first_difficulty'], st)
    run.stop()
    accounted(run, 'suggest auto')
    pool.close()


def per_node():
    """Per-node settings over the [run] ones: version rolling and the
    suggested difficulty of one node are not another's."""
    a = testpool.Pool(3366, DIFFICULTY, mainnet=False)
    b = testpool.Pool(3367, DIFFICULTY, mainnet=False)
    run = Run('pernode', ['-o', url(3366), '-u', 'test.a', '--node-set', 'version-rolling=no',
                          '--node-set', 'suggest-difficulty=0.0002',
                          '-o', url(3367), '-u', 'test.b', '-s', 'failover-after=1',
                          '-s', 'failback=1000'])
    ok(wait(lambda: pool_accepted(a) >= 1, 60), 'per node: mining on the first', run.tail())
    st = a.stats()
    ok(st.get('requests.mining.configure', 0) == 0 and st['suggested'] == [0.0002],
       'its own settings: no version rolling, difficulty 0.0002 suggested', st)
    a.stop_listening()
    ok(wait(lambda: pool_accepted(b) >= 1, 120), 'the second node gets the shares', run.tail())
    st = b.stats()
    ok(st.get('requests.mining.configure', 0) >= 1 and not st['suggested'],
       'the [run] settings there: version rolling asked for, nothing suggested', st)
    run.stop()
    accounted(run, 'per node')
    a.close()
    b.close()


def redirect_stays():
    """client.reconnect's address belongs to the node that sent it: when the
    tool goes back to the first node it connects there, not to the address
    the second node named."""
    a = testpool.Pool(3354, DIFFICULTY, mainnet=False)
    b = testpool.Pool(3355, DIFFICULTY, mainnet=False)
    x = testpool.Pool(3356, DIFFICULTY, mainnet=False)
    run = Run('redirect', ['-o', url(3354), '-u', 'test.a', '-o', url(3355), '-u', 'test.b',
                           '-s', 'failover-after=1', '-s', 'failback=5'])
    ok(wait(lambda: pool_accepted(a) >= 1, 120), 'redirect: mining on the first node',
       run.tail())
    a.stop_listening()
    ok(wait(lambda: b.clients() == 1, 120), 'the first node gone: on the second', run.tail())
    b.reconnect(port=3356)
    ok(wait(lambda: x.stats().get('authorized.test.b', 0) >= 1, 60),
       'the second node\'s client.reconnect to another port: followed', run.tail())
    before = a.stats().get('authorized.test.a', 0)
    a.start_listening()
    ok(wait(lambda: a.stats().get('authorized.test.a', 0) > before, 120) and
       x.stats().get('authorized.test.a', 0) == 0,
       'the first node back: the tool connects to its own address, its worker never to '
       'the second node\'s redirect', (run.tail(), x.stats()))
    run.stop()
    accounted(run, 'redirect')
    for p in (a, b, x):
        p.close()


def threads(pid):
    """The number of threads of process @pid."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('Threads:'):
                return int(line.split()[1])
    return 0


def fds(pid):
    """The number of open file descriptors of process @pid."""
    return len(os.listdir('/proc/%d/fd' % pid))


class Resolver:
    """/etc/hosts and /etc/resolv.conf of the guest (its own overlay),
    changed for a test and put back after it; and a name server on
    127.0.0.1 that takes queries and never answers."""

    def __init__(self):
        self.saved = {f: open(f).read() for f in ('/etc/hosts', '/etc/resolv.conf')}
        self.dns = None

    def hosts(self, lines):
        with open('/etc/hosts', 'w') as f:
            f.write(self.saved['/etc/hosts'] + ''.join(l + '\n' for l in lines))

    def hang(self):
        """Every lookup that is not in /etc/hosts waits for minutes."""
        self.hosts([])
        self.dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.dns.bind(('127.0.0.1', 53))
        self.dns.setblocking(False)
        with open('/etc/resolv.conf', 'w') as f:
            f.write('nameserver 127.0.0.1\noptions timeout:30 attempts:5\n')

    def answer(self):
        """Answer the queries waiting so far: no such name."""
        while True:
            try:
                query, peer = self.dns.recvfrom(512)
            except BlockingIOError:
                return
            end = 12
            while end < len(query) and query[end]:
                end += 1 + query[end]
            # the query's id and question; a response, recursion available, NXDOMAIN
            self.dns.sendto(query[:2] + bytes([0x80 | (query[2] & 0x79), 0x83]) +
                            b'\x00\x01' + bytes(6) + query[12:end + 5], peer)

    def restore(self):
        for f, text in self.saved.items():
            with open(f, 'w') as out:
                out.write(text)
        if self.dns:
            self.dns.close()


def lookups():
    """A host name with two addresses, the first refusing; a name server
    that never answers while the tool mines for another node."""
    name = 'pool-a.micromine.test'
    res = Resolver()
    a = testpool.Pool(3346, DIFFICULTY, mainnet=False)
    b = testpool.Pool(3347, DIFFICULTY, mainnet=False)
    try:
        res.hosts(['::1 ' + name, '127.0.0.1 ' + name])
        run = Run('lookups', ['-o', 'stratum+tcp://%s:3346' % name, '-u', 'test.a',
                              '-o', url(3347), '-u', 'test.b',
                              '-s', 'failover-after=1', '-s', 'failback=5'])
        ok(wait(lambda: pool_accepted(a) >= 1, 120),
           'a host name with two addresses (::1 refuses): mining on the one that answers',
           run.tail())
        a.stop_listening()
        ok(wait(lambda: pool_accepted(b) >= 1, 120), 'node a gone: mining for node b',
           run.tail())
        # the tool's descriptors between checks (a check of node a is refused at once)
        seen = []
        for _ in range(5):
            seen.append(fds(run.p.pid))
            time.sleep(0.1)
        base = min(seen)
        res.hang()
        mark = run.mark()
        accepted = pool_accepted(b)
        ok(run.wait_log('is not back yet: no answer', 60, mark),
           'the check whether node a is back waits on a name server that never answers',
           run.tail())
        ok(wait(lambda: pool_accepted(b) >= accepted + 2, 60),
           'meanwhile node b gets shares: the lookup does not stop the tool', run.tail())
        mark = run.mark()
        ok(run.wait_log('is not back yet: no answer', 60, mark),
           'the next check waits on the name server too', run.tail())
        n = threads(run.p.pid)
        ok(n == 2, 'it takes over the earlier lookup: one thread waits on the name '
           'server, not one per check (threads: %d)' % n)
        # the next check is failback (5 s) away: the answer comes between checks
        ok(wait(lambda: res.answer() or threads(run.p.pid) == 1 and fds(run.p.pid) <= base, 2),
           'the name server answers between checks: the lookup ends and its sockets are '
           'closed at once (threads: %d, descriptors: %d, %d before the lookups)'
           % (threads(run.p.pid), fds(run.p.pid), base))
        ok(wait(lambda: threads(run.p.pid) == 2, 30),
           'the next check waits on the name server again', run.tail())
        ok(run.stop(timeout=20) == 0, 'SIGTERM during a lookup: exit 0', run.tail())
        accounted(run, 'lookups')
    finally:
        res.restore()
        a.close()
        b.close()


class Blackhole:
    """A port on @addr whose connection attempts go unanswered, as at an
    address behind a route that drops packets: a listener whose accept
    queue is full (Linux then drops new SYNs: the client waits)."""

    def __init__(self, port, addr='::1'):
        family = socket.AF_INET6 if ':' in addr else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((addr, port))
        self.sock.listen(0)
        self.fill = []
        for _ in range(2):
            c = socket.socket(family, socket.SOCK_STREAM)
            c.setblocking(False)
            c.connect_ex((addr, port))
            self.fill.append(c)
        time.sleep(0.2)
        probe = socket.socket(family, socket.SOCK_STREAM)
        probe.settimeout(1)
        try:
            probe.connect((addr, port))
            self.holds = False
        except OSError:
            self.holds = True
        probe.close()

    def close(self):
        for c in self.fill:
            c.close()
        self.sock.close()


def connect_timeout():
    """A host name whose first address drops the connection attempt (a
    broken IPv6 route): after connect-timeout the next address, not the
    whole attempt's time."""
    name = 'pool-c.micromine.test'
    res = Resolver()
    pool = testpool.Pool(3359, DIFFICULTY, mainnet=False)
    hole = None
    try:
        hole = Blackhole(3359)
        ok(hole.holds, 'the test\'s own check: a connection to [::1]:3359 goes unanswered')
        res.hosts(['::1 ' + name, '127.0.0.1 ' + name])
        run = Run('connect-timeout', ['-o', 'stratum+tcp://%s:3359' % name, '-u', 'test.ct',
                                      '-s', 'connect-timeout=3', '-s', 'failover-after=1000'])
        ok(wait(lambda: pool_accepted(pool) >= 1, 60),
           'the first address gives no answer: mining on the second', run.tail())
        ok(run.has('::1: no answer in 3 s, trying 127.0.0.1'),
           'the log names the address left after connect-timeout, and the next', run.tail())
        run.stop()
        accounted(run, 'connect timeout')
    finally:
        res.restore()
        if hole:
            hole.close()
        pool.close()


def answer_timeout():
    """A pool that takes shares and never answers: after answer-timeout the
    session ends as failed, and the shares go to the next session (the
    pool says duplicate: it had them, so they count as accepted), not 256
    of them waiting for ever."""
    pool = testpool.Pool(3360, DIFFICULTY, mainnet=False)
    pool.drop_answers = True
    run = Run('answer-timeout', ['-o', url(3360), '-u', 'test.at', '-s', 'answer-timeout=8',
                                 '-s', 'failover-after=1000'])
    ok(wait(lambda: pool.stats().get('answers_dropped', 0) >= 1, 120),
       'no answer: the pool counted a share and said nothing', run.tail())
    ok(run.wait_log('no answer to a share in 8 s (answer-timeout)', 60),
       'after answer-timeout the session ends as failed', run.tail())
    pool.drop_answers = False
    dup = pool.stats().get('rejected.22', 0)
    ok(wait(lambda: pool.stats().get('rejected.22', 0) > dup, 60),
       'the next session sends the unanswered shares again: the pool says duplicate',
       run.tail())
    run.stop()
    accounted(run, 'answer timeout')
    ok(had_it(run) >= 1, 'the tool counts them as accepted, the pool having had them (%d)'
       % had_it(run), run.tail())
    pool.close()


def outage():
    """Shares found while the pool is away: kept, sent after the session
    resumes, or counted stale if their job is gone by then."""
    pool = testpool.Pool(3338, DIFFICULTY, mainnet=False)
    store = os.path.join(TMP, 'shares.json')
    run = Run('outage', ['-o', url(3338), '-u', 'test.out', '-s', 'share-store=' + store,
                         '-s', 'failover-after=1000'])
    ok(wait(lambda: pool_accepted(pool) >= 1, 120), 'outage: mining', run.tail())
    pool.stop_listening()
    mark = run.mark()
    ok(run.wait_log('share kept', 120, mark), 'pool away: shares found are kept', run.tail())
    ok(wait(lambda: os.path.exists(store) and
            len(json.load(open(store)).get('shares', [])) >= 1, 15),
       'and written to the share store')
    # on flash: one write per 10 s, not one per share
    writes, t_end = set(), time.time() + 12
    while time.time() < t_end:
        try:
            st = os.stat(store)
            writes.add((st.st_ino, st.st_mtime_ns))
        except OSError:
            pass
        time.sleep(0.05)
    kept = kept_since(run, mark)
    ok(len(kept) >= 4 and 1 <= len(writes) <= 3,
       'the file written %d times in 12 s while %d shares were kept' % (len(writes), len(kept)))
    accepted = pool_accepted(pool)
    pool.start_listening()
    ok(wait(lambda: pool.stats().get('resumed', 0) >= 1, 60),
       'reconnected: the session resumes (mining.subscribe with its id)', run.tail())
    ok(wait(lambda: all_accepted(run, kept) and
            pool_accepted(pool) >= accepted + len(kept) - had_it(run), 60),
       'the %d kept shares are sent and accepted' % len(kept), run.tail())
    only_lost_answers_twice(pool, [run])

    # the pool takes a share and hangs up before it answers: the tool cannot
    # know, sends it again, and counts the pool's "duplicate" as accepted
    twice = pool.stats().get('rejected.22', 0)
    mark = lose_an_answer(pool, run, 'hang up',
                          'an answer lost with the connection: the share is kept')
    ok(run.wait_log('the pool had it', 60, mark) and
       pool.stats().get('rejected.22', 0) == twice + 1 and run.count('duplicate') == 0,
       'sent again after the reconnect: the pool\'s "duplicate" counts as accepted',
       run.tail())

    # away again, and the pool moves on to a clean job meanwhile: stale
    pool.stop_listening()
    mark = run.mark()
    ok(run.wait_log('share kept', 120, mark), 'away again: shares kept', run.tail())
    pool.new_job(clean=True)
    pool.start_listening()
    ok(wait(lambda: run.count('stale') >= 1, 60),
       'their job voided by a clean job: counted stale, not sent', run.tail())
    run.stop()
    s = accounted(run, 'outage')
    ok(pool.stats().get('rejected.21', 0) == 0 and s.get('rejected') == 0,
       'no stale share was sent to the pool', pool.stats())
    pool.close()


def no_pool():
    """No pool for share-max-age: the module stops mining (what it found
    could not be sent in time), and mines again when a pool is back.  A
    share store in a directory others can write is refused."""
    open_dir = os.path.join(TMP, 'open')
    os.mkdir(open_dir)
    os.chmod(open_dir, 0o777)
    bad = Run('open-store', ['-o', url(3358), '-u', 'test.nopool', '-s',
                             'share-store=' + os.path.join(open_dir, 'shares.json')], ends=True)
    ok(bad.p.wait(30) != 0 and bad.has('others can write its directory'),
       'a share store others could replace: refused, with the reason', bad.tail())
    bad.stop()
    pool = testpool.Pool(3358, DIFFICULTY, mainnet=False)
    run = Run('nopool', ['-o', url(3358), '-u', 'test.nopool', '-s', 'share-max-age=6',
                         '-s', 'failover-after=1000'])
    ok(wait(lambda: pool_accepted(pool) >= 1, 120), 'no pool: mining first', run.tail())
    pool.stop_listening()
    ok(run.wait_log('mining stops until one is back', 60), 'the pool gone for 6 s: '
       'the module stops', run.tail())
    job, out = module_job()
    ok(job is None, 'no job runs in the module (%s)' % job, out.stderr)
    accepted = pool_accepted(pool)
    pool.start_listening()
    ok(wait(lambda: pool_accepted(pool) > accepted, 120), 'the pool back: mining again',
       run.tail())
    run.stop()
    accounted(run, 'no pool')
    pool.close()


def store_restart():
    """The share store keeps shares across a restart of the tool."""
    pool = testpool.Pool(3339, DIFFICULTY, mainnet=False)
    store = os.path.join(TMP, 'restart.json')
    with open(store, 'w') as f:
        f.write('{"shares": 3')
    run = Run('store-1', ['-o', url(3339), '-u', 'test.store', '-s', 'share-store=' + store,
                          '-s', 'failover-after=1000'])
    ok(wait(lambda: pool_accepted(pool) >= 1, 120), 'share store: mining', run.tail())
    ok(run.has('not a share store') and os.path.exists(store + '.bad'),
       'a broken share store is set aside (.bad), not overwritten', run.tail())
    lose_an_answer(pool, run, 'go away', 'pool away: a share kept, its answer lost')
    run.stop()
    first = run
    s = accounted(run, 'store, first run')
    kept = json.load(open(store)).get('shares', []) if os.path.exists(store) else []
    ok(s.get('pending', 0) >= 1 and len(kept) == s.get('pending'),
       'stopped: the %s pending shares are in the file' % s.get('pending'), kept)
    ok(any(k.get('sent_before') for k in kept),
       'the one whose answer was lost is marked sent before', kept)
    accepted = pool_accepted(pool)
    pool.start_listening()
    run = Run('store-2', ['-o', url(3339), '-u', 'test.store', '-s', 'share-store=' + store])
    ok(run.wait_log('from the previous run', 60), 'started again: the shares are read back',
       run.tail())
    shares = [(k.get('job_id'), k.get('nonce', -1)) for k in kept]
    ok(wait(lambda: all_accepted(run, shares) and
            pool_accepted(pool) >= accepted + len(kept) - had_it(run), 60),
       'the session resumes and the pool accepts each of them', run.tail())
    ok(pool.stats().get('resumed', 0) >= 1, 'with the session id from the file')
    ok(had_it(run) >= 1,
       'the one sent before: the pool\'s "duplicate" counts as accepted', run.tail())
    run.stop()
    accounted(run, 'store, second run')
    only_lost_answers_twice(pool, [first, run])
    pool.close()


def misbehaviour():
    """A pool that sends bad lines, hangs, asks to reconnect, rejects."""
    pool = testpool.Pool(3340, DIFFICULTY, mainnet=False)
    run = Run('bad', ['-o', url(3340), '-u', 'test.bad', '-s', 'max-line=4096',
                      '-s', 'silence=6', '-s', 'failover-after=1000'])
    ok(wait(lambda: pool_accepted(pool) >= 1, 120), 'misbehaving pool: mining', run.tail())
    conns = pool.stats().get('connections', 0)
    bad = ['this is not json\n', '{"id": null, "method": "mining.notify", "params": [1]}\n',
           '{"id":null,"method":"mining.set_extranonce","params":["00",17]}\n',
           '{"id":null,"method":"mining.notify","params":["j","%s","00","00",[%s],'
           '"20000000","1d00ffff","00000000",true]}\n' %
           ('00' * 32, ','.join(['"%s"' % ('00' * 32)] * 33)),
           'x' * 10000 + '\n']
    mark = run.mark()
    for line in bad[:4]:
        pool.send_raw(line)
    ok(wait(lambda: run.text()[mark:].count('refused a line') >= 4, 30),
       'four bad lines (not JSON, wrong types, extranonce2 size 17, 33 branches): '
       'one log line each', run.tail())
    jid = pool.new_job(clean=True)
    ok(wait(lambda: any(s['job'] == jid for s in pool.accepted_shares), 60),
       'and mining goes on, on the same connection', run.tail())
    pool.send_raw(bad[4])
    ok(run.wait_log('longer than 4096 bytes', 30, mark), 'an overlong line: skipped, logged')
    ok(pool.stats().get('connections', 0) == conns, 'one connection all along')
    ok(pool.stats().get('rejected.20', 0) == 0, 'no garbage was ever submitted')
    # a job id with an escape sequence and a newline (ids go back to the
    # pool as they came, so they are escaped where they are logged)
    mark = run.mark()
    j = pool.jobs[-1]
    pool.send_raw(json.dumps({'id': None, 'method': 'mining.notify', 'params': [
        '\x1b[2J\ninfo    share accepted: forged', j['prevhash'], j['coinb1'], j['coinb2'],
        j['branches'], j['version'], j['nbits'], j['ntime'], False]}) + '\n')
    ok(run.wait_log('job \\x1b[2J\\x0ainfo    share accepted: forged', 30, mark) and
       '\x1b' not in run.text()[mark:],
       'a job id with an escape sequence and a newline: logged escaped, on one line',
       run.tail())
    pool.new_job(clean=True)

    mark = run.mark()
    for i in range(5):
        pool.send_raw('garbage %d\n' % i)
    ok(run.wait_log('keeps sending bad lines', 30, mark) and
       wait(lambda: pool.stats().get('connections', 0) > conns, 30),
       'five bad lines in a row: the node counts as failed, a new connection', run.tail())

    conns = pool.stats().get('connections', 0)
    mark = run.mark()
    pool.reconnect()
    ok(wait(lambda: pool.stats().get('connections', 0) > conns, 30) and
       run.has('asks to reconnect', mark), 'client.reconnect: honoured', run.tail())

    conns = pool.stats().get('connections', 0)
    mark = run.mark()
    pool.silent = True
    ok(run.wait_log('silent for', 30, mark), 'a silent pool: noticed', run.tail())
    pool.silent = False
    ok(wait(lambda: pool.stats().get('connections', 0) > conns and pool.clients() == 1, 60),
       'and a new connection', run.tail())

    # each of Stratum's error codes: 21 counts as stale, 22 as duplicate,
    # the others as rejected by their code
    for code, what in ((20, None), (21, 'stale'), (22, 'duplicate'), (23, None), (24, None),
                       (25, None)):
        before = run.status() or {}

        def counted():
            st = run.status() or {}
            if what:
                return st.get(what, 0) > before.get(what, 0)
            return st.get('rejected_by_code', {}).get(str(code), 0) > \
                before.get('rejected_by_code', {}).get(str(code), 0)
        pool.reject_code = code
        ok(wait(counted, 60), 'the pool rejects a share with %d: counted as %s' %
           (code, what or 'rejected, code %d' % code), run.status())
        pool.reject_code = 0

    pool.refuse_configure = True
    mark = run.mark()
    pool.drop()
    ok(run.wait_log('no version rolling', 60, mark) and
       wait(lambda: pool.clients() == 1, 60), 'mining.configure refused: mining without it',
       run.tail())
    pool.refuse_configure = 'drop'
    mark = run.mark()
    pool.drop()
    ok(run.wait_log('without mining.configure for', 60, mark), 'a pool that hangs up on '
       'mining.configure: noticed', run.tail())
    ok(wait(lambda: pool.clients() == 1, 60), 'and the next session goes without it',
       run.tail())
    pool.refuse_configure = False
    accepted = pool_accepted(pool)
    ok(wait(lambda: pool_accepted(pool) > accepted, 60), 'mining goes on', run.tail())
    run.stop()
    s = accounted(run, 'misbehaving pool')
    ok(s.get('invalid') == 0, 'no share of a bad job was ever found or sent')
    st = pool.stats()
    # a share whose answer a dropped connection took is sent again: the
    # pool says 22, and the tool counts it as the accepted share it was
    ok(s.get('duplicate') == st.get('injected.22'),
       'a job sent again after a reconnect is not mined again: no duplicate but those the '
       'pool made up', (s, st))
    ok(s.get('accepted') == st.get('accepted'),
       'the tool counts as accepted what the pool accepted, shares sent again included',
       (s, st))
    pool.close()


def keepalive():
    """No share for a while: ask for a lower difficulty."""
    pool = testpool.Pool(3341, 1e6, mainnet=False)
    pool.honour_suggest = False
    run = Run('keepalive', ['-o', url(3341), '-u', 'test.keep', '-s', 'keepalive=4'])
    ok(wait(lambda: 5e5 in pool.stats()['suggested'], 60),
       'no share for keepalive seconds: suggest_difficulty of half the difficulty',
       run.tail())
    run.stop()
    pool.close()


def family_id():
    """The micromine family's id, as iproute2's genl sees it (0: none)."""
    out = subprocess.run(['genl', 'ctrl', 'get', 'name', 'micromine'],
                         capture_output=True, text=True).stdout
    m = re.search(r'ID: (0x[0-9a-f]+)', out)
    return int(m.group(1), 16) if m else 0


def skip(desc, why):
    global n
    n += 1
    print('ok %d %s # SKIP %s' % (n, desc, why))
    sys.stdout.flush()


def worker_policies():
    """The scheduling policy of each micromine/<cpu> kernel thread, by pid."""
    policies = {}
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open('/proc/%s/stat' % pid) as f:
                stat = f.read()
            comm, ppid = stat[stat.index('(') + 1:stat.rindex(')')], stat[stat.rindex(')') + 4:].split()[0]
            if ppid == '2' and re.fullmatch(r'micromine/\d+', comm):
                policies[int(pid)] = os.sched_getscheduler(int(pid))
        except (OSError, ValueError):
            continue
    return policies


def workers_idle(count=None):
    """Every worker SCHED_IDLE (and @count of them, if given)."""
    policies = worker_policies()
    return bool(policies) and all(p == os.SCHED_IDLE for p in policies.values()) and \
        count in (None, len(policies))


def module_reload():
    """The module unloaded under a running `micromine run` and loaded again:
    one line each way, and mining resumes on its own."""
    pool = testpool.Pool(3345, DIFFICULTY, mainnet=False)
    run = Run('reload', ['-o', url(3345), '-u', 'test.reload'])
    ok(wait(lambda: pool_accepted(pool) >= 1, 120), 'reload: mining', run.tail())
    mark = run.mark()
    old_id = family_id()
    ok(subprocess.run(['rmmod', 'micromine']).returncode == 0,
       'rmmod while micromine run is running')
    ok(run.wait_log('module: gone', 30, mark), 'the tool says the module is gone', run.tail())
    ok(run.wait_log('family micromine (id %d) unregistered' % old_id, 30, mark),
       'nlctrl told it so', run.tail())
    time.sleep(5)
    since = run.text()[mark:]
    ok(since.count('module: gone') == 1 and 'failed' not in since and run.p.poll() is None,
       'once, no error after it, and it keeps running', run.tail())
    ok(subprocess.run(['insmod', os.environ['MM_KO']]).returncode == 0, 'insmod again')
    ok(run.wait_log('family micromine (id %d) registered' % family_id(), 30, mark),
       'nlctrl tells it the module is back', run.tail())
    ok(run.wait_log('module: back', 30, mark), 'the tool finds it again', run.tail())
    ok(wait(workers_idle, 30),
       'its new workers are SCHED_IDLE (on 5.10 the tool makes them so)', worker_policies())
    before = pool_accepted(pool)
    ok(wait(lambda: pool_accepted(pool) > before, 120),
       'and mines on it: the pool accepts its shares', run.tail())
    run.stop()
    accounted(run, 'reload')
    pool.close()


def cpu_online():
    """A CPU brought online under `micromine run`: the module starts a
    worker there, SCHED_IDLE (on 5.10 the tool hears of it and sees to it)."""
    online = '/sys/devices/system/cpu/cpu1/online'
    if not os.path.exists(online):
        skip('CPU online', 'no CPU 1 to take offline')
        return
    subprocess.run(['rmmod', 'micromine'])
    pool = testpool.Pool(3348, DIFFICULTY, mainnet=False)
    try:
        with open(online, 'w') as f:
            f.write('0')
        ok(subprocess.run(['insmod', os.environ['MM_KO']]).returncode == 0,
           'CPU 1 offline: module loaded')
        # as an earlier run would have left them: the tool finds nothing
        # to do at the start, and must listen all the same
        for pid in worker_policies():
            os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))
        run = Run('cpu', ['-o', url(3348), '-u', 'test.cpu'])
        ok(wait(lambda: pool_accepted(pool) >= 1, 120), 'CPU 1 offline: mining', run.tail())
        ok(len(worker_policies()) == 1, 'one worker', worker_policies())
        with open(online, 'w') as f:
            f.write('1')
        ok(wait(lambda: workers_idle(2), 30),
           'CPU 1 online: its new worker is SCHED_IDLE too', worker_policies())
        run.stop()
        accounted(run, 'CPU online')
    finally:
        with open(online, 'w') as f:
            f.write('1')
        pool.close()


def used_up():
    """With a module whose jobs hold 2^22 nonces per version (a test build,
    MM_KO_SHORT_NONCES): shares of rolled versions go to the pool, and
    without version rolling each job the module uses up is followed at once
    by the next extranonce2 of the same pool job."""
    ko = os.environ.get('MM_KO_SHORT_NONCES')
    if not ko:
        skip('jobs used up', 'no short-nonces module on this kernel')
        return
    subprocess.run(['rmmod', 'micromine'])
    pool = testpool.Pool(3349, DIFFICULTY, mainnet=False)
    try:
        ok(subprocess.run(['insmod', ko]).returncode == 0,
           'a module whose jobs hold 2^22 nonces per version: loaded', ko)
        base = int(pool.jobs[-1]['version'], 16)
        run = Run('rolled', ['-o', url(3349), '-u', 'test.rolled'])

        def rolled():
            return {s['version'] for s in pool.accepted_shares if s['version'] != base}
        ok(wait(lambda: len(rolled()) >= 2, 120),
           'versions rolled: the pool accepts shares of %d versions besides the job\'s'
           % len(rolled()), run.tail())
        run.stop()
        accounted(run, 'versions rolled')

        pool.refuse_configure = True
        exhausted, first = sysfs('jobs_exhausted'), len(pool.accepted_shares)
        run = Run('used-up', ['-o', url(3349), '-u', 'test.used-up'])
        ok(run.wait_log('no version rolling', 60), 'mining.configure refused', run.tail())
        jid = pool.jobs[-1]['id']

        def extranonces():
            return {s['xn2'] for s in pool.accepted_shares[first:]
                    if s['job'] == jid and s['version'] == base}
        ok(wait(lambda: len(extranonces()) >= 4, 120),
           'no version rolling: shares of %d extranonce2 values of one pool job, each the '
           'module\'s job used up, the next one mined' % len(extranonces()), run.tail())
        ok(sysfs('jobs_exhausted') - exhausted >= 3,
           'the module says its jobs were used up (%d)' % (sysfs('jobs_exhausted') - exhausted))
        run.stop()
        s = accounted(run, 'jobs used up')
        st = pool.stats()
        ok(s.get('rejected') == 0 and not any(k.startswith('rejected.') for k in st),
           'the pool rejected none of the shares, rolled or not', st)
        xn2_sizes(pool, base)
    finally:
        pool.close()
        subprocess.run(['rmmod', 'micromine'])
        ok(subprocess.run(['insmod', os.environ['MM_KO']]).returncode == 0,
           'the module as built loaded again')


def xn2_sizes(pool, base):
    """Extranonce2 of 1, 3, 8 and 0 bytes (@pool without version rolling,
    the module's jobs 2^22 nonces): the pool's size, never a value twice
    for a job; of 0 bytes there is one value, one module job per pool
    job: the tool says so and waits for the next job."""
    for size, values in ((1, 2), (3, 1), (8, 1), (0, 1)):
        pool.xn2_size = size
        first = len(pool.accepted_shares)
        st0 = pool.stats()
        run = Run('xn2-%d' % size, ['-o', url(3349), '-u', 'test.xn2'])
        ok(run.wait_log('extranonce2 %d bytes' % size, 60),
           'extranonce2 of %d bytes: subscribed' % size, run.tail())
        jid = pool.jobs[-1]['id']

        def values_of():
            return {s['xn2'] for s in pool.accepted_shares[first:]
                    if s['job'] == jid and s['version'] == base}
        ok(wait(lambda: len(values_of()) >= values, 120),
           'extranonce2 of %d bytes: shares of %d value(s) of %s' %
           (size, len(values_of()), sorted(values_of())), run.tail())
        ok(all(len(x) == 2 * size for x in values_of()), 'each %d bytes long' % size)
        if not size:
            ok(run.wait_log('its 1 extranonce2 value is used up', 120),
               'one value, used up: the tool waits for the next job', run.tail())
            ok(wait(lambda: module_job()[0] is None, 120),
               'its module job used up, no other runs (%s)' % (module_job()[0],))
            accepted = pool_accepted(pool)
            pool.new_job(clean=False)
            ok(wait(lambda: pool_accepted(pool) > accepted, 120),
               'the next job: mining again', run.tail())
        run.stop()
        accounted(run, 'extranonce2 of %d bytes' % size)
        st = pool.stats()
        ok(all(st.get(k, 0) == st0.get(k, 0) for k in st if k.startswith('rejected.')),
           'extranonce2 of %d bytes: the pool rejected none, none twice' % size, st)
    pool.xn2_size = 4


def sighup():
    """SIGHUP reloads the config file: a new node list takes effect."""
    a = testpool.Pool(3342, DIFFICULTY, mainnet=False)
    b = testpool.Pool(3343, DIFFICULTY, mainnet=False)
    conf = os.path.join(TMP, 'hup.conf')
    with open(conf, 'w') as f:
        f.write('[node a]\nurl = %s\nuser = test.hup\n' % url(3342))
    os.chmod(conf, 0o600)
    run = Run('hup', ['-c', conf])
    ok(wait(lambda: pool_accepted(a) >= 1, 120), 'SIGHUP: mining for node a', run.tail())
    with open(conf, 'w') as f:
        f.write('[run]\nkeepalive = 300\n[node b]\nurl = %s\nuser = test.hup\n' % url(3343))
    run.p.send_signal(signal.SIGHUP)
    ok(run.wait_log('new trusted nodes', 30), 'SIGHUP: reloaded', run.tail())
    ok(wait(lambda: pool_accepted(b) >= 1, 120), 'mining for node b now', run.tail())
    with open(conf, 'w') as f:
        f.write('[run]\nkeepalve = 300\n')
    mark = run.mark()
    run.p.send_signal(signal.SIGHUP)
    ok(run.wait_log('the settings stay as they were', 30, mark),
       'a broken config file: the reload is refused, mining goes on', run.tail())
    run.stop()
    accounted(run, 'SIGHUP')
    a.close()
    b.close()


def store_resized():
    """SIGHUP with a larger, then a smaller share-store-max while no pool is
    reachable, the tool under AddressSanitizer: the store grows with the
    setting and shrinks at once (the oldest dropped, each counted), and
    every share is accounted for."""
    asan = os.path.join(os.environ['MM_BIN'], 'micromine-asan')
    if not os.path.exists(asan):
        skip('the share store resized', 'no AddressSanitizer build here')
        return
    pool = testpool.Pool(3357, DIFFICULTY, mainnet=False)
    conf = os.path.join(TMP, 'store.conf')

    def store_max(n):
        with open(conf, 'w') as f:
            f.write('[run]\nshare-store-max = %d\n[node p]\nurl = %s\nuser = test.store\n'
                    % (n, url(3357)))
        os.chmod(conf, 0o600)
    store_max(4)
    report = os.path.join(TMP, 'asan')
    run = Run('store', ['-c', conf], binary=asan,
              env={'ASAN_OPTIONS': 'log_path=%s:detect_leaks=1' % report,
                   'UBSAN_OPTIONS': 'log_path=%s:halt_on_error=1:print_stacktrace=1' % report})
    ok(wait(lambda: pool_accepted(pool) >= 1, 120), 'store: mining', run.tail())
    pool.stop_listening()
    ok(run.wait_log('the share store is full', 180),
       'the pool gone: four shares kept, then the oldest goes', run.tail())
    mark = run.mark()
    store_max(64)
    run.p.send_signal(signal.SIGHUP)
    ok(run.wait_log('reloaded', 30, mark) and
       wait(lambda: len(kept_since(run, mark)) >= 12 or run.p.poll() is not None, 180) and
       wait(lambda: run.count('pending') > 4, 10),
       'share-store-max raised to 64: more than four kept (%d)' % run.count('pending'),
       run.tail())
    mark = run.mark()
    dropped = run.text().count('the share store is full')
    store_max(2)
    run.p.send_signal(signal.SIGHUP)
    ok(run.wait_log('reloaded', 30, mark) and
       run.text().count('the share store is full') - dropped >= 3,
       'lowered to 2: the oldest dropped at once, each logged', run.tail())
    ok(wait(lambda: 0 < run.count('pending') <= 2, 10),
       'and at most two kept (%d)' % run.count('pending'))
    pool.start_listening()
    ok(wait(lambda: run.count('pending') == 0 and pool_accepted(pool) >= 2, 120),
       'the pool back: the kept shares sent', run.tail())
    rc = run.stop()
    found = [f for f in os.listdir(TMP) if f.startswith('asan')]
    text = ''.join(open(os.path.join(TMP, f)).read() for f in found)
    ok(rc == 0 and not text, 'no AddressSanitizer or UBSan report (exit %s)' % rc, text)
    accounted(run, 'store resized')
    pool.close()


def under_valgrind():
    """The whole life of `run` under valgrind: no leak, no memory error."""
    if not shutil.which('valgrind'):
        skip('valgrind', 'no valgrind on this guest')
        return
    pool = testpool.Pool(3344, DIFFICULTY, mainnet=False)
    run = Run('valgrind', ['-o', url(3344), '-u', 'test.vg'], valgrind=True)
    ok(wait(lambda: pool_accepted(pool) >= 2, 240), 'valgrind: mining', run.tail())
    pool.drop()
    ok(wait(lambda: pool.stats().get('connections', 0) >= 2 and pool.clients() == 1, 60),
       'valgrind: reconnected')
    rc = run.stop(timeout=120)
    vg = open(run.log + '.vg').read() if os.path.exists(run.log + '.vg') else ''
    ok(rc == 0 and not vg.strip(), 'valgrind: no leak, no memory error (exit %s)' % rc, vg)
    pool.close()


def main():
    print('TAP version 13')
    if subprocess.run(['insmod', os.environ['MM_KO']]).returncode:
        print('Bail out! cannot load the module')
        return 1
    # a module reloaded and a CPU brought online under the tool on every
    # kernel: 5.10 leaves SCHED_IDLE to the tool
    tests = [basic, module_reload, cpu_online]
    if FULL:
        tests += [tls, clean_jobs, failover, per_session, version_mask, extranonce,
                  difficulty_after_job, default_difficulty, suggest_auto, per_node,
                  redirect_stays, lookups, connect_timeout,
                  answer_timeout, outage, no_pool, store_restart, misbehaviour, keepalive,
                  used_up, sighup, store_resized, under_valgrind]
    # MM_STRATUM_ONLY=name,...: those scenarios alone (for a quick look)
    only = os.environ.get('MM_STRATUM_ONLY')
    if only:
        tests = [t for t in tests if t.__name__ in only.split(',')]
    for t in tests:
        t0 = time.time()
        t()
        print('# %s: %.0f s' % (t.__name__, time.time() - t0))
        sys.stdout.flush()
    subprocess.run(['rmmod', 'micromine'])
    shutil.rmtree(TMP, ignore_errors=True)
    print('1..%d' % n)
    return 0


if __name__ == '__main__':
    sys.exit(main())
