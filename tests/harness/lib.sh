# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the test harness: paths, logging and a private apt
# configuration that downloads Debian packages (kernels, headers, QEMU,
# other architectures' userlands) into the cache without touching
# /etc/apt or dpkg.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${MM_CACHE:-$TOP/.cache}
# (tests/Makefile puts the test programs in $CACHE/bin)
export CACHE
APTDIR=$CACHE/apt
HARNESS=$TOP/tests/harness
PYTHON=${PYTHON:-/usr/bin/python3}

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# tap_single <description> <command...>: a TAP stream of one result, the
# command's exit status, with the end of its output if it failed
tap_single() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		printf 'TAP version 13\n1..1\nok 1 %s\n' "$desc"
	else
		printf 'TAP version 13\n1..1\nnot ok 1 %s\n' "$desc"
		printf '%s\n' "$out" | tail -40 | sed 's/^/# /'
	fi
}

# trixie_pin <priority>: APT preferences giving trixie (with its updates
# and security suites) that priority: 100 keeps bookworm's packages first,
# riscv64's root takes 990
trixie_pin() {
	local n
	for n in trixie trixie-updates trixie-security; do
		printf 'Package: *\nPin: release n=%s\nPin-Priority: %s\n\n' "$n" "$1"
	done
}

# Debian suites the harness may download from.  Kernels for the 5.10 row
# come from bullseye; the QEMU with SHA-NI emulation from bookworm-backports;
# riscv64, an official architecture from trixie (13) on, from trixie.
apt_sources() {
	local m=http://deb.debian.org/debian s=http://deb.debian.org/debian-security
	local key='signed-by=/usr/share/keyrings/debian-archive-keyring.gpg'
	local k="[arch=amd64,arm64,armhf,mipsel,s390x $key]" t="[arch=amd64,riscv64 $key]"
	local b="[arch=amd64 $key]"
	cat <<EOF
deb $k $m bookworm main
deb $k $m bookworm-updates main
deb $k $s bookworm-security main
deb $k $m bookworm-backports main
deb $b $m bullseye main
deb $b $m bullseye-updates main
deb $b $s bullseye-security main
deb $t $m trixie main
deb $t $m trixie-updates main
deb $t $s trixie-security main
EOF
}

# The private configuration.  Its binary caches are named: images like
# Docker's turn them off (Dir::Cache::pkgcache ""), and then every apt
# call parses all the lists again, seconds of CPU each, dozens of calls.
# Trixie is pinned below bookworm: its versions are newer, and only
# riscv64, which bookworm lacks, is to come from it.
APT_OPTS=(-o Dir::Etc::SourceList="$APTDIR/sources.list"
	-o Dir::Etc::SourceParts=/dev/null
	-o Dir::Etc::Preferences="$APTDIR/preferences"
	-o Dir::Etc::PreferencesParts=/dev/null
	-o Dir::State::Lists="$APTDIR/lists"
	-o Dir::State::status="$APTDIR/status"
	-o Dir::Cache="$APTDIR/cache"
	-o Dir::Cache::pkgcache="$APTDIR/cache/pkgcache.bin"
	-o Dir::Cache::srcpkgcache="$APTDIR/cache/srcpkgcache.bin"
	-o APT::Architectures::=amd64 -o APT::Architectures::=arm64
	-o APT::Architectures::=armhf -o APT::Architectures::=mipsel
	-o APT::Architectures::=riscv64 -o APT::Architectures::=s390x)

# The guests' architectures (Debian's names): arch_info <arch> sets
# TRIPLET (the GNU triplet of its cross compiler), KARCH (the kernel's
# ARCH=), QEMU_ARCH (qemu-system-<it>) and BIN (the test programs'
# folder, $CACHE/bin/<BIN>).
arch_info() {
	case $1 in
	amd64) TRIPLET=x86_64-linux-gnu KARCH=x86 QEMU_ARCH=x86_64 BIN=x86_64 ;;
	arm64) TRIPLET=aarch64-linux-gnu KARCH=arm64 QEMU_ARCH=aarch64 BIN=arm64 ;;
	armhf) TRIPLET=arm-linux-gnueabihf KARCH=arm QEMU_ARCH=arm BIN=armhf ;;
	mipsel) TRIPLET=mipsel-linux-gnu KARCH=mips QEMU_ARCH=mipsel BIN=mipsel ;;
	riscv64) TRIPLET=riscv64-linux-gnu KARCH=riscv QEMU_ARCH=riscv64 BIN=riscv64 ;;
	s390x) TRIPLET=s390x-linux-gnu KARCH=s390 QEMU_ARCH=s390x BIN=s390x ;;
	*) die "unknown architecture $1" ;;
	esac
}

