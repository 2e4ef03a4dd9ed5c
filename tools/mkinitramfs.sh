#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the demo/test initramfs: a static arm64 busybox with busybox init, from the files under
# tests/linux/rootfs/ (inittab, rcS, profile, the Linux test's helper scripts).
#
# Usage: tools/mkinitramfs.sh [OUTPUT]     (default: $BUILD/initramfs.cpio.gz)
# Environment: BUILD (default build), BUSYBOX (default $BUILD/deps/busybox, from tools/deps.sh).
#
# The arm64 busybox cannot run here, so its applet links are made at boot by rcS
# (`busybox --install -s`); the image holds only /bin/busybox, /bin/sh and /init -> busybox.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
BUSYBOX=${BUSYBOX:-$BUILD/deps/busybox}
OUT=${1:-$BUILD/initramfs.cpio.gz}
SRC=tests/linux/rootfs
STAGE=$BUILD/initramfs

[ -s "$BUSYBOX" ] || { echo "mkinitramfs: $BUSYBOX missing: run tools/deps.sh (make deps)" >&2; exit 1; }

rm -rf "$STAGE"
mkdir -p "$STAGE"
for d in bin sbin usr/bin usr/sbin etc dev proc sys tmp root mnt; do
	mkdir -p "$STAGE/$d"
done
cp -a "$SRC"/. "$STAGE"/
cp "$BUSYBOX" "$STAGE/bin/busybox"
chmod 755 "$STAGE/bin/busybox" "$STAGE/etc/init.d/rcS" "$STAGE"/usr/libexec/tessera/*
ln -s busybox "$STAGE/bin/sh"
ln -s /bin/busybox "$STAGE/sbin/init"
ln -s /bin/busybox "$STAGE/init"

# The kernel's built-in initramfs already provides /dev/console; add it here too when we may,
# so the image also works with kernels that lack it.
if [ "$(id -u)" -eq 0 ]; then
	mknod -m 600 "$STAGE/dev/console" c 5 1
fi

# Reproducible: fixed order, owner root, fixed timestamps.
find "$STAGE" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$OUT")"
(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9n >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
