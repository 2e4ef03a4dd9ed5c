#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""make bench: exact instruction and exit counts for Tessera under QEMU -icount.

Measures (method: bench/README.md; what each figure means: docs/benchmarks.md):

1. the benchmark guest (bench/) under Tessera with -icount shift=0,sleep=off: EL2 and guest
   instructions and exits per operation, read from the guest's PMU and Tessera's exit counters,
   and the instructions from reset to the guest's first instruction; its BENCH_SWITCH build with
   two vCPUs on one physical CPU, for the vCPU switch;
2. Debian's kernel with the demo initramfs plus /bench-init (rdinit=/bench-init), under Tessera
   and on bare QEMU, 1 and 2 vCPUs: instructions from reset to the first instruction of /init,
   the ratio, and Tessera's exits by class during that boot;
3. Tessera's image size, static RAM and per-VM structures;
4. Xen 4.17 (Debian's xen-hypervisor-4.17-arm64, downloaded and unpacked, never installed) running
   the same guest as a dom0less domU, as an anchor; when that fails, the reason is reported.

Every measurement runs --runs times (default 2) and the tool checks the results agree. It prints
one table, writes build/bench/results.json and regenerates docs/benchmarks.md (and
docs/benchmarks-exits.svg). Standard library only.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from qemuproc import stop_group  # tools/qemuproc.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
QEMU_SH = ROOT / "tools" / "qemu.sh"
QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
CROSS = os.environ.get("CROSS", "aarch64-linux-gnu-")

EXIT_CLASSES = ["hvc", "smc", "mmio", "sysreg", "wfx", "irq", "abort", "undef", "other"]
CPU = "max,pauth=off"
GUEST_SMP, GUEST_MEM = 2, 64  # the benchmark guest: both vCPUs for the IPI rows
BOOT_SMP, BOOT_MEM = 1, 16  # reset to first guest instruction, the small case
SWITCH_SMP, SWITCH_VCPUS = 1, 2  # the vCPU switch: two vCPUs time-sharing one physical CPU
SWITCH_LABEL = "vCPU switch, two vCPUs sharing one pCPU: SGI send + WFI trap → other vCPU's handler"
LINUX_MEM = 512
# nokaslr: QEMU gives a bare kernel a kaslr-seed in its DTB and Tessera does not; without it both
# boot the kernel at the same place.
LINUX_CMDLINE = "console=ttyAMA0 earlycon=pl011,0x9000000 rdinit=/bench-init nokaslr"
# Xen 4.17 hangs during boot under QEMU -icount shift=0 and shift=1; shift=3 boots, and
# derive_clock() converts its counts.
XEN_SHIFT = 3
XEN_PKG = "xen-hypervisor-4.17-arm64:arm64"
XEN_LOAD_ADDR = 0x49000000
GUEST_TIMEOUT = 120
LINUX_TIMEOUT = 300
XEN_TIMEOUT = 180

LINUX_TOLERANCE = 0.01  # the largest relative spread of a Linux boot's count between runs
LINUX_NOTE = (
    "Unlike the guest's figures, Linux boots are not bit-for-bit repeatable: the kernel draws on\n"
    "the CPU's random-number instructions (`-cpu max` has FEAT_RNG), and with 2 vCPUs the\n"
    "interleaving of QEMU's round-robin vCPUs shifts which vCPU takes which exit. The table shows\n"
    "run 1. With 2 vCPUs the count also depends on whether vCPU 1 prints part of the boot log\n"
    "(the other vCPU then spins on the printk console lock while every character exits), which\n"
    "moves it by up to about 0.5 %, and the exits by class by some tens to hundreds. The\n"
    "determinism check requires each boot's count to agree within 1 % between runs.")

# The rows of the benchmark guest's table: key, label, and how the row is read.
#   kind "simple": EL2 = el2 / n; "irq": EL2 = path / n (trigger to the guest handler)
GUEST_ROWS = [
    ("hvc_nop", "HVC round trip: null hypercall (TESSERA_HC_NOP)", "simple"),
    ("hvc_psci_version", "HVC round trip: PSCI_VERSION", "simple"),
    ("gicd_read", "MMIO read: GICD_TYPER (emulated distributor)", "simple"),
    ("gicd_write", "MMIO write: GICD_IPRIORITYR8 (emulated distributor)", "simple"),
    ("uart_fr_read", "MMIO read: PL011 UARTFR", "simple"),
    ("uart_dr_read", "MMIO read: PL011 UARTDR (receive FIFO empty)", "simple"),
    ("uart_dr_write", "MMIO write: PL011 UARTDR", "simple"),
    ("vtimer", "vIRQ physical-to-virtual: virtual timer, physical IRQ → guest handler", "irq"),
    ("sgi_self", "vIRQ hypervisor-generated: SGI to self, ICC_SGI1R trap → guest handler", "irq"),
    ("ipi_send", "virtual IPI vCPU0→vCPU1 (pCPU0→pCPU1), sender: ICC_SGI1R trap", "irq"),
    ("ipi_recv", "virtual IPI, receiver: physical SGI from the sender's pCPU → guest handler", "irq"),
]
# Which trap of an interrupt row is the trigger itself (the rest are ack/EOI exits).
IRQ_TRIGGER_EXITS = {"vtimer": 1, "sgi_self": 1, "ipi_recv": 1, "ipi_send": 1}


def die(msg):
    sys.exit(f"bench: {msg}")


def rel(text):
    """Paths under the repository, relative to it (command lines in the docs)."""
    return str(text).replace(str(ROOT) + "/", "")


def fmt_int(v):
    return "n/a" if v is None else f"{int(round(v)):,}"


def fmt_num(v, digits=1):
    """An integral value as an integer, anything else with `digits` decimals."""
    if v is None:
        return "n/a"
    if abs(v - round(v)) < 1e-9:
        return f"{int(round(v)):,}"
    return f"{v:,.{digits}f}"


# ------------------------------------------------------------------ running QEMU

class Run:
    """One QEMU run: its console lines, exit status and why it was stopped."""

    def __init__(self, lines, status, stopped, wall):
        self.lines, self.status, self.stopped, self.wall = lines, status, stopped, wall


def run_qemu(cmd, timeout, done_re=None, log=None):
    """Run cmd; stop it at timeout or, if done_re is given, once a line matches it."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
    lines, done = [], threading.Event()

    def reader():
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").replace("\0", "").replace("\r", "")
            line = line.rstrip("\n")
            lines.append(line)
            if done_re and done_re.search(line):
                done.set()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    stopped = ""
    while proc.poll() is None:
        if done.is_set():
            stopped = "done"
        elif time.monotonic() - start > timeout:
            stopped = f"timeout after {timeout} s"
        if stopped:
            stop_group(proc)
            break
        time.sleep(0.05)
    thread.join(timeout=5.0)
    wall = time.monotonic() - start
    if log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        Path(log).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Run(list(lines), proc.wait(), stopped, wall)


def qemu_sh_args(kernel, smp, mem, bare=False, initrd=None, cmdline="", hyp=None, vcpus=None):
    args = ["--kernel", str(kernel), "--smp", str(smp), "--mem", str(mem), "--cpu", CPU,
            "--icount", "--cmdline", cmdline]
    if vcpus:
        args += ["--vcpus", str(vcpus)]
    if bare:
        args.insert(0, "--bare")
    if initrd:
        args += ["--initrd", str(initrd)]
    if hyp and not bare:
        args += ["--hyp", str(hyp)]
    return args


def qemu_sh(args, build):
    """The command that runs QEMU, and the QEMU command line it runs (for the docs)."""
    env = dict(os.environ, BUILD=str(build))
    printed = subprocess.run(["bash", str(QEMU_SH), "--print"] + args, cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True).stdout.strip()
    return ["env", f"BUILD={build}", "bash", str(QEMU_SH)] + args, rel(printed)


# ------------------------------------------------------------------ the benchmark guest

BOOT_RE = re.compile(r"@bench boot cntpct=(\d+) cntfrq=(\d+)")
INFO_RE = re.compile(r"@bench info (.*)$")
OP_RE = re.compile(r"@bench op=(\S+) (.*)$")
DONE_RE = re.compile(r"(?:^|\s)done bench (\d+) (\d+)\s*$")
NOTOK_RE = re.compile(r"not ok bench\.(\S+)(.*)$")
# Tessera's boot log: the VM's RAM and the stage-2 tables built for it.
VM_RE = re.compile(r"tessera: vm0: \d+ vCPUs, (\d+) MiB RAM")
S2_RE = re.compile(r"tessera: vm0: stage-2 tables (\d+) KiB")


def parse_vm(lines):
    """{"ram_mib", "s2_kib"} from Tessera's boot log, as far as it printed them."""
    out = {}
    for line in lines:
        if (m := VM_RE.search(line)):
            out["ram_mib"] = int(m.group(1))
        elif (m := S2_RE.search(line)):
            out["s2_kib"] = int(m.group(1))
    return out


def kv(text):
    return dict(item.split("=", 1) for item in text.split() if "=" in item)


def parse_guest(lines):
    """The benchmark guest's @bench lines: boot counter, info, raw per-operation counts."""
    out = {"boot": None, "info": {}, "ops": {}, "failures": [], "done": False}
    for line in lines:
        if (m := BOOT_RE.search(line)):
            out["boot"] = {"cntpct": int(m.group(1)), "cntfrq": int(m.group(2))}
        elif (m := INFO_RE.search(line)):
            out["info"] = kv(m.group(1))
        elif (m := OP_RE.search(line)):
            f = kv(m.group(2))
            op = {k: int(v) for k, v in f.items() if k != "exits" and v.isdigit()}
            ex = f.get("exits", "na")
            op["exits"] = None if ex == "na" else dict(zip(EXIT_CLASSES, map(int, ex.split(","))))
            out["ops"][m.group(1)] = op
        elif (m := NOTOK_RE.search(line)):
            out["failures"].append(m.group(1) + m.group(2))
        elif DONE_RE.search(line):
            out["done"] = True
    return out


def insns_per_tick(cntfrq, shift):
    """Instructions per counter tick under -icount shift: one instruction every 2^shift ns."""
    return 1e9 / cntfrq / (1 << shift)


def derive_tessera(raw):
    """Per-operation figures from a PMU run (EL2 and EL1 counters, Tessera's exit counters)."""
    ops = raw["ops"]
    loop = ops.get("loop")
    overhead = loop["el1"] / loop["n"] - 1 if loop else 0  # the loop minus its nop
    rows = {}
    for key, _label, kind in GUEST_ROWS:
        op = ops.get(key)
        if not op:
            continue
        n = op["n"]
        row = {"el2_total": op["el2"] / n, "guest": op["el1"] / n - overhead}
        row["el2"] = op["path"] / n if kind == "irq" else op["el2"] / n
        if key in ("ipi_send", "ipi_recv"):
            row["guest"] = None  # the loop waits for the other vCPU: not an operation's cost
        if op["exits"] is not None:
            by = {c: v / n for c, v in op["exits"].items()}
            row["exits"] = sum(by.values())
            row["exits_by_class"] = {c: v for c, v in by.items() if v}
            if key in IRQ_TRIGGER_EXITS:
                row["ack_eoi_exits"] = row["exits"] - IRQ_TRIGGER_EXITS[key]
        if kind == "irq":
            row["handled"], row["timeouts"] = op.get("handled"), op.get("timeouts")
        rows[key] = row
    return rows


def derive_switch(raw):
    """The vCPU switch from the BENCH_SWITCH run: per switch, one direction of the ping-pong.

    Each round trip is two switches. el2 and el1 are the physical CPU's counts (the PMU is not
    switched with the vCPUs, so they hold both vCPUs' work); path and sgi are the two
    components, summed on each side; exits are vCPU 0's, which takes one of the two switches of
    every round trip (vCPU 1's are the same by symmetry).
    """
    a, b = raw["ops"].get("switch"), raw["ops"].get("switch_peer")
    if not a or not b or not a.get("n"):
        return None
    switches = 2 * a["n"]
    row = {"el2": a["el2"] / switches, "guest": a["el1"] / switches,
           "send": (a["sgi"] + b["sgi"]) / switches,
           "wfi_to_handler": (a["path"] + b["path"]) / switches,
           "handled": a["handled"] + b["handled"], "timeouts": a["timeouts"] + b["timeouts"],
           "round_trips": a["n"]}
    row["rest"] = row["el2"] - row["send"] - row["wfi_to_handler"]
    if a["exits"] is not None:
        by = {c: v / a["n"] for c, v in a["exits"].items()}
        row["exits"] = sum(by.values())
        row["exits_by_class"] = {c: v for c, v in by.items() if v}
        row["ack_eoi_exits"] = row["exits"] - 2  # beyond the SGI write and the WFI
    return row


def switch_line(res):
    """The vCPU switch's components, one line (the table has room for the total only)."""
    sw = res["guest"].get("switch")
    if not sw:
        return "vCPU switch: n/a"
    return (f"vCPU switch: {fmt_int(sw['el2'])} EL2 insns per switch = SGI send trap "
            f"{fmt_int(sw['send'])} + WFI trap to the other vCPU's handler "
            f"{fmt_int(sw['wfi_to_handler'])} + elsewhere {fmt_num(sw['rest'], 2)}")


def derive_clock(raw, shift, guest_el1):
    """Per-operation figures from a clock-only run (Xen): machine instructions minus the guest's.

    guest_el1: EL1 instructions per operation, measured under Tessera on the same guest code.
    """
    ops, boot = raw["ops"], raw["boot"]
    ipt = insns_per_tick(boot["cntfrq"], shift)
    rows = {}
    for key, _label, kind in GUEST_ROWS:
        op = ops.get(key)
        if not op:
            continue
        n = op["n"]
        machine = op["clk"] * ipt / n
        row = {"machine": machine}
        if kind == "irq":
            row["el2"] = op["path"] * ipt / n  # includes the few guest instructions on the way
        else:
            row["el2"] = machine - guest_el1.get(key, 0)
        rows[key] = row
    return rows


def guest_el1_per_op(raw):
    return {k: op["el1"] / op["n"] for k, op in raw["ops"].items() if op.get("n")}


# ------------------------------------------------------------------ Linux

INIT_RE = re.compile(r"@bench-init cntvct=(\d+) cntfrq=(\d+) uptime=(\S+)")
EXITS_RE = re.compile(r"tessera: exits vm(\d+) vcpu(\d+) (.*)$")


def parse_linux(lines):
    out = {"cntvct": None, "exits": {}, "powered_off": False}
    for line in lines:
        if (m := INIT_RE.search(line)):
            out["cntvct"], out["cntfrq"] = int(m.group(1)), int(m.group(2))
            out["uptime"] = m.group(3)
        elif (m := EXITS_RE.search(line)):
            out["exits"][f"vcpu{m.group(2)}"] = {k: int(v) for k, v in kv(m.group(3)).items()}
        elif "reboot: Power down" in line:
            out["powered_off"] = True
    if out["cntvct"] is not None:
        out["insns_to_init"] = int(out["cntvct"] * insns_per_tick(out["cntfrq"], 0))
    return out


# ------------------------------------------------------------------ Xen

def xen_fetch(deps):
    """Xen from Debian, unpacked under deps (apt-get download + dpkg -x, never installed)."""
    xen = deps / "root" / "boot" / "xen-4.17-arm64"
    if xen.is_file():
        return xen, ""
    deps.mkdir(parents=True, exist_ok=True)
    for tool in ("apt-get", "dpkg"):
        if not shutil.which(tool):
            return None, f"no {tool} on this machine"
    try:
        subprocess.run(["apt-get", "download", XEN_PKG], cwd=deps, capture_output=True,
                       text=True, check=True, timeout=180)
    except (subprocess.SubprocessError, OSError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        return None, f"apt-get download {XEN_PKG} failed: {detail.strip().splitlines()[-1:]}"
    debs = sorted(deps.glob("xen-hypervisor-4.17-arm64_*.deb"))
    if not debs:
        return None, "apt-get download left no .deb"
    subprocess.run(["dpkg", "-x", str(debs[-1]), str(deps / "root")], check=True)
    return (xen, "") if xen.is_file() else (None, "the package has no boot/xen-4.17-arm64")


def xen_dtb(work, guest, smp, machine_mem, guest_mem_kib):
    """QEMU's DTB for the machine with /chosen replaced by a dom0less domain.

    The DTB is QEMU's own (dumpdtb), so it describes exactly the machine QEMU emulates; the new
    /chosen makes Xen boot the benchmark guest, loaded at XEN_LOAD_ADDR, as its one domain
    (domU1, no dom0), with Xen's console on the PL011.
    """
    dtb, dts = work / "virt.dtb", work / "virt.dts"
    subprocess.run([QEMU, "-M", f"virt,virtualization=on,gic-version=3,dumpdtb={dtb}",
                    "-cpu", CPU, "-smp", str(smp), "-m", f"{machine_mem}M", "-nographic"],
                   capture_output=True, check=True, timeout=60)
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", "-o", str(dts), str(dtb)],
                   check=True, timeout=60)
    text = dts.read_text()
    start = text.index("\tchosen {")
    end = text.index("\n\t};", start) + len("\n\t};")
    # Without QEMU's rng-seed and kaslr-seed, which change on every dump.
    chosen = f"""\tchosen {{
\t\tstdout-path = "/pl011@9000000";
\t\txen,xen-bootargs = "console=dtuart dtuart=/pl011@9000000";
\t\t#address-cells = <0x02>;
\t\t#size-cells = <0x02>;
\t\tdomU1 {{
\t\t\tcompatible = "xen,domain";
\t\t\t#address-cells = <0x01>;
\t\t\t#size-cells = <0x01>;
\t\t\tmemory = <0x00 {guest_mem_kib:#x}>;
\t\t\tcpus = <0x01>;
\t\t\tvpl011;
\t\t\tmodule@{XEN_LOAD_ADDR:x} {{
\t\t\t\tcompatible = "multiboot,kernel", "multiboot,module";
\t\t\t\treg = <{XEN_LOAD_ADDR:#x} {guest.stat().st_size:#x}>;
\t\t\t\tbootargs = "bench";
\t\t\t}};
\t\t}};
\t}};"""
    out = work / "dom0less.dts"
    out.write_text(text[:start] + chosen + text[end:])
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(work / "dom0less.dtb"),
                    str(out)], check=True, timeout=60)
    return work / "dom0less.dtb"


