#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A Stratum v1 test pool for micromine's tests and demo.

Serves the real mainnet job of tests/vectors/stratum-mainnet-job.json (to
the first session, whose extranonce1 is the vector's) and freshly made
easy jobs, and checks every share itself: its own coinbase, merkle root,
header, SHA-256d (hashlib) and exact target (integers).  It can misbehave
on command: drop connections, go silent, send garbage or overlong lines,
send client.reconnect, reject shares with a given code, refuse, ignore
or hang up on mining.configure, set the difficulty only after the first
job or never (Stratum's default, 1, then holds), stop listening, require
TLS.  It counts what a client must not do: shares below the difficulty
(rejected.23), rolled version bits without an agreed mask
(unagreed_rolling).

As a program: testpool.py --port 3333 [--tls-cert C --tls-key K]
[--difficulty D] [--stats FILE] [--jobs-every S].  As a module: Pool(...)
runs in a thread; its methods are the commands; pool.stats() the counts.
"""

import argparse
import asyncio
import hashlib
import json
import os
import secrets
import ssl
import struct
import sys
import threading
import time
from fractions import Fraction

DIFF1 = 0xFFFF << 208
ROLL_MASK = 0x1FFFE000
VECTOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'vectors',
                      'stratum-mainnet-job.json')


def sha256d(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def target_of(difficulty):
    """The exact share target of a difficulty (an integer)."""
    return int(Fraction(DIFF1) / Fraction(difficulty))


def header_of(job, xn1, xn2, ntime, nonce, version):
    """The block header, built independently of micromine's code."""
    coinbase = bytes.fromhex(job['coinb1']) + xn1 + xn2 + bytes.fromhex(job['coinb2'])
    root = sha256d(coinbase)
    for b in job['branches']:
        root = sha256d(root + bytes.fromhex(b))
    prev = bytes.fromhex(job['prevhash'])
    prev = b''.join(prev[i:i + 4][::-1] for i in range(0, 32, 4))
    return (struct.pack('<I', version) + prev + root +
            struct.pack('<III', ntime, int(job['nbits'], 16), nonce))


class Session:
    def __init__(self, pool, reader, writer):
        self.pool = pool
        self.reader = reader
        self.writer = writer
        self.xn1 = None
        self.xn2_size = 4
        self.xn_subscribed = False
        self.sid = None
        self.subscribed = False
        self.authorized = False
        self.user = None
        self.mask = 0
        self.configured = False
        # Stratum's default until set_difficulty (which 'first' sends
        # before the first job)
        self.difficulty = pool.difficulty if pool.difficulty_mode == 'first' else 1.0
        self.job_difficulty = {}
        self.seen = set()

    def send(self, obj):
        if self.pool.silent:
            return
        self.write(json.dumps(obj) + '\n')

    def write(self, text):
        try:
            self.writer.write(text.encode())
        except Exception:
            pass

    def notify(self, job):
        self.job_difficulty[job['id']] = self.difficulty
        self.send({'id': None, 'method': 'mining.notify',
                   'params': [job['id'], job['prevhash'], job['coinb1'], job['coinb2'],
                              job['branches'], job['version'], job['nbits'], job['ntime'],
                              job['clean']]})

    def set_difficulty(self, d):
        self.difficulty = d
        self.send({'id': None, 'method': 'mining.set_difficulty', 'params': [d]})

    def answer(self, mid, result, code=None, message=None):
        err = [code, message, None] if code else None
        self.send({'id': mid, 'result': result if not code else None, 'error': err})

    def handle(self, msg):
        p = self.pool
        mid, method, params = msg.get('id'), msg.get('method'), msg.get('params') or []
        p.count('requests.' + str(method))
        if method == 'mining.configure':
            if p.refuse_configure == 'drop':
                return 'drop'
            if p.refuse_configure == 'ignore':
                return None
            if p.refuse_configure:
                self.answer(mid, None, 20, 'Unsupported method')
                return None
            ask = int(params[1].get('version-rolling.mask', '0'), 16)
            self.mask = ask & ROLL_MASK
            self.configured = True
            self.send({'id': mid, 'error': None,
                       'result': {'version-rolling': True,
                                  'version-rolling.mask': '%08x' % self.mask}})
        elif method == 'mining.subscribe':
            sid = params[1] if len(params) > 1 else None
            if sid and sid in p.sessions_xn1:
                self.sid, self.xn1 = sid, p.sessions_xn1[sid]
                p.count('resumed')
            else:
                self.sid = secrets.token_hex(8)
                self.xn1 = p.new_xn1()
                p.sessions_xn1[self.sid] = self.xn1
            self.subscribed = True
            self.xn2_size = p.xn2_size
            self.send({'id': mid, 'error': None,
                       'result': [[['mining.set_difficulty', self.sid],
                                   ['mining.notify', self.sid]], self.xn1.hex(),
                                  self.xn2_size]})
        elif method == 'mining.authorize':
            self.user = params[0] if params else None
            p.passwords.append(params[1] if len(params) > 1 else None)
            self.authorized = bool(self.user) and not p.refuse_authorize
            self.answer(mid, self.authorized)
            if self.authorized:
                p.count('authorized')
                p.count('authorized.' + self.user)
                if p.difficulty_mode == 'first':
                    self.set_difficulty(self.difficulty)
                with p.lock:
                    p.first_difficulty.append(self.difficulty)
                for job in p.jobs[-1:]:
                    self.notify(dict(job, clean=True))
                if p.difficulty_mode == 'after':
                    # for the next job: this one stays at Stratum's default
                    self.set_difficulty(p.difficulty)
        elif method == 'mining.suggest_difficulty':
            d = float(params[0])
            p.suggested.append(d)
            if p.honour_suggest and d > 0:
                self.set_difficulty(max(d, p.min_difficulty))
                if p.suggest_new_job:
                    p.new_job(clean=False)
        elif method == 'mining.submit':
            return self.submit(mid, params)
        elif method == 'mining.extranonce.subscribe':
            self.xn_subscribed = True
            self.answer(mid, True)
        elif mid is not None and method:
            self.answer(mid, None, 20, 'Unknown method')
        elif 'result' in msg:
            p.count('answers')
            p.answers.append(msg)
        return None

    def submit(self, mid, params):
        p = self.pool
        if not self.subscribed:
            return self.reject(mid, 25, 'Not subscribed')
        if not self.authorized:
            return self.reject(mid, 24, 'Unauthorized worker')
        if p.reject_code:
            p.count('injected.%d' % p.reject_code)
            return self.reject(mid, p.reject_code, 'Rejected on command')
        try:
            user, jid, xn2, ntime, nonce = params[:5]
            vbits = int(params[5], 16) if len(params) > 5 else None
            xn2 = bytes.fromhex(xn2)
            ntime, nonce = int(ntime, 16), int(nonce, 16)
        except Exception:
            return self.reject(mid, 20, 'Malformed submit')
        job = p.job_by_id(jid)
        if job is None or not job['valid']:
            return self.reject(mid, 21, 'Stale: job not found')
        if len(xn2) != self.xn2_size:
            return self.reject(mid, 20, 'Wrong extranonce2 size')
        version = int(job['version'], 16)
        if vbits is not None and not self.configured:
            p.count('unagreed_rolling')
            return self.reject(mid, 20, 'Version rolling not agreed')
        if vbits is not None:
            if vbits & ~self.mask:
                return self.reject(mid, 20, 'Version bits outside the mask')
            version = (version & ~self.mask) | (vbits & self.mask)
        if ntime != int(job['ntime'], 16):
            return self.reject(mid, 20, 'Wrong ntime')
        key = (jid, self.xn1, xn2, ntime, nonce, version)
        if key in p.seen:
            return self.reject(mid, 22, 'Duplicate share')
        h = sha256d(header_of(job, self.xn1, xn2, ntime, nonce, version))
        value = int.from_bytes(h, 'little')
        d = self.job_difficulty.get(jid, self.difficulty)
        if value > target_of(d):
            return self.reject(mid, 23, 'Low difficulty share')
        p.seen.add(key)
        p.count('accepted')
        p.accepted_shares.append({'job': jid, 'nonce': nonce, 'version': version,
                                  'xn1': self.xn1.hex(),
                                  'xn2': xn2.hex(), 'hash': h[::-1].hex(), 'difficulty': d})
        if p.lose_answer:
            # the answer lost with the connection: the tool cannot know
            away, p.lose_answer = p.lose_answer == 'go away', None
            p.count('answers_lost')
            if away:
                p._close()
            self.writer.transport.abort()
            return 'drop'
        if p.drop_answers:
            # counted, never answered: the tool must not wait for ever
            p.count('answers_dropped')
            return None
        if p.answer_delay:
            # a slow pool: the answer comes later
            p.loop.call_later(p.answer_delay, self.answer, mid, True)
            return None
        self.answer(mid, True)
        return None

    def reject(self, mid, code, message):
        self.pool.count('rejected.%d' % code)
        self.answer(mid, None, code, message)

    async def run(self):
        p = self.pool
        try:
            while True:
                try:
                    line = await self.reader.readuntil(b'\n')
                except asyncio.LimitOverrunError:
                    p.count('client_overlong')
                    break
                except asyncio.IncompleteReadError:
                    break
                p.last_rx = time.time()
                if p.silent:
                    continue
                try:
                    msg = json.loads(line)
                except ValueError:
                    p.count('client_garbage')
                    continue
                if self.handle(msg) == 'drop':
                    break
                await self.writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            p.sessions.discard(self)
            self.writer.close()


class Pool:
    """A test pool on 127.0.0.1:port, in a thread of its own."""

    def __init__(self, port, difficulty=0.001, tls=None, jobs_every=0, stats_path=None,
                 mainnet=True):
        self.port = port
        self.difficulty = difficulty
        self.min_difficulty = 1e-9
        self.tls = tls
        self.jobs_every = jobs_every
        self.stats_path = stats_path
        self.sessions = set()
        self.sessions_xn1 = {}
        self.jobs = []
        self.seen = set()
        self.counts = {}
        self.suggested = []
        self.answers = []
        self.accepted_shares = []
        # the password of each mining.authorize
        self.passwords = []
        self.silent = False
        self.reject_code = 0
        # True (an error), 'drop' (hang up) or 'ignore' (no answer)
        self.refuse_configure = False
        # 'first': set_difficulty before the first job; 'after': after it
        # (the first job at 1); 'never'
        self.difficulty_mode = 'first'
        self.refuse_authorize = False
        # the next accepted share's answer: 'hang up' or 'go away' (stop
        # listening too) instead of it
        self.lose_answer = None
        self.honour_suggest = True
        # a job of its own right after a suggest_difficulty; without, the
        # difficulty waits for the next job (a pool serving other miners
        # sends that a minute later)
        self.suggest_new_job = True
        # the difficulty of each session's first job (at authorize)
        self.first_difficulty = []
        # seconds before an accepted share's answer
        self.answer_delay = 0
        # accepted shares are counted but never answered
        self.drop_answers = False
        # extranonce2 bytes the next subscriptions get (0 to 8 and more)
        self.xn2_size = 4
        self.last_rx = 0
        self.xn1_next = 1
        self.job_next = 1
        self.lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        self.server = None
        self.vector = json.load(open(VECTOR))
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._thread, daemon=True)
        self.thread.start()
        self.ready.wait()
        self._call(self._first_job, mainnet)

    # --- the pool's own thread ---
    def _thread(self):
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._listen())
        self.ready.set()
        self.loop.run_forever()

    async def _listen(self):
        self.server = await asyncio.start_server(self._accept, '127.0.0.1', self.port,
                                                 ssl=self.tls, limit=1 << 20)
        if self.jobs_every:
            self.loop.create_task(self._ticker())

    async def _ticker(self):
        while True:
            await asyncio.sleep(self.jobs_every)
            self.new_job(clean=False)

    async def _accept(self, reader, writer):
        s = Session(self, reader, writer)
        self.sessions.add(s)
        self.count('connections')
        await s.run()

    def _call(self, fn, *args):
        """Run fn(*args) in the pool's thread and return its result."""
        done = threading.Event()
        out = []

        def call():
            try:
                out.append(fn(*args))
            finally:
                done.set()
        self.loop.call_soon_threadsafe(call)
        done.wait(10)
        return out[0] if out else None

    def count(self, what, n=1):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + n
        self._save()

    def _save(self):
        if self.stats_path:
            tmp = self.stats_path + '.tmp'
            with open(tmp, 'w') as f:
                json.dump(self.stats(), f)
            os.replace(tmp, self.stats_path)

    def new_xn1(self):
        if self.xn1_next == 1:
            xn1 = bytes.fromhex(self.vector['extranonce1'])
        else:
            xn1 = struct.pack('>I', self.xn1_next)
        self.xn1_next += 1
        return xn1

    def job_by_id(self, jid):
        for j in self.jobs:
            if j['id'] == jid:
                return j
        return None

    def _first_job(self, mainnet):
        if mainnet:
            n = self.vector['notify']
            self.jobs.append({'id': n[0], 'prevhash': n[1], 'coinb1': n[2], 'coinb2': n[3],
                              'branches': n[4], 'version': n[5], 'nbits': n[6],
                              'ntime': n[7], 'clean': True, 'valid': True})
        else:
            self._make_job(True)

    def _make_job(self, clean, outputs=1, branches=None, same_block=False):
        # a clean job is a new block, or (@same_block) a new template of
        # the same block that voids the others all the same
        prev = (self.jobs[-1]['prevhash'] if self.jobs and (same_block or not clean)
                else secrets.token_hex(32))
        # the coinbase's outputs (a pool paying many miners has hundreds)
        count = ('%02x' % outputs if outputs < 0xfd else
                 'fd' + struct.pack('<H', outputs).hex())
        pay = ''.join('00f2052a01000000' + '1976a914' + secrets.token_hex(20) + '88ac'
                      for _ in range(outputs))
        if branches is None:
            branches = secrets.randbelow(8)
        job = {'id': '%x' % self.job_next, 'prevhash': prev,
               'coinb1': '01000000010000000000000000000000000000000000000000000000000000000000'
                         '000000ffffffff20' + secrets.token_hex(8),
               'coinb2': secrets.token_hex(12) + 'ffffffff' + count + pay + '00000000',
               'branches': [secrets.token_hex(32) for _ in range(branches)],
               'version': '20000000', 'nbits': '1d00ffff',
               'ntime': '%08x' % int(time.time()), 'clean': clean, 'valid': True}
        self.job_next += 1
        if clean:
            for j in self.jobs:
                j['valid'] = False
        self.jobs.append(job)
        self.jobs = self.jobs[-32:]
        for s in list(self.sessions):
            if s.authorized:
                s.notify(job)
        self.count('jobs')
        return job['id']

    # --- commands, from any thread ---
    def new_job(self, clean=True, outputs=1, branches=None, same_block=False):
        if threading.current_thread() is self.thread:
            return self._make_job(clean, outputs, branches, same_block)
        return self._call(self._make_job, clean, outputs, branches, same_block)

    def each(self, fn):
        """fn(session) for every session, in the pool's thread."""
        return self._call(lambda: [fn(s) for s in list(self.sessions)])

    def set_difficulty(self, d, then_job=True):
        self.difficulty = d

        def apply(s):
            s.set_difficulty(d)
        self.each(apply)
        if then_job:
            self.new_job(clean=False)

    def set_version_mask(self, mask):
        """mining.set_version_mask to every session; those that agreed to
        version rolling take shares within it from now on."""
        def apply(s):
            if s.configured:
                s.mask = mask
            s.send({'id': None, 'method': 'mining.set_version_mask', 'params': ['%08x' % mask]})
        self.each(apply)

    def set_extranonce(self, then_job=True):
        """A new extranonce1 to every session that subscribed to it
        (mining.set_extranonce), then (@then_job) a clean job; returns the
        new values."""
        def apply():
            new = []
            for s in list(self.sessions):
                if s.xn_subscribed and s.authorized:
                    s.xn1 = self.new_xn1()
                    self.sessions_xn1[s.sid] = s.xn1
                    s.send({'id': None, 'method': 'mining.set_extranonce',
                            'params': [s.xn1.hex(), s.xn2_size]})
                    self.count('set_extranonce')
                    new.append(s.xn1.hex())
            if then_job:
                self._make_job(True)
            return new
        return self._call(apply)

    def drop(self):
        self.each(lambda s: s.writer.transport.abort())

    def send_raw(self, text):
        self.each(lambda s: s.write(text))

    def reconnect(self, host=None, port=None, wait=0):
        params = [] if host is None and port is None else [host or '', port, wait]
        self.each(lambda s: s.send({'id': None, 'method': 'client.reconnect',
                                    'params': params}))

    def _close(self):
        self.server.close()
        for s in list(self.sessions):
            s.writer.transport.abort()

    def stop_listening(self):
        self._call(self._close)

    def start_listening(self):
        fut = asyncio.run_coroutine_threadsafe(self._listen(), self.loop)
        fut.result(10)

    def clients(self):
        return self._call(lambda: sum(1 for s in self.sessions if s.authorized))

    def stats(self):
        with self.lock:
            c = dict(self.counts)
        c['suggested'] = list(self.suggested)
        c['first_difficulty'] = list(self.first_difficulty)
        return c

    def close(self):
        self.stop_listening()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        # closed here, not by the garbage collector at exit (its pipe gone)
        if not self.thread.is_alive():
            self.loop.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--port', type=int, default=3333)
    ap.add_argument('--difficulty', type=float, default=0.001)
    ap.add_argument('--tls-cert')
    ap.add_argument('--tls-key')
    ap.add_argument('--jobs-every', type=float, default=0,
                    help='seconds between new (not clean) jobs; 0: none')
    ap.add_argument('--stats', help='keep the counts in this JSON file')
    ap.add_argument('--no-mainnet', action='store_true',
                    help='start with a made-up job, not the mainnet one')
    args = ap.parse_args()
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    pool = Pool(args.port, args.difficulty, tls, args.jobs_every, args.stats,
                not args.no_mainnet)
    print('testpool: listening on 127.0.0.1:%d%s' % (args.port, ' (TLS)' if tls else ''),
          flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pool.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
