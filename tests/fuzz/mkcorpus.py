#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Regenerates the committed seed corpora under tests/fuzz/corpus/<target>/ (needs dtc).

Each seed is a short, valid input that steers a target deep into its code; the encodings
follow the operation decoders of tests/fuzz/fuzz_<target>.c. Run from the repository root.
"""
import os
import shutil
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def u8(v):
    return struct.pack("<B", v)


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def u64(v):
    return struct.pack("<Q", v)


def write(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- fdt
MINIMAL_DTS = """/dts-v1/;
/ {
	#address-cells = <2>; #size-cells = <2>;
	memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x10000000>; };
	cpus { #address-cells = <1>; #size-cells = <0>;
		cpu@0 { device_type = "cpu"; reg = <0>; };
		cpu@1 { device_type = "cpu"; reg = <1>; status = "disabled"; }; };
	intc@8000000 { compatible = "arm,gic-v3"; reg = <0 0x8000000 0 0x10000 0 0x80a0000 0 0xf60000>; };
	pl011@9000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0 0x9000000 0 0x1000>;
		interrupts = <0 1 4>; };
	timer { compatible = "arm,armv8-timer"; interrupts = <1 13 4 1 14 4 1 11 4 1 10 4>; };
};
"""

MODULES_DTS = """/dts-v1/;
/ {
	#address-cells = <1>; #size-cells = <1>;
	aliases { serial0 = "/uart@9000000"; };
	memory@40000000 { device_type = "memory"; reg = <0x40000000 0x8000000 0x50000000 0>; };
	cpus { #address-cells = <2>; #size-cells = <0>;
		cpu@100 { device_type = "cpu"; reg = <0 0x100>; }; };
	psci { compatible = "arm,psci-0.2"; method = "hvc"; };
	gic { compatible = "arm,gic-v3"; reg = <0x8000000 0x10000 0x80a0000 0x20000>; };
	uart@9000000 { compatible = "arm,pl011"; reg = <0x9000000 0x1000>; interrupts = <0 5 4>; };
	uart@9001000 { compatible = "arm,pl011"; reg = <0x9001000 0x1000>; status = "okay"; };
	timer { compatible = "arm,armv8-timer"; interrupts = <1 13 4 1 14 4 1 11 4 1 10 4>; };
	chosen { stdout-path = "serial0:115200n8"; bootargs = "loglevel=8";
		module@48000000 { compatible = "multiboot,kernel", "multiboot,module";
			reg = <0x48000000 0x100000>; bootargs = "console=ttyAMA0"; };
		module@49000000 { compatible = "multiboot,ramdisk", "multiboot,module";
			reg = <0x49000000 0x1000>; }; };
};
"""


def dtc(source):
    return subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-q", "-"], input=source.encode(),
                          stdout=subprocess.PIPE, check=True).stdout


def fdt_seeds():
    shutil.copy(os.path.join(ROOT, "tests", "unit", "data", "qemu-virt-2cpu-modules.dtb"),
                os.path.join(CORPUS, "fdt", "qemu-virt-2cpu-modules.dtb"))
    write("fdt", "minimal.dtb", dtc(MINIMAL_DTS))
    write("fdt", "modules-aliases.dtb", dtc(MODULES_DTS))


# ---------------------------------------------------------------- vgic_mmio
# Header: vCPUs, SPIs, then LRs in the low nibble and the direct_ok vCPUs in the high one.
# Ops: 0/1 dist read/write, 2/3 redist read/write, 4 inject, 5 set_level, 6 sgi1r, 7 map_hw,
# 8 hw_live, 9/10 flush, 11/12 sync, 13 has_pending, 14 reset, 15 take a post, 16 timer,
# 17 light exit. Each op byte is followed by the vCPU byte, the any-vCPU byte, then the op's
# own fields. A sync reads a guest mode per LR (none for an empty direct slot), then one more.
W4 = 2  # index of width 4 in fuzz_width()


def vg_write(dist, off, value, vcpu=0):
    return u8(1 if dist else 3) + u8(vcpu) + u8(0) + u8(W4) + u8(2) + u32(off) + u64(value)


def vg_flush(v):
    return u8(9) + u8(v) + u8(0)


def vg_sync(v, modes, last=0):
    return u8(11) + u8(v) + u8(0) + b"".join(u8(m) for m in modes) + u8(last)


def vg_sgi1r(sender, intid, targets, then=b""):
    """ICC_SGI1R_EL1 from sender; then: the full exit's bytes when the post is refused."""
    return u8(6) + u8(0) + u8(sender) + u16(0) + u64((intid << 24) | targets) + then


