#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The Linux test tier: Debian's stock arm64 kernel and the busybox initramfs under Tessera.

Three boots, each with SMP vCPUs (default 2):
  interactive  -cpu max,pauth=off; types into the guest's shell on the serial console.
  pauth        plain -cpu max (pointer authentication on); the kernel command line carries
               tessera.test=1, so the initramfs prints its facts by itself and powers off.
  timeshare    as pauth, but the machine has one physical CPU: the vCPUs time-share it, so
               every switch must carry EL1 state, FP/SIMD, the pointer-authentication keys,
               the timer and the GIC interface from one vCPU to the other.
Each boot checks: the guest reached its shell (or test script), a shell computation, the
number of CPUs in /proc/cpuinfo, the arch timer ticking on every CPU, IPIs on every CPU,
and a clean `poweroff` (PSCI SYSTEM_OFF: QEMU exits 0 after "reboot: Power down").

Prints one line per check, `ok linux.<boot>.<check>` or `not ok linux.<boot>.<check>: detail`,
then `linux: N passed, N failed`. --bare runs the same boots without the hypervisor
(QEMU's `--bare` mode in tools/qemu.sh) and names the boots bare-<boot>.

Standard library only. QEMU runs through tools/qemu.sh with pipes; every boot has a hard
deadline after which QEMU is killed.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from qemuproc import stop_group  # noqa: E402  (tools/ is not a package)

QEMU_SH = os.path.join(ROOT, "tools", "qemu.sh")
BASE_CMDLINE = "console=ttyAMA0 earlycon=pl011,0x9000000 panic=-1"
PROMPT = re.compile(r"tessera:[^\n]*# ")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
POWER_DOWN = "reboot: Power down"
CHECKS = ("prompt", "shell", "cpus", "timer", "ipi", "poweroff")


class Console:
    """A QEMU process with its serial console on pipes, read by a thread."""

    def __init__(self, argv, log_path):
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.raw = bytearray()
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.eof = False
        self.pos = 0  # matching continues from here in the cleaned text
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            with self.lock:
                if not data:
                    self.eof = True
                    self.changed.notify_all()
                    return
                self.raw += data
                self.log.write(data)
                self.log.flush()
                self.changed.notify_all()

    def text(self):
        with self.lock:
            raw = bytes(self.raw)
        return ANSI.sub("", raw.decode("utf-8", "replace").replace("\r", ""))

    def expect(self, regex, timeout):
        """Waits for regex after the current position; returns the match or None."""
        if isinstance(regex, str):
            regex = re.compile(regex)
        deadline = time.monotonic() + timeout
        while True:
            m = regex.search(self.text(), self.pos)
            if m:
                self.pos = m.end()
                return m
            with self.lock:
                if self.eof:
                    return None
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(min(left, 0.5))

    def send(self, line):
        try:
            self.proc.stdin.write(line.encode() + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def wait_exit(self, timeout):
        """Returns QEMU's exit status, or None if it is still running after timeout."""
        try:
            rc = self.proc.wait(timeout=max(timeout, 0))
        except subprocess.TimeoutExpired:
            return None
        self.reader.join(5)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            stop_group(self.proc, term_grace=5.0)
        self.reader.join(5)
        self.log.close()

    def tail(self, n=60):
        return self.text().splitlines()[-n:]


def parse_interrupts(text):
    """Parses /proc/interrupts into {label: (counts per CPU, description)}."""
    lines = [l for l in text.splitlines() if l.strip()]
    head = next((i for i, l in enumerate(lines) if re.match(r"^\s*CPU0\b", l)), None)
    if head is None:
        return 0, {}
    ncpu = len(re.findall(r"\bCPU\d+\b", lines[head]))
    table = {}
    for line in lines[head + 1 :]:
        m = re.match(r"^\s*([^:\s]+):\s*(.*)$", line)
        if not m:
            continue
        fields = m.group(2).split()
        counts = fields[:ncpu]
        if len(counts) < ncpu or not all(c.isdigit() for c in counts):
            continue
        table[m.group(1)] = ([int(c) for c in counts], " ".join(fields[ncpu:]))
    return ncpu, table


def find_line(table, pred):
    for label, (counts, desc) in table.items():
        if pred(label, desc):
            return label, counts, desc
    return None


def is_timer(_label, desc):
    return "arch_timer" in desc


IPI_KINDS = ("Rescheduling interrupts", "Function call interrupts")


class Boot:
    """One boot of the guest and the results of its checks."""

    def __init__(self, args, name, cpu, interactive, pcpus=None):
        self.args = args
        self.pcpus = pcpus  # physical CPUs when they are fewer than the guest's vCPUs
        self.name = ("bare-" if args.bare else "") + name
        self.cpu = cpu
        self.interactive = interactive
        self.results = {}  # check -> None (ok) or detail
        self.notes = []

    def result(self, check, detail=None):
        if check in self.results:
            return
        self.results[check] = detail
        if detail is None:
            print(f"ok linux.{self.name}.{check}", flush=True)
        else:
            detail = " ".join(str(detail).split())
            print(f"not ok linux.{self.name}.{check}: {detail}", flush=True)

    def check_facts(self, cpuinfo, irq1, irq2):
        n = self.args.smp
        procs = len(re.findall(r"^processor\s*:", cpuinfo, re.M))
        self.result("cpus", None if procs == n else f"/proc/cpuinfo shows {procs} processors, want {n}")
        features = re.search(r"^Features\s*:(.*)$", cpuinfo, re.M)
        if features:
            pauth = "paca" in features.group(1).split()
            self.notes.append(f"guest sees pointer authentication: {'yes' if pauth else 'no'}")

        ncpu1, t1 = parse_interrupts(irq1)
        ncpu2, t2 = parse_interrupts(irq2)
        if ncpu1 != n or ncpu2 != n:
            self.result("timer", f"/proc/interrupts has {ncpu1}/{ncpu2} CPU columns, want {n}")
            self.result("ipi", f"/proc/interrupts has {ncpu1}/{ncpu2} CPU columns, want {n}")
            return
        a, b = find_line(t1, is_timer), find_line(t2, is_timer)
        if not a or not b:
            self.result("timer", "no arch_timer line in /proc/interrupts")
        else:
            c1, c2 = a[1], b[1]
            bad = [f"CPU{i} {c1[i]}->{c2[i]}" for i in range(n) if not (0 < c1[i] < c2[i])]
            self.result("timer", f"arch_timer not ticking on: {', '.join(bad)}" if bad else None)
        bad = []
        for kind in IPI_KINDS:
            line = find_line(t2, lambda _l, d, k=kind: d.startswith(k))
            if not line:
                bad.append(f"no '{kind}' line")
                continue
            zero = [f"CPU{i}" for i in range(n) if line[1][i] == 0]
            if zero:
                bad.append(f"{line[0]} ({kind}) is 0 on {', '.join(zero)}: {line[1]}")
        self.result("ipi", "; ".join(bad) if bad else None)

    def run(self):
        a = self.args
        cmdline = BASE_CMDLINE + ("" if self.interactive else " tessera.test=1")
        argv = [QEMU_SH, "--kernel", a.kernel, "--initrd", a.initrd, "--cmdline", cmdline,
                "--smp", str(self.pcpus or a.smp), "--vcpus", str(a.smp), "--mem", str(a.mem),
                "--cpu", self.cpu]
        argv += ["--bare"] if a.bare else ["--hyp", a.hyp]
        log_path = os.path.join(a.log_dir, f"linux-{self.name}.console.log")
        scale = a.timeout_scale
        hard = (300 if self.interactive else 420) * scale
        start = time.monotonic()

        def left(limit):
            return max(0.0, min(limit * scale, hard - (time.monotonic() - start)))

        print(f"# linux.{self.name}: {' '.join(argv[1:])}", flush=True)
        con = Console(argv, log_path)
        try:
            if self.interactive:
                asked = self._interactive(con, left)
            else:
                asked = self._scripted(con, left)
            for check in CHECKS[:-1]:
                self.result(check, "not reached")
            rc = con.wait_exit(left(90) if asked else 0)
            seen = POWER_DOWN in con.text()
            if rc is None and not asked:
                self.result("poweroff", "not reached")
            elif rc is None:
                self.result("poweroff", f"QEMU still running {time.monotonic() - start:.0f}s after start"
                            + ("" if seen else f"; no '{POWER_DOWN}'"))
            elif rc != 0 or not seen:
                self.result("poweroff", f"QEMU exit status {rc}" + ("" if seen else f"; no '{POWER_DOWN}'"))
            else:
                self.result("poweroff")
        finally:
            con.kill()
        for check in CHECKS:
            self.result(check, "not reached")
        for note in self.notes:
            print(f"# linux.{self.name}: {note}", flush=True)
        print(f"# linux.{self.name}: {time.monotonic() - start:.1f}s, console log {os.path.relpath(log_path)}",
              flush=True)
        if any(d is not None for d in self.results.values()):
            sys.stderr.write(f"--- linux.{self.name}: last 60 console lines ({log_path}) ---\n")
            for line in con.tail(60):
                sys.stderr.write("| " + line + "\n")  # never mistaken for an ok/not ok line
            sys.stderr.write("---\n")
            sys.stderr.flush()

    def _interactive(self, con, left):
        if not con.expect(PROMPT, left(150)):
            self.result("prompt", "no shell prompt" + (" (QEMU exited)" if con.eof else " (timeout)"))
            return False
        self.result("prompt")

        # Output that an echo of the typed line cannot fake: the shell has to compute it.
        con.send("echo $((6*7))-tessera")
        ok = con.expect(re.compile(r"^42-tessera$", re.M), left(60))
        self.result("shell", None if ok else "no '42-tessera' after typing echo $((6*7))-tessera")

        seq = [0]

        def run(cmd, timeout):
            seq[0] += 1
            n = seq[0]
            con.send(f"echo @@B$(({n}+0))@@; {cmd}; echo @@E$(({n}+0))@@")
            m = con.expect(re.compile(rf"@@B{n}@@\n(.*?)@@E{n}@@", re.S), left(timeout))
            return m.group(1) if m else None

        cpuinfo = run("cat /proc/cpuinfo", 60)
        irqs = run("cat /proc/interrupts; echo @@S$((0+0))@@; /usr/libexec/tessera/load 2; "
                   "cat /proc/interrupts", 90)
        if cpuinfo is None or irqs is None or "@@S0@@\n" not in irqs:
            why = "shell stopped answering" + (" (QEMU exited)" if con.eof else " (timeout)")
            for check in ("cpus", "timer", "ipi"):
                self.result(check, why)
        else:
            irq1, irq2 = irqs.split("@@S0@@\n", 1)
            self.check_facts(cpuinfo, irq1, irq2)
        con.send("poweroff")
        return True

    def _scripted(self, con, left):
        m = con.expect(re.compile(r"@@TESSERA-TEST-BEGIN@@\n(.*?)@@TESSERA-TEST-END@@", re.S), left(300))
        if not m:
            self.result("prompt", "no test output from the initramfs"
                        + (" (QEMU exited)" if con.eof else " (timeout)"))
            return False
        self.result("prompt")
        parts = re.split(r"^@@([a-z0-9-]+)@@\n", m.group(1), flags=re.M)
        sect = dict(zip(parts[1::2], parts[2::2]))
        ok = re.search(r"^42-tessera$", sect.get("shell", ""), re.M)
        self.result("shell", None if ok else "no '42-tessera' in the test output")
        if not all(k in sect for k in ("cpuinfo", "interrupts-1", "interrupts-2")):
            for check in ("cpus", "timer", "ipi"):
                self.result(check, f"test output lacks sections; has {sorted(sect)}")
        else:
            self.check_facts(sect["cpuinfo"], sect["interrupts-1"], sect["interrupts-2"])
        return True  # the initramfs powers off by itself


def on_signal(signum, _frame):
    # Unwinds through Boot.run's `finally`, which kills QEMU (it runs in its own session).
    raise SystemExit(128 + signum)


def main():
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, on_signal)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bare", action="store_true", help="no hypervisor: the kernel runs at EL1 on QEMU")
    p.add_argument("--only", choices=("interactive", "pauth", "timeshare"), help="run one boot")
    p.add_argument("--kernel", default=os.path.join(ROOT, "build/deps/Image"))
    p.add_argument("--initrd", default=os.path.join(ROOT, "build/initramfs.cpio.gz"))
    p.add_argument("--hyp", default=os.path.join(ROOT, "build/arm64-qemu-virt/tessera.bin"))
    p.add_argument("--smp", type=int, default=2)
    p.add_argument("--mem", type=int, default=512)
    p.add_argument("--log-dir", default=os.path.join(ROOT, "build/test-logs"))
    p.add_argument("--timeout-scale", type=float,
                   default=float(os.environ.get("LINUX_TEST_TIMEOUT_SCALE", "1")),
                   help="multiply every timeout (env LINUX_TEST_TIMEOUT_SCALE)")
    a = p.parse_args()
    os.makedirs(a.log_dir, exist_ok=True)

    boots = [Boot(a, "interactive", "max,pauth=off", True), Boot(a, "pauth", "max", False)]
    if not a.bare:
        boots.append(Boot(a, "timeshare", "max", False, pcpus=1))
    if a.only:
        boots = [b for b in boots if b.name.endswith(a.only)]
    missing = [f for f in (a.kernel, a.initrd) + (() if a.bare else (a.hyp,)) if not os.path.isfile(f)]
    for b in boots:
        if missing:
            for check in CHECKS:
                b.result(check, f"missing {', '.join(missing)}")
        else:
            b.run()
    results = [d for b in boots for d in b.results.values()]
    failed = sum(d is not None for d in results)
    print(f"linux: {len(results) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
