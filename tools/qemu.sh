#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The one place the QEMU command line is built (make run, the Linux tests, benchmarks).
#
# Usage: tools/qemu.sh [--bare] --kernel K [--initrd I] [--cmdline C] [--smp N] [--vcpus N] [--mem MiB]
#                      [--cpu CPU] [--icount] [--hyp HYP] [--print] [-- extra qemu args]
#
# Under Tessera (default): QEMU starts HYP at EL2 with virtualization=on; the guest kernel,
# its command line and the initrd are handed over as guest-loader modules, which QEMU describes
# in its DTB under /chosen (multiboot,kernel / multiboot,ramdisk). The machine gets the guest's
# MEM plus 256 MiB plus the modules; Tessera places the guest's RAM itself.
# Bare (--bare): the kernel runs at EL1 on QEMU directly, no hypervisor (for comparisons).
#
# --print shows the command instead of running it. Otherwise QEMU is exec'd, so its exit status
# and signals pass through (a guest poweroff via PSCI SYSTEM_OFF exits 0).
# Environment: QEMU (default qemu-system-aarch64), BUILD (default build).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
QEMU=${QEMU:-qemu-system-aarch64}

bare=0 icount=0 print=0
kernel='' initrd='' cmdline='' smp=2 vcpus='' mem=512 cpu='max,pauth=off'
hyp=$BUILD/arm64-qemu-virt/tessera.bin
extra=()

usage() {
	sed -n 's/^# \{0,1\}//; 4,7p' "${BASH_SOURCE[0]}" >&2
	exit 2
}
die() { echo "qemu.sh: $*" >&2; exit 2; }
need() { [ "$#" -ge 2 ] || die "$1 needs a value"; }

while [ "$#" -gt 0 ]; do
	case $1 in
	--bare) bare=1 ;;
	--icount) icount=1 ;;
	--print) print=1 ;;
	--kernel) need "$@"; kernel=$2; shift ;;
	--initrd) need "$@"; initrd=$2; shift ;;
	--cmdline) need "$@"; cmdline=$2; shift ;;
	--smp) need "$@"; smp=$2; shift ;;
	--vcpus) need "$@"; vcpus=$2; shift ;;
	--mem) need "$@"; mem=$2; shift ;;
	--cpu) need "$@"; cpu=$2; shift ;;
	--hyp) need "$@"; hyp=$2; shift ;;
	--) shift; extra=("$@"); break ;;
	-h | --help) usage ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done

[ -n "$kernel" ] || die "--kernel is required"
[ -f "$kernel" ] || die "kernel '$kernel' not found"
[ -z "$initrd" ] || [ -f "$initrd" ] || die "initrd '$initrd' not found"
[[ $smp =~ ^[1-9][0-9]*$ ]] || die "--smp must be a positive number"
vcpus=${vcpus:-$smp}
[[ $vcpus =~ ^[1-9][0-9]*$ ]] || die "--vcpus must be a positive number"
[[ $mem =~ ^[1-9][0-9]*$ ]] || die "--mem must be MiB, a positive number"

# QEMU's -device option syntax: a comma inside a value is written as two commas.
qesc() { printf '%s' "${1//,/,,}"; }

# --smp is the machine's CPUs; --vcpus the guest's (more than --smp time-shares). Bare QEMU
# has only the guest, so it gets the guest's count.
[ "$bare" -eq 0 ] || smp=$vcpus
args=(-cpu "$cpu" -smp "$smp" -nographic -no-reboot)

if [ "$bare" -eq 1 ]; then
	args=(-M virt,gic-version=3 "${args[@]}" -m "$mem" -kernel "$kernel")
	[ -z "$initrd" ] || args+=(-initrd "$initrd")
	[ -z "$cmdline" ] || args+=(-append "$cmdline")
else
	[ -f "$hyp" ] || die "hypervisor image '$hyp' not found (make, or --hyp)"
	MiB=$((1024 * 1024))
	align2m() { echo $(((($1) + 2 * MiB - 1) / (2 * MiB) * (2 * MiB))); }
	# QEMU puts its DTB at 0x48000000, so the modules start at 0x49000000.
	kaddr=$((0x49000000))
	end=$((kaddr + $(stat -c %s "$kernel")))
	modules=(-device "guest-loader,addr=$(printf '0x%x' "$kaddr"),kernel=$(qesc "$kernel"),bootargs=$(qesc "$cmdline")")
	if [ -n "$initrd" ]; then
		iaddr=$(align2m "$end")
		end=$((iaddr + $(stat -c %s "$initrd")))
		modules+=(-device "guest-loader,addr=$(printf '0x%x' "$iaddr"),initrd=$(qesc "$initrd")")
	fi
	modmib=$(((end - kaddr + MiB - 1) / MiB))
	args=(-M virt,virtualization=on,gic-version=3 "${args[@]}" -m $((mem + 256 + modmib))
		-kernel "$hyp" -append "vm.vcpus=$vcpus vm.mem=${mem}M" "${modules[@]}")
fi

[ "$icount" -eq 0 ] || args+=(-icount shift=0,sleep=off)
args+=("${extra[@]}")

if [ "$print" -eq 1 ]; then
	printf '%q' "$QEMU"
	printf ' %q' "${args[@]}"
	printf '\n'
	exit 0
fi
exec "$QEMU" "${args[@]}"