def vg_op(op, v, *fields):
    return u8(op) + u8(v) + u8(0) + b"".join(fields)


def vgic_seeds():
    spi = (u8(0) + u8(1) + u8(3) + vg_write(True, 0x0, 3) + vg_write(True, 0x84, 1 << 8) +
           vg_write(True, 0x104, 1 << 8) + vg_write(True, 0x204, 1 << 8) +
           vg_write(True, 0x6000 + 8 * 40, 1) + vg_flush(0) + vg_flush(1) +
           vg_sync(1, [2]) + vg_flush(1) + vg_sync(1, [0]))
    write("vgic_mmio", "spi-route-flush-sync", spi)
    sgi = (u8(1) + u8(0) + u8(1) + vg_write(False, 0x30080, 0xFFFF, 1) +
           vg_write(False, 0x30100, 0x2, 1) + u8(6) + u8(0) + u8(0) + u16(0) +
           u64((1 << 24) | 0x2) +
           vg_flush(1) + vg_sync(1, [1, 2]) + vg_flush(1))
    write("vgic_mmio", "sgi-to-vcpu1", sgi)
    ppi = (u8(2) + u8(2) + u8(0) + u8(7) + u8(0) + u8(0) + u16(27) + u16(27) +
           vg_write(False, 0x10100, 1 << 27) + u8(5) + u8(0) + u8(0) + u16(27) + u8(1) +
           vg_flush(0) + vg_sync(0, [1, 3]) + u8(13) + u8(0) + u8(0) +
           u32(0xFF000003) + u8(14) + u8(0) + u8(0) + u8(0))
    write("vgic_mmio", "hw-ppi-level", ppi)
    # vCPU 1 runs a direct slot (4 LRs): SGI 3 posted by vCPU 0, taken into the slot, posted
    # again while the slot holds it, taken into a busy slot (a full exit folds both), listed,
    # completed; then a post that a light exit's close folds and the next flush lists.
    enable_sgi3 = vg_write(False, 0x30080, 0xFFFF, 1) + vg_write(False, 0x30100, 1 << 3, 1)
    post = (u8(0) + u8(0) + u8(0x23) + enable_sgi3 + vg_flush(1) +
            vg_sgi1r(0, 3, 0x2) + vg_op(15, 1) + vg_sgi1r(0, 3, 0x2) + vg_op(15, 1, u8(0), u8(0)) +
            vg_flush(1) + vg_sync(1, [2]) + vg_flush(1) + vg_sgi1r(0, 3, 0x2) +
            vg_op(17, 1, u8(0)))
    write("vgic_mmio", "sgi-post-take-light", post)
    # vCPU 1 sends SGI 3 to itself on the full path (straight into LR1, its flush hint clear),
    # then vCPU 0 sends it too: listed, it must not be posted.
    self_then_post = (u8(0) + u8(0) + u8(0x23) + enable_sgi3 + vg_flush(1) +
                      vg_sgi1r(1, 3, 0x2, u8(1) + u8(0)) + vg_flush(1) + vg_sgi1r(0, 3, 0x2))
    write("vgic_mmio", "sgi-self-then-post", self_then_post)
    # vCPU 0 runs a direct slot with the timer PPI 27 forwarded: claimed, then fired again with
    # the slot busy (a full exit injects it), completed, and a light exit that resumes.
    timer = (u8(0) + u8(0) + u8(0x13) + vg_op(7, 0, u16(27), u16(27)) +
             vg_write(False, 0x10080, 1 << 27) + vg_write(False, 0x10100, 1 << 27) +
             vg_flush(0) + vg_op(16, 0) + vg_op(16, 0, u8(2), u8(0)) + vg_flush(0) +
             vg_sync(0, [2]) + vg_flush(0) + vg_op(17, 0, u8(8)))
    write("vgic_mmio", "timer-claim", timer)