apt_private() {
	apt-get -q "${APT_OPTS[@]}" -o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
}

apt_cache_private() {
	apt-cache "${APT_OPTS[@]}" "$@"
}

# Refresh the private package lists at most once a day.
apt_init() {
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$APTDIR/debs"
	[ -e "$APTDIR/status" ] || : >"$APTDIR/status"
	local want
	want=$(apt_sources)
	if [ ! -s "$APTDIR/sources.list" ] || [ "$(cat "$APTDIR/sources.list")" != "$want" ]; then
		printf '%s\n' "$want" >"$APTDIR/sources.list"
		rm -f "$APTDIR/updated" "$APTDIR/cache/"*.bin
	fi
	trixie_pin 100 >"$APTDIR/preferences"
	if [ -z "$(find "$APTDIR/updated" -mmin -1440 2>/dev/null)" ]; then
		log "apt: refreshing private package lists in $APTDIR"
		apt_private update >"$APTDIR/update.log" 2>&1 ||
			die "apt-get update (private lists) failed, see $APTDIR/update.log"
		touch "$APTDIR/updated"
	fi
	# built once here, before the scripts that read it run side by side
	[ -s "$APTDIR/cache/pkgcache.bin" ] || apt_cache_private gencaches >/dev/null 2>&1 ||
		die "apt-cache gencaches (private lists) failed"
}

# Newest package whose name matches an extended regex (whole name).
apt_newest() {
	apt_cache_private search --names-only "^($1)\$" | awk '{print $1}' | sort -Vu | tail -n 1
}

# Download packages ("name[:arch][=version]" ...) into the private deb store
# and print the paths of the .deb files, one per line.
apt_fetch() {
	local p name arch ver f out=()
	for p in "$@"; do
		name=${p%%=*}; ver=
		[ "$name" != "$p" ] && ver=${p#*=}
		arch=amd64
		case $name in *:*) arch=${name#*:}; name=${name%%:*} ;; esac
		[ -n "$ver" ] || ver=$(apt_cache_private show "$name:$arch" 2>/dev/null |
			awk '/^Version:/ {print $2}' | sort -V | tail -n 1)
		[ -n "$ver" ] || die "apt: no package $name for $arch"
		f=$APTDIR/debs/${name}_${ver//:/%3a}_${arch}.deb
		if [ ! -s "$f" ]; then
			f2=$(ls "$APTDIR/debs/${name}_${ver//:/%3a}_all.deb" 2>/dev/null)
			if [ -n "$f2" ]; then f=$f2; else
				(cd "$APTDIR/debs" && apt_private download "$name:$arch=$ver" >/dev/null 2>"$APTDIR/download.err") ||
					die "apt: download of $name:$arch=$ver failed: $(cat "$APTDIR/download.err")"
				f=$(ls "$APTDIR/debs/${name}_${ver//:/%3a}_"{"$arch",all}.deb 2>/dev/null | head -n 1)
			fi
		fi
		[ -s "$f" ] || die "apt: $name:$arch=$ver did not arrive"
		out+=("$f")
	done
	printf '%s\n' "${out[@]}"
}

# Packages named in the Depends field of a package, version constraints
# removed, alternatives reduced to their first choice.
apt_depends() {
	apt_cache_private show --no-all-versions "$1" 2>/dev/null |
		sed -n 's/^Depends: //p' | head -n 1 | tr ',' '\n' |
		sed -e 's/|.*//' -e 's/(.*)//' -e 's/[[:space:]]//g' | grep -v '^$'
}

# Guests mount their own /tmp, /run and /dev/shm over the host's: a
# repository (or cache) below them would be invisible in the guest.
guest_can_see() {
	case $1/ in
	/tmp/* | /run/* | /dev/shm/* | /proc/* | /sys/*)
		die "$1 is below /tmp, /run or /dev/shm, which the test guests mount" \
			"their own: put it elsewhere (the cache: MM_CACHE=)" ;;
	esac
}

# Prepared parts of the cache; resolved (and downloaded) only when missing.
# check.sh refreshes them once per run with the scripts themselves.
kernel_dir() {
	if [ -f "$CACHE/kernels/$1/env" ]; then echo "$CACHE/kernels/$1"; else "$HARNESS/kernel.sh" "$1"; fi
}
qemu_dir() {
	if [ -f "$CACHE/qemu/.version" ]; then echo "$CACHE/qemu"; else "$HARNESS/qemu.sh"; fi
}
arch_root() {
	if [ -f "$CACHE/root-$1/.packages" ]; then echo "$CACHE/root-$1"; else "$HARNESS/archroot.sh" "$1"; fi
}
