# SPDX-License-Identifier: Apache-2.0
# `make bench` (docs/benchmarks.md, bench/README.md): exact instruction and exit counts under
# QEMU -icount. Included by the top-level Makefile after tests/guest/guest.mk (its runtime objects
# and flags) and tests/linux/linux.mk (deps, the kernel and the initramfs).
#   make bench             build everything below and run tools/bench.py (table, JSON, docs)
#   make bench-guests      the benchmark guest, for Tessera/bare QEMU, for the vCPU switch and
#                          for a Xen domU
#   make bench-initramfs   the demo initramfs plus /bench-init

BENCH_OUT := $(BUILD)/bench
BENCH_SRCS := bench/bench.c bench/head.S bench/ops.S
BENCH_LDS := bench/bench.ld
# Extra arguments for tools/bench.py, e.g. BENCH_ARGS='--no-xen' or '--no-linux'.
BENCH_ARGS ?=
# Extra compiler flags for the benchmark guest, e.g. BENCH_CFLAGS=-DBENCH_ITERS=20U (profiling).
BENCH_CFLAGS ?=

# A Xen domU sees its devices elsewhere (Xen's public/arch-arm.h: GUEST_GICV3_GICD_BASE,
# GUEST_GICV3_GICR0_BASE, GUEST_PL011_BASE; its UART is an SBSA UART, without UARTCR); the guest
# is built a second time for that layout, and for Xen 4.17 keeping the PMU from it (clock only).
BENCH_XEN_DEFS := -DGICD_BASE=0x03001000UL -DGICR_BASE=0x03020000UL -DPL011_BASE=0x22000000UL \
	-DGUEST_UART_SBSA -DBENCH_CLOCK_ONLY

# $(1) = variant directory, $(2) = extra flags. Runtime and benchmark objects for one layout.
define bench_variant
$(BENCH_OUT)/$(1)/rt/%.c.o: guest/%.c
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  CC      $$< ($(1))")
	$$(Q)$$(GUEST_CC) $$(GUEST_CFLAGS) $$(BENCH_CFLAGS) $(2) -c $$< -o $$@

$(BENCH_OUT)/$(1)/rt/%.S.o: guest/%.S
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  AS      $$< ($(1))")
	$$(Q)$$(GUEST_CC) $$(GUEST_ASFLAGS) $$(BENCH_CFLAGS) $(2) -c $$< -o $$@

$(BENCH_OUT)/$(1)/b/%.c.o: bench/%.c
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  CC      $$< ($(1))")
	$$(Q)$$(GUEST_CC) $$(GUEST_CFLAGS) $$(BENCH_CFLAGS) $(2) -c $$< -o $$@

$(BENCH_OUT)/$(1)/b/%.S.o: bench/%.S
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  AS      $$< ($(1))")
	$$(Q)$$(GUEST_CC) $$(GUEST_ASFLAGS) $$(BENCH_CFLAGS) $(2) -c $$< -o $$@

BENCH_OBJS_$(1) := $$(patsubst guest/%,$(BENCH_OUT)/$(1)/rt/%.o,$$(GUEST_RT_SRCS)) \
	$$(patsubst bench/%,$(BENCH_OUT)/$(1)/b/%.o,$$(BENCH_SRCS))

$(BENCH_OUT)/$(1)/bench.elf: $$(BENCH_OBJS_$(1)) $$(BENCH_LDS)
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(GUEST_LD) -nostdlib -static --no-warn-rwx-segments -T $$(BENCH_LDS) \
		-Map $(BENCH_OUT)/$(1)/bench.map $$(BENCH_OBJS_$(1)) -o $$@

$(BENCH_OUT)/$(1)/bench.bin: $(BENCH_OUT)/$(1)/bench.elf
	$$(Q)$$(GUEST_OBJCOPY) -O binary $$< $$@

-include $$(BENCH_OBJS_$(1):.o=.d)
endef

# The vCPU switch is measured by a third build (-DBENCH_SWITCH) that does only that, run with
# two vCPUs on one physical CPU: its ping-pong needs the two to time-share, and the other
# operations' cross-vCPU waits would spin for whole scheduler slices there.
$(eval $(call bench_variant,virt,))
$(eval $(call bench_variant,switch,-DBENCH_SWITCH))
$(eval $(call bench_variant,xen,$(BENCH_XEN_DEFS)))

BENCH_GUESTS := $(BENCH_OUT)/virt/bench.bin $(BENCH_OUT)/switch/bench.bin \
	$(BENCH_OUT)/xen/bench.bin
bench-guests: $(BENCH_GUESTS)

# /bench-init (bench/init.c): a static arm64 program, no libc.
BENCH_INIT := $(BENCH_OUT)/bench-init
$(BENCH_INIT): bench/init.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(GUEST_CC) -std=c11 $(WARN) -O2 -ffreestanding -fno-builtin -nostdlib -static -fno-pie \
		-no-pie -fno-stack-protector -mgeneral-regs-only -Wl,--build-id=none -o $@ $<

# The demo initramfs with /bench-init appended as a second cpio member (the kernel unpacks
# concatenated archives in order), so Tessera and bare QEMU boot the very same file.
BENCH_INITRD := $(BENCH_OUT)/initramfs-bench.cpio.gz
$(BENCH_INITRD): $(LINUX_INITRD) $(BENCH_INIT)
	@rm -rf $(BENCH_OUT)/initramfs-extra
	@mkdir -p $(BENCH_OUT)/initramfs-extra
	@cp $(BENCH_INIT) $(BENCH_OUT)/initramfs-extra/bench-init
	@chmod 755 $(BENCH_OUT)/initramfs-extra/bench-init
	@touch -h -d @0 $(BENCH_OUT)/initramfs-extra/bench-init
	@$(if $(Q),echo "  CPIO    $@")
	$(Q)(cd $(BENCH_OUT)/initramfs-extra && echo bench-init | \
		cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9n >$(BENCH_OUT)/extra.cpio.gz
	$(Q)cat $(LINUX_INITRD) $(BENCH_OUT)/extra.cpio.gz >$@.tmp && mv $@.tmp $@

bench-initramfs: $(BENCH_INITRD)

# Tessera's per-VM structure sizes (bench/sizes.c), compiled with the hypervisor's flags.
BENCH_SIZES := $(BENCH_OUT)/sizes.o
$(BENCH_SIZES): bench/sizes.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(TCC) $(TCFLAGS) -c $< -o $@

-include $(BENCH_SIZES:.o=.d)

# deps first (as run/test-linux do: it may install the cross compiler), then the rest.
bench: deps
	@$(MAKE) --no-print-directory $(IMAGE) $(BENCH_GUESTS) $(BENCH_INITRD) $(BENCH_SIZES)
	python3 tools/bench.py --build $(BUILD) --hyp $(IMAGE) --elf $(ELF) \
		--kernel $(LINUX_KERNEL) --initrd $(BENCH_INITRD) --sizes $(BENCH_SIZES) $(BENCH_ARGS)

.SECONDARY: $(BENCH_OBJS_virt) $(BENCH_OBJS_switch) $(BENCH_OBJS_xen) \
	$(BENCH_OUT)/virt/bench.elf $(BENCH_OUT)/switch/bench.elf $(BENCH_OUT)/xen/bench.elf

.PHONY: bench bench-guests bench-initramfs
