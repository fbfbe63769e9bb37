#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: figures, not tests.  Each rate is printed with its ratio
# to a reference measured in the same run, since these machines are noisy.
#
# Environment: BENCH_ROUNDS (default 5), BENCH_SECONDS (per round, 1).
set -u
. "$(dirname "$0")/lib.sh"

"$HARNESS/deps.sh" bench || exit 1
"$HARNESS/ksource.sh" >/dev/null || exit 1
make -s -C "$TOP/tests" -j2 || exit 1

echo "# ==== hash backends, one core, against OpenSSL SHA256_Init/Update/Final ===="
"$CACHE/bin/x86_64/hash-bench" -r "${BENCH_ROUNDS:-5}" -t "${BENCH_SECONDS:-1}"
