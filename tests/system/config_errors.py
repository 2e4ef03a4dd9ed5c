#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Bad configurations are refused before any VM starts, with an error naming the setting.

Boots Tessera under QEMU with a broken command line or boot modules and checks, for each case:
the error line names the offending key, "no VM started" follows, the guest printed nothing, and
Tessera powered the machine off (QEMU exit status 0). One `ok config.<case>` line per case.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMAGE = ROOT / "build/arm64-qemu-virt/tessera.bin"
GUEST = ROOT / "build/guests/psci.bin"

# name, Tessera command line, with a kernel module?, machine MiB, text the error must contain
CASES = [
    ("vcpus-zero", "vm.vcpus=0 vm.mem=128M", True, 512, "configuration: vm.vcpus:"),
    ("vcpus-too-many", "vm.vcpus=9 vm.mem=128M", True, 512, "configuration: vm.vcpus:"),
    ("mem-unaligned", "vm.vcpus=1 vm.mem=17M", True, 512, "configuration: vm.mem:"),
    ("mem-too-large", "vm.vcpus=1 vm.mem=2G", True, 512, "configuration: vm.mem: 2048 MiB asked"),
    ("mem-fragmented", "vm.vcpus=1 vm.mem=480M", True, 512, "configuration: vm.mem:"),
    ("unknown-key", "vm.vcpus=1 vm.colour=blue", True, 512, "configuration: vm.colour:"),
    ("no-value", "vm.vcpus", True, 512, "configuration: vm.vcpus: expected key=value"),
    ("no-kernel", "vm.vcpus=1 vm.mem=64M", False, 512, "configuration: kernel:"),
]


def run(cmdline, with_kernel, mib):
    cmd = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
           "-cpu", "max,pauth=off", "-smp", "2", "-m", str(mib), "-nographic", "-no-reboot",
           "-kernel", str(IMAGE), "-append", cmdline]
    if with_kernel:
        cmd += ["-device", f"guest-loader,addr=0x49000000,kernel={GUEST},bootargs=test"]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=30)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else e.stdout
        return None, out or ""


def judge(name, status, out, want):
    lines = out.replace("\r", "").splitlines()
    problems = []
    if not any(want in l for l in lines):
        problems.append(f"no line containing {want!r}")
    if not any("no VM started" in l for l in lines):
        problems.append("no 'no VM started' line")
    if any(l.startswith("# guest") or l.startswith("ok ") for l in lines):
        problems.append("the guest ran")
    if status != 0:
        problems.append("QEMU did not exit" if status is None else f"QEMU exit status {status}")
    if problems:
        print(f"not ok config.{name}: {'; '.join(problems)}")
        sys.stderr.write("".join(f"  | {l}\n" for l in lines[-10:]))
        return False
    print(f"ok config.{name}")
    return True


def main():
    if not IMAGE.is_file() or not GUEST.is_file():
        print(f"not ok config.build: {IMAGE} or {GUEST} missing (make, make guests)")
        return 1
    results = [judge(n, *run(c, k, m), w) for n, c, k, m, w in CASES]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
