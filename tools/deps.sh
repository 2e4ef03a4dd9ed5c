#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs what building and testing Tessera needs on Debian bookworm (x86-64), and fetches the
# demo guest: Debian's stock arm64 kernel and busybox-static, through multiarch.
#
# Idempotent and quiet when everything is already there. Needs root (or sudo) only when something
# is missing. The arm64 packages are downloaded and unpacked into $BUILD/deps/root, never
# installed: installing busybox-static:arm64 would replace the host's /bin/busybox, and the
# kernel's postinst would run initramfs hooks on the host.
#
# Results (stable paths used by the Makefile and the tests):
#   $BUILD/deps/Image     the guest kernel, an uncompressed arm64 Image
#   $BUILD/deps/busybox   a static arm64 busybox
#
# Environment: BUILD (default: build, relative to the repository root).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
DEPS=$BUILD/deps

export DEBIAN_FRONTEND=noninteractive

say() { echo "deps: $*" >&2; }
die() { echo "deps: error: $*" >&2; exit 1; }

SUDO=()
need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || die "must run as root (or have sudo) to $1"
		SUDO=(sudo)
	fi
}

updated=0
apt_update() {
	if [ "$updated" -eq 0 ]; then
		say "apt-get update"
		"${SUDO[@]}" apt-get -q update >/dev/null
		updated=1
	fi
}

# ------------------------------------------------------------------ host packages
# "package:command that shows it is there"; a package with no command (a library) leaves it
# empty and is looked up with dpkg-query instead.
HOST_PKGS=(
	qemu-system-arm:qemu-system-aarch64
	gcc-aarch64-linux-gnu:aarch64-linux-gnu-gcc
	binutils-aarch64-linux-gnu:aarch64-linux-gnu-objcopy
	device-tree-compiler:dtc
	cpio:cpio
	clang-format-16:clang-format-16
	clang:clang
	libclang-rt-14-dev:
	python3:python3
	gcc:gcc
	make:make
)

guest_missing=0
[ -s "$DEPS/Image" ] && [ -s "$DEPS/busybox" ] || guest_missing=1

# The guest packages come through multiarch; enable arm64 before the one apt-get update.
if [ "$guest_missing" -eq 1 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
	need_root "enable the arm64 architecture"
	say "dpkg --add-architecture arm64"
	"${SUDO[@]}" dpkg --add-architecture arm64
fi

missing=()
for pc in "${HOST_PKGS[@]}"; do
	pkg=${pc%%:*}
	cmd=${pc#*:}
	if [ -n "$cmd" ]; then
		command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
	else
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$pkg")
	fi
done
if [ "${#missing[@]}" -gt 0 ]; then
	need_root "install ${missing[*]}"
	command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
	apt_update
	say "installing ${missing[*]}"
	"${SUDO[@]}" apt-get -q -y install --no-install-recommends "${missing[@]}" >/dev/null
fi

# ------------------------------------------------------------------ guest (arm64) packages
if [ "$guest_missing" -eq 0 ]; then
	exit 0
fi

need_root "download arm64 packages"
mkdir -p "$DEPS"

# The versioned kernel package that Debian's linux-image-arm64 metapackage currently points at.
kernel_pkg() {
	apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*-arm64\)\(:arm64\)\?$/\1/p' | head -n1
}

kpkg=$(kernel_pkg || true)
if [ -z "$kpkg" ]; then
	apt_update
	kpkg=$(kernel_pkg || true)
fi
[ -n "$kpkg" ] || die "cannot resolve the kernel version from linux-image-arm64:arm64"

download() {
	# apt-get download writes into the current directory. As root it warns that the download
	# is unsandboxed; that is harmless here, so its stderr is kept only for failures.
	(cd "$DEPS" && rm -f ./*.deb && "${SUDO[@]}" apt-get -q download "$@" >download.log 2>&1)
}

say "downloading $kpkg:arm64 busybox-static:arm64"
if ! download "$kpkg:arm64" busybox-static:arm64; then
	# Stale package lists point at versions the mirror no longer has: refresh once and retry.
	if [ "$updated" -eq 0 ]; then
		apt_update
		kpkg=$(kernel_pkg || true)
		[ -n "$kpkg" ] || die "cannot resolve the kernel version from linux-image-arm64:arm64"
		download "$kpkg:arm64" busybox-static:arm64 || {
			cat "$DEPS/download.log" >&2
			die "apt-get download failed"
		}
	else
		cat "$DEPS/download.log" >&2
		die "apt-get download failed"
	fi
fi

rm -rf "$DEPS/root"
mkdir -p "$DEPS/root"
for deb in "$DEPS"/*.deb; do
	dpkg -x "$deb" "$DEPS/root"
done

vmlinuz=$(find "$DEPS/root/boot" -maxdepth 1 -name "vmlinuz-*-arm64" 2>/dev/null | head -n1)
[ -n "$vmlinuz" ] || die "no /boot/vmlinuz-*-arm64 in $kpkg"
# bookworm ships an uncompressed Image; older or newer kernels may be gzip-compressed.
if [ "$(head -c2 "$vmlinuz" | od -An -tx1 | tr -d ' \n')" = "1f8b" ]; then
	gunzip -c "$vmlinuz" >"$DEPS/Image.tmp"
else
	cp "$vmlinuz" "$DEPS/Image.tmp"
fi
mv "$DEPS/Image.tmp" "$DEPS/Image"

bb=$DEPS/root/bin/busybox
[ -f "$bb" ] || die "no /bin/busybox in busybox-static"
cp "$bb" "$DEPS/busybox.tmp"
chmod 755 "$DEPS/busybox.tmp"
mv "$DEPS/busybox.tmp" "$DEPS/busybox"

echo "$kpkg $(basename "$vmlinuz")" >"$DEPS/VERSION"
say "guest kernel: $kpkg -> $DEPS/Image; busybox -> $DEPS/busybox"
