#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Generate include/uapi/linux/micromine.h from the netlink spec with the
# kernel's own ynl-gen-c.py (Debian's linux-source-6.12), which validates
# the spec against the genetlink schema on the way; uapi-doc.py then adds
# the spec's doc strings as kernel-doc.  Also renders the family's
# reference, Documentation/netlink/micromine.rst, with ynl-gen-rst.py.
#
# Usage: regen.sh [<output dir>]   (default: the repository)
# ynl-gen-c looks for the schema two folders above the spec and for a
# MAINTAINERS file above that, so it runs on a copy of the spec inside the
# extracted kernel tree.
set -eu
. "$(dirname "$0")/lib.sh"

out=${1:-$TOP}
ksrc=$("$HARNESS/ksource.sh")
spec=$ksrc/Documentation/netlink/specs/micromine.yaml
cp "$TOP/Documentation/netlink/specs/micromine.yaml" "$spec"
mkdir -p "$out/include/uapi/linux"
(cd "$ksrc" && "$PYTHON" tools/net/ynl/ynl-gen-c.py --mode uapi --header \
	--spec "$spec" -o "$out/include/uapi/linux/micromine.h")
# the spec's documentation, as kernel-doc (ynl-gen-c 6.12 leaves it out)
"$PYTHON" "$HARNESS/uapi-doc.py" "$spec" "$out/include/uapi/linux/micromine.h"
# and the family's reference documentation, as the kernel renders its own
mkdir -p "$out/Documentation/netlink"
"$PYTHON" "$ksrc/tools/net/ynl/ynl-gen-rst.py" -i "$spec" \
	-o "$out/Documentation/netlink/micromine.rst"
