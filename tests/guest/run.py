#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Run the bare-metal test guests (tests/guest/*.c) under Tessera on QEMU and judge them.

Each guest prints "ok <guest>.<check>" / "not ok <guest>.<check>: <detail>" lines and ends with
"done <guest> <npass> <nfail>" and PSCI SYSTEM_OFF. The guest's source declares, in its header
comment, what a passing run must show, so that a guest which stops early cannot pass:

    * expect: <check> <check> ...       checks that must each be reported "ok"
    * console: <text>                   text that must appear on the console
    * bare: skip (<reason>)             do not run with --bare unless named on the command line
    * bare-xfail: <check> ... (<why>)   with --bare, these may fail (QEMU's firmware differs)

Output: one TAP-style line per check, "ok guest.<guest>.<check>" or "not ok ...", plus
guest.<guest>.done (the guest finished) and guest.<guest>.exit (QEMU exited 0 in time). On a
failure the last console lines go to stderr. Exit status 0 only if nothing failed.
Standard library only.
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from qemuproc import stop_group  # noqa: E402  (tools/ is not a package)

ROOT = Path(__file__).resolve().parents[2]
SRC_DIR = ROOT / "tests" / "guest"
DEFAULT_GUEST_DIR = ROOT / "build" / "guests"
DEFAULT_IMAGE = ROOT / "build" / "arm64-qemu-virt" / "tessera.bin"

TAIL_LINES = 40
MAX_BOOTS = 3  # the reset guest boots twice; more means a reset loop
MAX_LINES = 100_000  # a guest printing this much is running away
GUEST_LOADER_ADDR = "0x49000000"
HYP_PREFIX = "tessera:"
HYP_PANIC_RE = re.compile(r"^tessera:.*\bPANIC\b")

DIRECTIVE_RE = re.compile(r"^\s*\*\s*(expect|console|bare|bare-xfail):\s*(.*?)\s*$")


@dataclass
class Spec:
    """What one guest's source says a passing run looks like."""

    name: str
    expect: list = field(default_factory=list)
    console: list = field(default_factory=list)
    bare_skip: str = ""
    bare_xfail: set = field(default_factory=set)


@dataclass
class Run:
    """One QEMU run: console lines, exit status, and why it was stopped (empty if it exited)."""

    lines: list
    status: int
    stopped: str


@dataclass
class Result:
    """One judged check."""

    ok: bool
    name: str
    detail: str = ""
    todo: bool = False  # an allowed failure (bare-xfail): reported, not counted

    def line(self, guest, prefix="guest"):
        text = f"{'ok' if self.ok else 'not ok'} {prefix}.{guest}.{self.name}"
        if not self.ok and self.detail:
            text += f": {self.detail}"
        if self.todo:
            text += " # TODO bare"
        return text


def words(text):
    """Directive words, without a trailing "(remark)"."""
    return text.split("(", 1)[0].split()


def parse_spec(path):
    """Read the directives from the guest's first comment block."""
    spec = Spec(name=path.stem)
    header = path.read_text(encoding="utf-8").split("*/", 1)[0]
    for line in header.splitlines():
        m = DIRECTIVE_RE.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key == "expect":
            spec.expect += words(value)
        elif key == "console":
            spec.console.append(value)
        elif key == "bare":
            spec.bare_skip = value[len("skip"):].strip(" ()") if value.startswith("skip") else ""
        else:
            spec.bare_xfail.update(words(value))
    return spec


def qemu_command(args, binary):
    """The QEMU command line for one guest, with or without Tessera."""
    cmd = [args.qemu, "-cpu", "max,pauth=off", "-smp", str(args.pcpus), "-nographic", "-no-reboot"]
    if args.bare:
        return cmd + ["-M", "virt,gic-version=3", "-m", "256M", "-kernel", str(binary)]
    loader = f"guest-loader,addr={GUEST_LOADER_ADDR},kernel={binary},bootargs=test"
    return cmd + [
        "-M", "virt,virtualization=on,gic-version=3", "-m", "512",
        "-kernel", str(args.image), "-append", "vm.vcpus=2 vm.mem=128M",
        "-device", loader,
    ]


def read_console(proc, lines, banner, events):
    """Reader thread: collect console lines, count guest boots, spot a hypervisor panic."""
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace").rstrip("\r\n").replace("\r", "")
        lines.append(line)
        if banner in line:
            events["boots"] += 1
        if HYP_PANIC_RE.search(line) and not events["panic"]:
            events["panic"] = line


def run_qemu(cmd, name, timeout):
    """Run one guest; never waits longer than timeout seconds (plus the kill grace time)."""
    lines, events = [], {"boots": 0, "panic": ""}
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    reader = threading.Thread(target=read_console, args=(proc, lines, f"# guest {name}:", events),
                              daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    stopped = ""
    while proc.poll() is None:
        if time.monotonic() > deadline:
            stopped = f"timeout after {timeout:g} s"
        elif events["panic"]:
            stopped = f"hypervisor panic: {events['panic']}"
        elif events["boots"] > MAX_BOOTS:
            stopped = f"guest booted more than {MAX_BOOTS} times"
        elif len(lines) > MAX_LINES:
            stopped = f"more than {MAX_LINES} console lines"
        if stopped:
            stop_group(proc, term_grace=2.0)
            break
        time.sleep(0.05)
    reader.join(timeout=5.0)
    return Run(lines=list(lines), status=proc.wait(), stopped=stopped)


def guest_reports(name, lines):
    """check name -> (ok, detail) from the guest's lines; a failure in any boot wins."""
    report_re = re.compile(
        r"(?:^|[\s:])(not )?ok " + re.escape(name) + r"\.([\w.-]+)(?::\s*(.*))?$")
    reports = {}
    for line in lines:
        m = report_re.search(line)
        if not m:
            continue
        ok, check, detail = m.group(1) is None, m.group(2), m.group(3) or ""
        if check not in reports or reports[check][0]:
            reports[check] = (ok, detail)
    return reports


def judge_checks(spec, reports, bare):
    """Every expected check must be reported ok; undeclared reports are flagged too."""
    results = []
    for check in spec.expect:
        ok, detail = reports.get(check, (False, "missing: the guest never reported it"))
        results.append(Result(ok, check, detail, todo=bare and not ok and check in spec.bare_xfail))
    for check, (ok, detail) in reports.items():
        if check in spec.expect:
            continue
        if ok:
            detail = f"reported but not declared in tests/guest/{spec.name}.c"
        results.append(Result(False, check, detail))
    return results


def slug(text):
    return re.sub(r"\W+", "_", text).strip("_").lower()


def judge(spec, run, bare):
    """All results for one run."""
    lines = [l for l in run.lines if not l.startswith(HYP_PREFIX)]
    results = judge_checks(spec, guest_reports(spec.name, lines), bare)
    for text in spec.console:
        results.append(Result(any(text in l for l in lines), f"console.{slug(text)}",
                              f"console never showed {text!r}"))
    done_re = re.compile(r"(?:^|\s)done " + re.escape(spec.name) + r" (\d+) (\d+)\s*$")
    done = [m for m in map(done_re.search, lines) if m]
    results.append(Result(bool(done), "done", "no 'done' line: the guest did not finish"))
    exit_ok = not run.stopped and run.status == 0
    results.append(Result(exit_ok, "exit", run.stopped or f"QEMU exit status {run.status}"))
    return results


def run_guest(args, spec):
    """Run and judge one guest; returns (output lines, stderr text, failed)."""
    binary = Path(args.guest_dir) / f"{spec.name}.bin"
    if not spec.expect:
        return [f"not ok guest.{spec.name}.spec: no 'expect:' lines in its source"], "", True
    if not binary.is_file():
        return [f"not ok guest.{spec.name}.build: {binary} missing (make guests)"], "", True
    run = run_qemu(qemu_command(args, binary), spec.name, args.timeout)
    results = judge(spec, run, args.bare)
    failed = any(not r.ok and not r.todo for r in results)
    tail = ""
    if failed or args.verbose:
        tail = "\n".join(f"  | {l}" for l in run.lines[-TAIL_LINES:])
        tail = f"# console of {spec.name} (last {TAIL_LINES} lines):\n{tail}\n"
    return [r.line(spec.name, args.prefix) for r in results], tail, failed


def select_specs(args):
    """The guests to run, in order, and the skip lines for the others."""
    all_specs = {p.stem: parse_spec(p) for p in sorted(SRC_DIR.glob("*.c"))}
    unknown = [n for n in args.guests if n not in all_specs]
    if unknown:
        sys.exit(f"run.py: no such guest: {', '.join(unknown)} (have {', '.join(all_specs)})")
    names = args.guests or list(all_specs)
    specs, skips = [], []
    for name in names:
        spec = all_specs[name]
        if args.bare and spec.bare_skip and not args.guests:
            skips.append(f"ok guest.{name} # SKIP bare: {spec.bare_skip}")
        else:
            specs.append(spec)
    return specs, skips


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("guests", nargs="*", help="guest names (default: every tests/guest/*.c)")
    p.add_argument("--bare", action="store_true", help="run on QEMU without Tessera")
    p.add_argument("--image", default=str(DEFAULT_IMAGE), help="Tessera image")
    p.add_argument("--guest-dir", default=str(DEFAULT_GUEST_DIR), help="where <name>.bin are")
    p.add_argument("--qemu", default=os.environ.get("QEMU", "qemu-system-aarch64"))
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per guest")
    p.add_argument("-j", "--jobs", type=int, default=1, help="guests run in parallel")
    p.add_argument("-v", "--verbose", action="store_true", help="show every console")
    p.add_argument("--pcpus", type=int, default=2,
                   help="physical CPUs (QEMU -smp); the VM keeps 2 vCPUs, so 1 time-shares them")
    p.add_argument("--prefix", default="guest", help="first word of every check name")
    return p.parse_args()


def main():
    args = parse_args()
    if not args.bare and not Path(args.image).is_file():
        sys.exit(f"run.py: Tessera image {args.image} missing (make, or use --bare)")
    specs, skips = select_specs(args)
    for line in skips:
        print(line)
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for spec, (out, tail, failed) in zip(specs, pool.map(lambda s: run_guest(args, s), specs)):
            print("\n".join(out), flush=True)
            if tail:
                sys.stderr.write(tail)
                sys.stderr.flush()
            if failed:
                failures.append(spec.name)
    mode = "bare QEMU" if args.bare else "Tessera"
    print(f"# {len(specs) - len(failures)}/{len(specs)} guests passed on {mode}"
          + (f"; failed: {' '.join(failures)}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