def xen_command(xen, dtb, guest, smp, machine_mem):
    return [QEMU, "-M", "virt,virtualization=on,gic-version=3", "-cpu", CPU, "-smp", str(smp),
            "-m", f"{machine_mem}M", "-nographic", "-no-reboot", "-dtb", str(dtb),
            "-kernel", str(xen), "-device",
            f"loader,file={guest},addr={XEN_LOAD_ADDR:#x},force-raw=on",
            "-icount", f"shift={XEN_SHIFT},sleep=off"]


# ------------------------------------------------------------------ sizes

def image_sizes(elf, sizes_obj):
    out = {}
    try:
        text = subprocess.run([CROSS + "size", str(elf)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[1].split()
        out["text"], out["data"], out["bss"] = map(int, text[:3])
        out["text_data"] = out["text"] + out["data"]
        out["static_ram"] = out["text"] + out["data"] + out["bss"]
        nm = subprocess.run([CROSS + "nm", "-S", "--size-sort", str(elf)], capture_output=True,
                            text=True, check=True).stdout.splitlines()
        big = []
        for line in reversed(nm):
            parts = line.split()
            if len(parts) == 4 and parts[2] in "bBdD":
                big.append({"symbol": parts[3], "bytes": int(parts[1], 16)})
        out["largest_static"] = big[:6]
    except (subprocess.SubprocessError, OSError, IndexError, ValueError) as e:
        out["error"] = f"size/nm on {rel(elf)}: {e}"
    if sizes_obj and Path(sizes_obj).is_file():
        nm = subprocess.run([CROSS + "nm", "-S", str(sizes_obj)], capture_output=True,
                            text=True).stdout.splitlines()
        sym = {p[3]: int(p[1], 16) for p in (l.split() for l in nm) if len(p) == 4}
        if "bench_sizeof_vm" in sym:
            out["sizeof_vm"] = sym["bench_sizeof_vm"]
            out["sizeof_vcpu"] = sym.get("bench_sizeof_vcpu")
            out["vm_max_vcpus"] = sym.get("bench_vm_max_vcpus")
    return out


def stage2_sizes(runs):
    """The stage-2 tables of each distinct VM size the runs booted, smallest VM first."""
    seen = {}
    for r in runs:
        vm = r.get("vm", {})
        if "ram_mib" in vm and "s2_kib" in vm:
            seen[vm["ram_mib"]] = vm["s2_kib"]
    return [{"ram_mib": m, "s2_kib": seen[m]} for m in sorted(seen)]


# ------------------------------------------------------------------ the measurements

class Bench:
    def __init__(self, args):
        self.args = args
        self.build = Path(args.build).resolve()
        self.out = self.build / "bench"
        self.logs = self.out / "logs"
        self.commands = {}
        self.walls = {}
        self.problems = []

    def repeat(self, name, fn):
        """Run fn(i) --runs times; all the results, run 1 first."""
        results = []
        for i in range(self.args.runs):
            t0 = time.monotonic()
            results.append(fn(i))
            self.walls[f"{name} #{i + 1}"] = time.monotonic() - t0
        return results

    # -- benchmark guest
    def guest_run(self, label, smp, mem, bare=False, variant="virt", vcpus=None):
        guest = self.out / variant / "bench.bin"
        cmd, printed = qemu_sh(qemu_sh_args(guest, smp, mem, bare=bare, cmdline="bench",
                                            hyp=self.args.hyp, vcpus=vcpus), self.build)
        self.commands[label] = printed

        def once(i):
            run = run_qemu(cmd, GUEST_TIMEOUT, log=self.logs / f"{label}.{i + 1}.log")
            raw = parse_guest(run.lines)
            raw["vm"] = parse_vm(run.lines)
            raw["status"], raw["stopped"] = run.status, run.stopped
            if raw["stopped"] or raw["status"] != 0 or not raw["done"] or raw["failures"]:
                self.problems.append(f"{label} run {i + 1}: QEMU status {raw['status']} "
                                     f"{raw['stopped']} done={raw['done']} "
                                     f"failures={raw['failures']} (log {rel(self.logs)})")
            return raw
        return self.repeat(label, once)

    # -- Linux
    def linux_run(self, smp, bare):
        label = f"linux-{'bare' if bare else 'tessera'}-{smp}cpu"
        cmd, printed = qemu_sh(qemu_sh_args(self.args.kernel, smp, LINUX_MEM, bare=bare,
                                            initrd=self.args.initrd, cmdline=LINUX_CMDLINE,
                                            hyp=self.args.hyp), self.build)
        self.commands[label] = printed

        def once(i):
            run = run_qemu(cmd, LINUX_TIMEOUT, log=self.logs / f"{label}.{i + 1}.log")
            res = parse_linux(run.lines)
            res["vm"] = parse_vm(run.lines)
            res["status"], res["stopped"] = run.status, run.stopped
            if res.get("cntvct") is None or res["status"] != 0:
                self.problems.append(f"{label} run {i + 1}: no @bench-init line or QEMU status "
                                     f"{res['status']} {res['stopped']} "
                                     f"(log {rel(self.logs)}/{label}.{i + 1}.log)")
            return res
        return self.repeat(label, once)

    # -- Xen: one result per run
    def xen(self, guest_el1):
        if self.args.no_xen:
            return [{"status": "skipped", "why": "--no-xen"}] * self.args.runs
        out = self.xen_runs(guest_el1)
        return out if isinstance(out, list) else [out] * self.args.runs

    def xen_runs(self, guest_el1):
        deadline = time.monotonic() + self.args.xen_timebox
        xen, why = xen_fetch(self.build / "deps" / "xen")
        if not xen:
            return {"status": "failed", "why": why}
        debs = sorted((self.build / "deps" / "xen").glob("xen-hypervisor-4.17-arm64_*.deb"))
        package = debs[-1].name if debs else XEN_PKG
        guest = self.out / "xen" / "bench.bin"
        work = self.out / "xen-run"
        work.mkdir(parents=True, exist_ok=True)
        # The same machine as Tessera's 1-vCPU run: QEMU memory as tools/qemu.sh gives it.
        machine_mem = BOOT_MEM + 256 + 1
        try:
            dtb = xen_dtb(work, guest, BOOT_SMP, machine_mem, BOOT_MEM * 1024)
        except (subprocess.SubprocessError, OSError, ValueError) as e:
            return {"status": "failed", "why": f"building the dom0less DTB: {e}"}
        cmd = xen_command(xen, dtb, guest, BOOT_SMP, machine_mem)
        self.commands["xen-dom0less"] = rel(" ".join(shlex.quote(c) for c in cmd))

        def once(i):
            left = max(10, deadline - time.monotonic())
            run = run_qemu(cmd, min(XEN_TIMEOUT, left), done_re=DONE_RE,
                           log=self.logs / f"xen.{i + 1}.log")
            raw = parse_guest(run.lines)
            raw["stopped"] = run.stopped
            if not raw["done"] or raw["boot"] is None:
                return {"status": "failed",
                        "why": f"the domU did not finish in run {i + 1} "
                               f"({raw['stopped'] or 'no done line'}; console in "
                               f"{rel(self.logs)}/xen.{i + 1}.log)"}
            return {"status": "ok", "raw": raw, "rows": derive_clock(raw, XEN_SHIFT, guest_el1),
                    "package": package,
                    "boot": raw["boot"]["cntpct"] *
                    insns_per_tick(raw["boot"]["cntfrq"], XEN_SHIFT),
                    "failures": raw["failures"]}
        return self.repeat("xen", once)


def spread(values):
    vals = [v for v in values if v is not None]
    return (max(vals) - min(vals)) if len(vals) > 1 else 0


def fmt_k(v):
    """Instruction counts from a counter with 16-instruction ticks: thousands."""
    return "n/a" if v is None else f"{v / 1000:,.0f} k"


def fmt_m(v):
    """Linux boots (SMP under -icount varies by a few thousand): millions, one decimal."""
    return "n/a" if v is None else f"{v / 1e6:,.1f} M"


# ------------------------------------------------------------------ targets

def targets(res):
    g, lx, sz = res["guest"]["rows"], res["linux"], res["sizes"]

    def get(key, field="el2"):
        return g.get(key, {}).get(field)

    out = []

    def add(what, target, value, ok, ref, shown=None):
        out.append({"what": what, "target": target, "value": value,
                    "shown": shown if shown is not None else fmt_num(value),
                    "met": None if value is None else bool(ok), "reference": ref})

    for key, name in (("hvc_nop", "null hypercall"), ("hvc_psci_version", "PSCI_VERSION")):
        v = get(key)
        add(f"HVC round trip ({name}), EL2 instructions", "≤ 70", v, v is not None and v <= 70,
            "Bao 188 (PSCI_VERSION)", shown=fmt_int(v))
    v = get("gicd_read")
    add("emulated GIC distributor read, EL2 instructions", "≤ 120", v,
        v is not None and v <= 120, "Bao 227", shown=fmt_int(v))
    v, a = get("vtimer"), get("vtimer", "ack_eoi_exits")
    add("virtual IRQ injection (virtual timer), EL2 instructions; exits on guest ack/EOI",
        "≤ 80; 0", v, v is not None and v <= 80 and a == 0, "minimal stub 67",
        shown=f"{fmt_int(v)}; {fmt_num(a, 2)}")
    s, r = get("ipi_send"), get("ipi_recv")
    add("virtual IPI, EL2 instructions sender + receiver", "≤ 150 + 100",
        None if s is None or r is None else s + r,
        s is not None and r is not None and s <= 150 and r <= 100, "—",
        shown=f"{fmt_int(s)} + {fmt_int(r)}")
    b = res["guest"].get("boot_small")
    add(f"reset to first guest instruction ({BOOT_SMP} vCPU, {BOOT_MEM} MiB VM)",
        "≤ 200 k instructions", b, b is not None and b <= 200_000, "Bao 351 k (1 CPU)",
        shown=fmt_k(b))
    for smp in (1, 2):
        ratio = lx.get(f"{smp}cpu", {}).get("ratio")
        add(f"Debian Linux to /init, Tessera / bare QEMU, {smp} vCPU", "≤ 1.02", ratio,
            ratio is not None and ratio <= 1.02, "—",
            shown="n/a" if ratio is None else f"{ratio:.3f}")
    td = sz.get("text_data")
    add("image text + data", "≤ 128 KiB", td, td is not None and td <= 128 * 1024,
        "Bao ~89 KB", shown="n/a" if td is None else f"{td:,} B ({td / 1024:.1f} KiB)")
    return out


# ------------------------------------------------------------------ output

def table_lines(res):
    g, xen = res["guest"]["rows"], res["xen"]
    xen_rows = xen.get("rows", {}) if xen.get("status") == "ok" else {}
    head = ["operation", "EL2 insns", "guest insns", "exits", "ack/EOI exits", "exits by class",
            "Xen 4.17 EL2 insns (clock)"]
    rows = []
    for key, label, _kind in GUEST_ROWS:
        r = g.get(key)
        if r is None:
            rows.append([label] + ["n/a"] * 6)
            continue
        classes = ", ".join(f"{c} {fmt_num(v, 2)}" for c, v in r.get("exits_by_class", {}).items())
        xr = xen_rows.get(key)
        rows.append([label, fmt_int(r["el2"]), fmt_int(r["guest"]), fmt_num(r.get("exits"), 2),
                     fmt_num(r["ack_eoi_exits"], 2) if "ack_eoi_exits" in r else "—",
                     classes or "—",
                     "≈" + fmt_int(xr["el2"]) if xr else "—"])
    sw = res["guest"].get("switch")
    if sw:
        classes = ", ".join(f"{c} {fmt_num(v, 2)}" for c, v in sw.get("exits_by_class", {}).items())
        rows.append([SWITCH_LABEL, fmt_int(sw["el2"]), fmt_num(sw["guest"]),
                     fmt_num(sw.get("exits"), 2), fmt_num(sw.get("ack_eoi_exits"), 2),
                     classes or "—", "—"])
    else:
        rows.append([SWITCH_LABEL] + ["n/a"] * 6)
    boot_small, boot_guest = res["guest"].get("boot_small"), res["guest"].get("boot")
    xen_boot = xen.get("boot") if xen.get("status") == "ok" else None
    rows.append([f"reset → first guest instruction, {BOOT_SMP} vCPU, {BOOT_MEM} MiB VM",
                 fmt_k(boot_small), "—", "—", "—", "machine instructions from reset",
                 fmt_k(xen_boot) if xen_boot else "—"])
    rows.append([f"reset → first guest instruction, {GUEST_SMP} vCPUs, {GUEST_MEM} MiB VM",
                 fmt_k(boot_guest), "—", "—", "—", "machine instructions from reset", "—"])
    rows.append(["reset → first guest instruction, bare QEMU (no hypervisor)",
                 fmt_k(res["guest"].get("boot_bare")), "—", "—", "—",
                 "QEMU's boot stub only", "—"])
    return head, rows


def linux_lines(res):
    head = ["vCPUs", "bare QEMU insns to /init", "Tessera insns to /init", "Tessera / bare",
            "Tessera exits", "exits by class (all vCPUs)"]
    rows = []
    for smp in (1, 2):
        l = res["linux"].get(f"{smp}cpu", {})
        tot = l.get("exits_total", {})
        rows.append([str(smp), fmt_m(l.get("bare")), fmt_m(l.get("tessera")),
                     "n/a" if l.get("ratio") is None else f"{l['ratio']:.3f}",
                     fmt_int(sum(tot.values())) if tot else "n/a",
                     ", ".join(f"{c} {v:,}" for c, v in tot.items() if v) or "n/a"])
    return head, rows


def md_table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return out


def text_table(head, rows):
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
    return [line(head), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]


def exits_svg(res, path):
    """A horizontal bar chart of Tessera's exits by class during the Linux boots."""
    series = [(f"{smp} vCPU", res["linux"].get(f"{smp}cpu", {}).get("exits_total", {}))
              for smp in (1, 2)]
    classes = [c for c in EXIT_CLASSES if any(s.get(c) for _, s in series)]
    if not classes:
        return False
    top = max(max(s.get(c, 0) for c in classes) for _, s in series) or 1
    bar, gap, left, width = 14, 10, 80, 440
    colors = ["#4e79a7", "#f28e2b"]
    height = 50 + len(classes) * (len(series) * bar + gap) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 120}" '
           f'height="{height}" font-family="sans-serif" font-size="12">',
           f'<text x="10" y="20" font-size="14">Tessera: exits by class, Debian Linux boot '
           f'to /init (make bench)</text>']
    y = 40
    for c in classes:
        out.append(f'<text x="10" y="{y + bar}">{c}</text>')
        for i, (name, s) in enumerate(series):
            v = s.get(c, 0)
            w = max(1, int(width * v / top))
            out.append(f'<rect x="{left}" y="{y}" width="{w}" height="{bar - 2}" '
                       f'fill="{colors[i]}"/>')
            out.append(f'<text x="{left + w + 4}" y="{y + bar - 3}">{v:,}</text>')
            y += bar
        y += gap
    for i, (name, _s) in enumerate(series):
        out.append(f'<rect x="{left + i * 90}" y="{y + 5}" width="12" height="12" '
                   f'fill="{colors[i]}"/><text x="{left + i * 90 + 16}" y="{y + 15}">{name}</text>')
    out.append("</svg>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return True


def write_docs(res, path, svg_written):
    g, sz, xen = res["guest"], res["sizes"], res["xen"]
    head, rows = table_lines(res)
    head = head[:-1] + ["Xen 4.17 EL2 insns"]
    lhead, lrows = linux_lines(res)
    t = res["targets"]
    sw = g.get("switch") or {}
    sw_n = fmt_int(sw.get("round_trips"))
    sw_el2, sw_send = fmt_int(sw.get("el2")), fmt_int(sw.get("send"))
    sw_wfi, sw_rest = fmt_int(sw.get("wfi_to_handler")), fmt_num(sw.get("rest"), 2)
    sw_guest = fmt_num(sw.get("guest"))
    out = [
        "# Benchmarks",
        "",
        "<!-- Generated by tools/bench.py (`make bench`); edit the tool, not this file. -->",
        "",
        "`make bench` measures Tessera by **exact instruction counts** under QEMU's",
        "`-icount shift=0,sleep=off`, never by wall-clock time: the benchmark guest reads its",
        "PMU's `INST_RETIRED` counters filtered to EL2 (Tessera) and to EL1 (the guest), exact",
        "under icount (method: `bench/README.md`). Every number below is deterministic: the tool runs",
        f"each measurement {res['runs']} times and checks the results agree "
        f"(this run: **{'they do' if res['deterministic'] else 'they do NOT: see the notes'}**;",
        "the Linux boots agree to the precision explained below them).",
        "",
        "## Per-operation costs (benchmark guest, `bench/`)",
        "",
    ]
    out += md_table(head, rows)
    out += [
        "",
        "- **EL2 insns**: instructions Tessera executes per operation, from the guest's PMU with",
        "  `PMEVTYPER0_EL0 = P|U|NSH|INST_RETIRED` (EL2 only), over "
        f"{g.get('iters', 'n/a')} iterations minus a run of none.",
        "  For the interrupt rows it is the path from the trigger (the timer firing, the trapped",
        "  `ICC_SGI1R_EL1` write, or — on the receiving vCPU — the moment before it waits) to the",
        "  first instruction of the guest's IRQ handler: the guest's handler reads the EL2 counter",
        "  first thing. The IPI sender row is the trap around the `ICC_SGI1R_EL1` write alone.",
        "- **guest insns**: EL1 instructions per operation (`PMEVTYPER1_EL0 = U|INST_RETIRED`),",
        "  less the measured loop overhead; an emulated MMIO access does not retire, so it counts 0.",
        "  Interrupt rows count the guest's whole iteration (arm or send, vector, ack, EOI, `eret`).",
        "- **exits**: deltas of Tessera's per-vCPU exit counters (`TESSERA_HC_EXIT_COUNT`) per",
        "  operation; **ack/EOI exits** are the exits beyond the triggering one (0 = the guest's",
        "  `ICC_IAR1_EL1` read and `ICC_EOIR1_EL1` write did not trap).",
        "- **Xen 4.17**: the same guest as a dom0less domU. Xen 4.17 traps the guest's PMU (reads",
        "  as zero), so its column comes from the physical counter instead: machine-wide",
        f"  instructions (`-icount shift={XEN_SHIFT}`: one instruction every {1 << XEN_SHIFT} ns, "
        f"{insns_per_tick(62_500_000, XEN_SHIFT):g}",
        "  instructions per tick) minus the guest's own EL1 instructions as measured under Tessera;",
        "  interrupt rows include the few guest instructions between trigger and handler. The",
        "  domU has 1 vCPU, so the IPI rows are not measured there.",
        "",
        "### vCPU switch",
        "",
        f"Measured by a build of the guest that does only this (`-DBENCH_SWITCH`), run with "
        f"{SWITCH_VCPUS} vCPUs",
        f"on {SWITCH_SMP} physical CPU (`tools/qemu.sh --smp {SWITCH_SMP} --vcpus {SWITCH_VCPUS}`, "
        "command line `guest-tessera-switch`",
        "below), so that the two time-share it. vCPU 0 and vCPU 1 play ping-pong "
        f"{sw_n} times: each",
        "sends an SGI to the other (`ICC_SGI1R_EL1`, trapped) and waits in `WFI` (trapped); with",
        "nothing pending for it, Tessera blocks the waiting vCPU and switches to the other, whose",
        "SGI is now pending, and that one's IRQ handler runs, acknowledges, EOIs (no exits) and",
        "answers. The PMU is not switched between vCPUs, so both read the same physical counters:",
        "before its `WFI` each side stores the EL2 count, and the other side's handler reads the",
        "EL2 count as its first instruction. Every round trip is two switches, one each way; the",
        "row shows one switch, from the SGI that wakes the other vCPU to that vCPU's handler:",
        "",
        f"- **EL2 insns** {sw_el2}: all EL2 instructions of the physical CPU over the ping-pong,",
        "  divided by twice the round trips. Of these,",
        f"  - {sw_send}: the SGI send, from the trap of the `ICC_SGI1R_EL1` write back to the",
        "    sender (the vGIC makes the SGI pending for the blocked vCPU, which shares the CPU so",
        "    needs no physical kick; the scheduler keeps the sender, whose slice is not over, and",
        "    arms CNTHP for the slice end because another vCPU now wants the CPU);",
        f"  - {sw_wfi}: from the `WFI` trap to the first instruction of the other vCPU's handler:",
        "    exit entry and list-register sync, the WFI handler (nothing pending: the vCPU",
        "    blocks), the scheduler's pick, `arch_vcpu_put` of the sender (EL1 system registers,",
        "    FP/SIMD, virtual timer; the pointer-authentication keys too when the CPU has them,",
        f"    but the benchmarks run `-cpu {CPU}`), `arch_vcpu_load` of the other, CNTHP",
        "    cancelled, its pending SGI into the list registers, the GIC interface restored and",
        "    `eret`, straight into the vector;",
        f"  - {sw_rest}: EL2 instructions in neither window; the two cover every exit of the",
        "    ping-pong, so this is 0 unless something else ran at EL2 (a physical interrupt).",
        f"- **guest insns** {sw_guest}: both vCPUs' EL1 instructions per round trip, halved (loop,",
        "  send, wait, vector, ack, EOI, `eret`).",
        "- **exits**: the exits of the vCPU that gives up the CPU, per switch: the SGI write",
        "  (sysreg) and the WFI (wfx), from vCPU 0's counters (it gives up the CPU once per round",
        "  trip; vCPU 1 the other time, the same way). The handler's ack and EOI do not exit.",
        "",
        "## Debian Linux boot to `/init`",
        "",
    ]
    out += md_table(lhead, lrows)
    out += [
        "",
        "Instructions from machine reset to the first instruction of `/init`: the kernel runs",
        "`rdinit=/bench-init` (bench/init.c, appended to the demo initramfs), whose first",
        "instruction reads `CNTVCT_EL0`; neither bare QEMU nor Tessera offsets it",
        "(`CNTVOFF_EL2 = 0`), and under `-icount shift=0` one tick is 16 instructions of the",
        "whole machine (all CPUs). Tessera's figure includes its own boot and the loading of the",
        "kernel and initramfs into the VM. The exits are the counters Tessera prints per vCPU",
        "when the VM powers off (`/bench-init` powers off at once).",
        "",
        "The two machines are not identical, and a ratio near or below 1 reflects that: bare",
        "QEMU's device tree describes PCIe, 32 virtio-mmio slots, flash, an RTC and GPIO keys,",
        "which the kernel probes, while the VM Tessera describes has only the GIC, timer, PL011",
        "and PSCI. The ratio bounds Tessera's overhead on this boot; it is not a claim that",
        "Tessera makes Linux faster.",
        "",
        LINUX_NOTE,
        "",
    ]
    if svg_written:
        out += ["![Tessera exits by class during the Linux boot](benchmarks-exits.svg)", ""]
    vm_line = "n/a"
    if sz.get("sizeof_vm"):
        vm_line = (f"`struct vm` {sz['sizeof_vm']:,} bytes, of which {sz['vm_max_vcpus']} × "
                   f"`struct vcpu` {sz['sizeof_vcpu']:,} bytes")
    s2_line = ", ".join(f"{fmt_int(x['s2_kib'] * 1024)} bytes ({x['ram_mib']} MiB VM)"
                        for x in sz.get("stage2", [])) or "not in the boot logs of this run"
    out += [
        "## Size",
        "",
        "| what | bytes |",
        "|---|---|",
        f"| text | {fmt_int(sz.get('text'))} |",
        f"| data | {fmt_int(sz.get('data'))} |",
        f"| bss | {fmt_int(sz.get('bss'))} |",
        f"| text + data | {fmt_int(sz.get('text_data'))} |",
        f"| static RAM (text + data + bss) | {fmt_int(sz.get('static_ram'))} |",
        f"| per VM | {vm_line}; stage-2 tables {s2_line} |",
        "",
        "From `aarch64-linux-gnu-size` on `tessera.elf`. Largest static objects: " +
        ", ".join(f"`{s['symbol']}` {s['bytes']:,}" for s in sz.get("largest_static", [])) + ".",
        "Per VM counts the VM's structure (`bench/sizes.c` compiles `sizeof` with Tessera's own",
        "flags and headers); Tessera holds one statically, so it is inside the bss above. The",
        "stage-2 tables come from the page allocator when the VM is built, as Tessera's boot log",
        "reports them (`vm0: stage-2 tables ... KiB`): guest RAM is mapped with 2 MiB blocks, so",
        "they are the root and one 4 KiB table per GiB of RAM (a VM maps no device memory).",
        "",
        "## Targets",
        "",
        "| target | goal | measured | met | reference |",
        "|---|---|---|---|---|",
    ]
    for x in t:
        met = "n/a" if x["met"] is None else ("met" if x["met"] else "**missed**")
        out.append(f"| {x['what']} | {x['target']} | {x['shown']} | {met} | {x['reference']} |")
    out += ["", "## Xen 4.17 anchor", ""]
    if xen.get("status") == "ok":
        out += [f"Ran: Debian's `{xen.get('package', XEN_PKG)}`, unpacked under",
                "`build/deps/xen/` (never installed), dom0less: QEMU's own DTB for the machine",
                "with `/chosen` replaced by one domU (`build/bench/xen-run/dom0less.dts`) whose",
                "kernel is the benchmark guest built for Xen's guest memory map",
                "(`build/bench/xen/bench.bin`: GICD 0x03001000, GICR 0x03020000, SBSA UART",
                "0x22000000) and counting with the physical counter. Reset to the domU's first",
                f"instruction: {fmt_int(xen.get('boot'))} instructions ({BOOT_SMP} CPU, "
                f"{BOOT_MEM} MiB domU). The null hypercall is a function id Xen does not know,",
                "so its row is Xen's path for an unknown SMCCC call."]
        if xen.get("failures"):
            out.append(f"Guest checks that failed under Xen: {', '.join(xen['failures'])}.")
    else:
        out += [f"Not measured in this run: {xen.get('why')}.",
                "What was tried: Debian's `xen-hypervisor-4.17-arm64` unpacked under",
                "`build/deps/xen/`, dom0less with the benchmark guest as the domU's kernel",
                f"(`-icount shift={XEN_SHIFT},sleep=off`)."]
    out += ["", "## QEMU command lines", "",
            "Run from the repository root (`tools/qemu.sh` builds the Tessera and bare ones).", ""]
    for k in sorted(res["commands"]):
        out += [f"- `{k}`:", "", "  ```", f"  {res['commands'][k]}", "  ```", ""]
    if res["problems"]:
        out += ["## Problems in this run", ""] + [f"- {p}" for p in res["problems"]] + [""]
    path.write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")


# ------------------------------------------------------------------ main

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=str(ROOT / "build"))
    p.add_argument("--hyp", help="Tessera image (default BUILD/arm64-qemu-virt/tessera.bin)")
    p.add_argument("--elf", help="Tessera ELF (default BUILD/arm64-qemu-virt/tessera.elf)")
    p.add_argument("--kernel", help="guest kernel (default BUILD/deps/Image)")
    p.add_argument("--initrd", help="initramfs with /bench-init "
                   "(default BUILD/bench/initramfs-bench.cpio.gz)")
    p.add_argument("--sizes", help="bench/sizes.c compiled (default BUILD/bench/sizes.o)")
    p.add_argument("--runs", type=int, default=2, help="runs of each measurement (default 2)")
    p.add_argument("--no-xen", action="store_true", help="skip the Xen anchor")
    p.add_argument("--no-linux", action="store_true", help="skip the Linux boots")
    p.add_argument("--xen-timebox", type=float, default=300.0,
                   help="seconds for the whole Xen anchor, download included")
    p.add_argument("--docs", default=str(ROOT / "docs" / "benchmarks.md"))
    args = p.parse_args()
    build = Path(args.build).resolve()
    args.hyp = args.hyp or str(build / "arm64-qemu-virt" / "tessera.bin")
    args.elf = args.elf or str(build / "arm64-qemu-virt" / "tessera.elf")
    args.kernel = args.kernel or str(build / "deps" / "Image")
    args.initrd = args.initrd or str(build / "bench" / "initramfs-bench.cpio.gz")
    args.sizes = args.sizes or str(build / "bench" / "sizes.o")
    args.runs = max(1, args.runs)
    for f in (args.hyp, build / "bench" / "virt" / "bench.bin",
              build / "bench" / "switch" / "bench.bin") + (
            () if args.no_linux else (args.kernel, args.initrd)):
        if not Path(f).is_file():
            die(f"{f} missing (make bench builds it)")

    t0 = time.monotonic()
    b = Bench(args)

    print("bench: benchmark guest under Tessera and on bare QEMU", flush=True)
    guest_runs = b.guest_run("guest-tessera", GUEST_SMP, GUEST_MEM)
    small_runs = b.guest_run("guest-tessera-boot", BOOT_SMP, BOOT_MEM)
    bare_runs = b.guest_run("guest-bare", BOOT_SMP, BOOT_MEM, bare=True)
    switch_runs = b.guest_run("guest-tessera-switch", SWITCH_SMP, GUEST_MEM, variant="switch",
                              vcpus=SWITCH_VCPUS)
    linux_runs = {}
    if not args.no_linux:
        for smp in (1, 2):
            print(f"bench: Debian Linux to /init, {smp} vCPU, bare QEMU and Tessera", flush=True)
            linux_runs[smp] = (b.linux_run(smp, bare=True), b.linux_run(smp, bare=False))
    print("bench: Xen 4.17 anchor", flush=True)
    xen_runs = b.xen(guest_el1_per_op(guest_runs[0]))
    sizes = image_sizes(args.elf, args.sizes)

    def assemble(i):
        """The results of run i of every measurement."""
        raw = guest_runs[i]
        res = {"runs": args.runs, "icount": "shift=0,sleep=off", "cpu": CPU}
        g = {"raw": raw, "rows": derive_tessera(raw), "info": raw["info"],
             "iters": next((op["n"] for op in raw["ops"].values()), None),
             "switch_raw": switch_runs[i], "switch": derive_switch(switch_runs[i])}
        for key, r in (("boot", raw), ("boot_small", small_runs[i]), ("boot_bare", bare_runs[i])):
            g[key] = r["boot"]["cntpct"] * insns_per_tick(r["boot"]["cntfrq"], 0) \
                if r["boot"] else None
        res["guest"] = g
        res["linux"] = {}
        for smp, (lb_runs, lt_runs) in linux_runs.items():
            lb, lt = lb_runs[i], lt_runs[i]
            ent = {"bare": lb.get("insns_to_init"), "tessera": lt.get("insns_to_init"),
                   "bare_uptime": lb.get("uptime"), "tessera_uptime": lt.get("uptime"),
                   "exits": lt.get("exits", {})}
            tot = {c: sum(v.get(c, 0) for v in ent["exits"].values()) for c in EXIT_CLASSES}
            ent["exits_total"] = tot if ent["exits"] else {}
            ent["ratio"] = ent["tessera"] / ent["bare"] if ent["bare"] and ent["tessera"] else None
            res["linux"][f"{smp}cpu"] = ent
        res["xen"] = xen_runs[i]
        res["sizes"] = dict(sizes, stage2=stage2_sizes(
            [small_runs[i], raw] + [lt[i] for _, lt in linux_runs.values()][:1]))
        res["commands"] = b.commands
        res["problems"] = b.problems
        res["targets"] = targets(res)
        return res

    results = [assemble(i) for i in range(args.runs)]

    def rendered(res):
        """What must be identical between runs: the guest's table, the targets' verdicts."""
        return text_table(*table_lines(res)) + [switch_line(res)] + \
            [f"{x['what']} {x['met']}" for x in res["targets"]]
    first = rendered(results[0])
    differ = [i + 1 for i, r in enumerate(results[1:], 1) if rendered(r) != first]
    for i in differ:
        for a, c in zip(first, rendered(results[i - 1])):
            if a != c:
                print(f"bench: run 1 and run {i} differ:\n  {a}\n  {c}")
    res = results[0]
    res["deterministic"] = not differ
    res["differing_runs"] = differ
    # Raw spread across runs: what the table's rounding hides.
    res["spread"] = {}
    for key in res["guest"]["rows"]:
        vals = [r["guest"]["rows"].get(key, {}).get("el2") for r in results]
        res["spread"][f"{key} EL2/op"] = spread(vals)
    for part in ("el2", "send", "wfi_to_handler"):
        vals = [(r["guest"].get("switch") or {}).get(part) for r in results]
        res["spread"][f"switch {part}"] = spread(vals)
    for smp, (lb_runs, lt_runs) in linux_runs.items():
        res["spread"][f"bare {smp} vCPU insns to /init"] = spread(
            [r.get("insns_to_init") for r in lb_runs])
        res["spread"][f"Tessera {smp} vCPU insns to /init"] = spread(
            [r.get("insns_to_init") for r in lt_runs])
    res["linux_spread"] = {k.replace(" insns to /init", ""): v for k, v in res["spread"].items()
                           if k.endswith("to /init")}
    # Linux boots vary a little between runs (LINUX_NOTE): they must agree within a tolerance.
    rel_spread = 0.0
    for smp, (lb_runs, lt_runs) in linux_runs.items():
        for runs in (lb_runs, lt_runs):
            vals = [r.get("insns_to_init") for r in runs if r.get("insns_to_init")]
            if len(vals) > 1:
                rel_spread = max(rel_spread, (max(vals) - min(vals)) / min(vals))
    res["linux_max_relative_spread"] = rel_spread
    if rel_spread > LINUX_TOLERANCE:
        differ = sorted(set(differ) | {0})
        print(f"bench: Linux boots differ by {rel_spread:.3%} between runs "
              f"(tolerance {LINUX_TOLERANCE:.0%})")
    res["deterministic"] = not differ

    b.out.mkdir(parents=True, exist_ok=True)
    (b.out / "results.json").write_text(json.dumps(res, indent=1, sort_keys=True) + "\n")
    docs = Path(args.docs)
    svg = exits_svg(res, docs.parent / "benchmarks-exits.svg") if res["linux"] else False
    write_docs(res, docs, svg)

    print()
    print("\n".join(text_table(*table_lines(res))))
    print(switch_line(res))
    if res["linux"]:
        print()
        print("\n".join(text_table(*linux_lines(res))))
    sz = res["sizes"]
    print()
    print(f"image: text {fmt_int(sz.get('text'))}  data {fmt_int(sz.get('data'))}  "
          f"bss {fmt_int(sz.get('bss'))}  static RAM {fmt_int(sz.get('static_ram'))}  "
          f"struct vm {fmt_int(sz.get('sizeof_vm'))}  stage-2 tables " +
          (", ".join(f"{x['s2_kib']} KiB ({x['ram_mib']} MiB VM)" for x in sz.get("stage2", []))
           or "n/a"))
    print()
    for x in res["targets"]:
        met = "n/a" if x["met"] is None else ("met" if x["met"] else "MISSED")
        print(f"target {met:6} {x['what']}: {x['shown']} (goal {x['target']})")
    xen = res["xen"]
    print(f"xen: {xen['status']}" + (f": {xen.get('why')}" if xen.get("why") else ""))
    print(f"determinism: {args.runs} runs, tables " +
          ("identical" if not differ else f"DIFFER in run(s) {differ}") +
          "; raw spread: " + ", ".join(f"{k} {v:g}" for k, v in res["spread"].items() if v))
    for name, wall in b.walls.items():
        print(f"wall: {name} {wall:.1f} s")
    for prob in b.problems:
        print(f"problem: {prob}")
    print(f"bench: wrote {rel(b.out / 'results.json')} and {rel(docs)} "
          f"in {time.monotonic() - t0:.0f} s")
    return 1 if b.problems else 0


if __name__ == "__main__":
    sys.exit(main())