# ---------------------------------------------------------------- pl011
# Ops: 0/1 read, 2/3 write, 4 rx push, 5 reset. Accesses: width, offset selector, value.
def pl_write(reg, value):
    return u8(2) + u8(W4) + u8(0) + u8(reg // 4) + u32(value)


def pl_read(reg):
    high = 2 if reg >= 0xF00 else 0  # the selector's bit 1 adds 0xF00
    return u8(0) + u8(W4) + u8(high) + u8((reg - 0xF00 * (high // 2)) // 4) + u32(0)


def pl011_seeds():
    linux = (pl_write(0x2C, 0x70) + pl_write(0x30, 0x301) + pl_write(0x38, 0x50) +
             b"".join(u8(4) + u8(c) for c in b"hello, tessera") + pl_read(0x40) +
             pl_read(0x00) * 4 + pl_read(0x18) + pl_write(0x44, 0x7FF) + pl_read(0x3C))
    write("pl011", "linux-init-rx", linux)
    loop = (pl_write(0x30, 0x381) + pl_write(0x38, 0x470) +
            b"".join(pl_write(0x00, c) for c in b"0123456789") + pl_read(0x04) +
            pl_write(0x04, 0) + u8(5) + u8(0) + pl_read(0xFE0))
    write("pl011", "loopback-overrun", loop)


# ---------------------------------------------------------------- smccc
FIDS = [0x80000000, 0x80000001, 0x84000000, 0x84000001, 0x84000002, 0x84000003, 0x84000004,
        0x84000006, 0x84000008, 0x84000009, 0x8400000A, 0xC4000001, 0xC4000003, 0xC4000004,
        0xC6000000, 0x86000001]


def smc_call(fid, args, answers=b""):
    regs = b"".join(u8(1) + u64(a) for a in args) + b"".join(u8(0) + u8(0)
                                                             for _ in range(7 - len(args)))
    return u8(1 | (FIDS.index(fid) << 1)) + regs + answers


def smccc_seeds():
    boot = (u8(0) + smc_call(0x84000000, []) + smc_call(0x8400000A, [0xC4000003]) +
            smc_call(0xC4000003, [1, 0x40080000, 0], u32(0)) +
            smc_call(0xC4000004, [1, 0], u32(1)) + smc_call(0x80000001, [0x80000000]))
    write("smccc", "linux-boot", boot)
    hyp = (u8(0) + smc_call(0xC6000000, [1, 2, 3], u64(0) + u64(5) + u64(6) + u64(7)) +
           smc_call(0x84000003, [0xFFFFFFFF00000001, 0x40080000, 7], u32(0xFFFFFFFC)) +
           smc_call(0x84000001, [0x10000, 0x40000000, 1], u32(0)))
    write("smccc", "hypercall-smc32", hyp)


# ---------------------------------------------------------------- mmio_bus
def bus_add(base, size, kind=2):
    return u8(0) + u8(kind) + u8(0) + u64(base) + u8(0) + u64(size)


def bus_access(region, edge, delta, write_, width_idx=2):
    return (u8(2) + u8(0x80 | (0x40 if edge else 0) | region) + u8(delta & 0xFF) + u64(0xAB) +
            u8(width_idx) + u8(1 if write_ else 0))


def mmio_bus_seeds():
    virt = (bus_add(0x08000000, 0x10000) + bus_add(0x080A0000, 0x40000) +
            bus_add(0x09000000, 0x1000, 3) + bus_add(0x08008000, 0x1000) +
            bus_access(0, False, 0, False) + bus_access(1, True, 0xFC, True) +
            bus_access(2, True, 0xFE, False, 3) + u8(1) + u8(0x81) + u8(0xFF))
    write("mmio_bus", "virt-layout", virt)
    edges = (bus_add(0xFFFFFFFFFFFFF000, 0x1000) + bus_add(0, 1) + bus_add(1, 0) +
             bus_add(0xFFFFFFFFFFFFF000, 0x2000) + bus_access(0, True, 0xF8, False, 3))
    write("mmio_bus", "edges", edges)


# ---------------------------------------------------------------- vm_config
def vm_config_seeds():
    write("vm_config", "demo", b"\x40\xC0vm.vcpus=2 vm.mem=512M console=ttyAMA0")
    write("vm_config", "minimum", b"\x10\x82vm.mem=16M vm.vcpus=1")
    write("vm_config", "bad-vcpus", b"\x7f\xffvm.vcpus=9")
    write("vm_config", "unknown-key", b"\x02\x00vm.foo=bar")
    write("vm_config", "spaces-giga", b"\x20\xFF  root=/dev/vda vm.mem=1G  vm.vcpus=8 vm.")


def main():
    for target in ("fdt", "vgic_mmio", "pl011", "smccc", "mmio_bus", "vm_config"):
        os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    fdt_seeds()
    vgic_seeds()
    pl011_seeds()
    smccc_seeds()
    mmio_bus_seeds()
    vm_config_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
