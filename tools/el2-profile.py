#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Where Tessera's EL2 instructions go, per kind of exit, in the benchmark guest.

Builds Tessera and the benchmark guest with 20 iterations per operation (BENCH_ITERS=20U) in
BUILD/profile, runs it once under QEMU with -singlestep -d exec,nochain (every instruction
logged, addresses only) and maps each EL2 address to its function with nm. A run of EL2
addresses between two guest addresses is one exit; exits with the same function sequence are
grouped and printed, commonest first, as "xCOUNT TOTAL insns: function count, ...".

  tools/el2-profile.py [--build build] [--min 15]

Counts are those of `make bench` (the same machine and -icount); only the grouping is added.
The trace is large (about 150 MB) and kept in BUILD/profile/trace.log until the next run.
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACE_RE = re.compile(rb"Trace (\d+): \S+ \[[0-9a-f]+/([0-9a-f]+)/")


def build(out):
    make = ["make", "-C", str(ROOT), "-j2", f"BUILD={out}"]
    subprocess.run(make, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(make + ["bench-guests", "BENCH_CFLAGS=-DBENCH_ITERS=20U"], check=True,
                   stdout=subprocess.DEVNULL)


def fail(msg):
    sys.exit(f"el2-profile: {msg}")


def run(out, trace):
    """Run the benchmark guest with every instruction traced; fail unless it ran to its end."""
    console_log = trace.with_suffix(".console")
    # A run that dies before writing its own must not be profiled from an older trace.
    trace.unlink(missing_ok=True)
    console_log.unlink(missing_ok=True)
    cmd = ["bash", str(ROOT / "tools/qemu.sh"), "--kernel", str(out / "bench/virt/bench.bin"),
           "--smp", "2", "--mem", "64", "--icount", "--cmdline", "bench", "--",
           "-singlestep", "-d", "exec,nochain", "-D", str(trace)]
    env = dict(os.environ, BUILD=str(out))
    try:
        with open(console_log, "wb") as console:
            rc = subprocess.run(cmd, env=env, stdout=console, stderr=subprocess.STDOUT,
                                timeout=300, check=False).returncode
    except subprocess.TimeoutExpired:
        fail(f"QEMU did not finish within 300 s (console {console_log})")
    if rc != 0:
        fail(f"QEMU exited with status {rc} (console {console_log})")
    if b"done bench" not in console_log.read_bytes():
        fail(f"the benchmark guest did not finish: no 'done bench' in {console_log}")
    if not trace.is_file():
        fail(f"QEMU wrote no trace to {trace}")


def symbols(elf):
    nm = subprocess.run(["aarch64-linux-gnu-nm", "-n", str(elf)], capture_output=True, text=True,
                        check=True).stdout
    syms = [(int(a, 16), n) for a, t, n in (line.split()[:3] for line in nm.splitlines()
                                             if len(line.split()) >= 3) if t.lower() in "tw"]
    return [a for a, _ in syms], [n for _, n in syms]


def episodes(trace, addrs, names):
    """Yield the function sequence of every run of EL2 addresses, per CPU.

    A run still open at the end of the trace (its CPU never returned to the guest) is yielded
    too, so the last exit of each CPU is counted.
    """
    lo, hi = addrs[0], addrs[-1] + 0x10000
    cur = {}
    with open(trace, "rb") as fh:
        for line in fh:
            m = TRACE_RE.match(line)
            if not m:
                continue
            cpu, pc = int(m.group(1)), int(m.group(2), 16)
            if lo <= pc < hi:
                cur.setdefault(cpu, []).append(names[bisect.bisect_right(addrs, pc) - 1])
            elif cpu in cur:
                yield cur.pop(cpu)
    yield from cur.values()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default="build")
    p.add_argument("--min", type=int, default=15, help="smallest group printed")
    args = p.parse_args()
    out = (ROOT / args.build / "profile").resolve()
    trace = out / "trace.log"
    build(out)
    run(out, trace)
    addrs, names = symbols(out / "arm64-qemu-virt/tessera.elf")
    groups = collections.Counter()
    for ep in episodes(trace, addrs, names):
        groups[tuple(ep)] += 1
    for seq, n in groups.most_common():
        if n < args.min:
            break
        per = collections.Counter(seq)
        print(f"x{n} {len(seq)} insns: " + ", ".join(f"{f} {c}" for f, c in per.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
