# SPDX-License-Identifier: GPL-2.0
"""What a `micromine run` log says at its end: the line that accounts for
every share found (user/state.c, state_summary()), as the Stratum tests
and the demo read it."""

import re

SUMMARY = re.compile(r'shares found (\d+): accepted (\d+), rejected (\d+), stale (\d+), '
                     r'duplicate (\d+), invalid (\d+), dropped (\d+), pending (\d+)')
# where a share can end, each counted once
FATES = ['accepted', 'rejected', 'stale', 'duplicate', 'invalid', 'dropped', 'pending']


def summary(text):
    """The last summary line of @text as {'found': n, <fate>: n, ...}, or
    None when the run did not get to write one."""
    found = SUMMARY.findall(text)
    if not found:
        return None
    return dict(zip(['found'] + FATES, [int(x) for x in found[-1]]))


def balanced(s):
    """Every share found ended in exactly one fate."""
    return s is not None and s['found'] == sum(s[f] for f in FATES)
