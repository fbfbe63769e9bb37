# SPDX-License-Identifier: GPL-2.0
# TAP output for shell test suites (sourced).  The plan is printed at the
# end by tap_done, so a suite that dies half-way shows as incomplete.

TAP_N=0
TAP_FAILED=0
echo "TAP version 13"

tap_ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N $*"
}

tap_fail() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N $*"
}

tap_skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N $1 # SKIP $2"
}

# tap_check "description" command...: one result from a command's status
tap_check() {
	local desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_fail "$desc"; fi
}

tap_diag() {
	sed 's/^/# /'
}

tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
