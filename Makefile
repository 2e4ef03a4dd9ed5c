# SPDX-License-Identifier: Apache-2.0
# Tessera build. `make run` boots the demo, `make test` runs every test tier (docs/testing.md).

CROSS ?= aarch64-linux-gnu-
BUILD ?= build
PLATFORM ?= qemu-virt
TGT := $(BUILD)/arm64-$(PLATFORM)
HOSTB := $(BUILD)/host

# Guest and machine settings for `make run` (README "Booting your own guest").
SMP ?= 2
MEM ?= 512
CPU ?= max,pauth=off

WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wvla \
	-Wimplicit-fallthrough -Wcast-qual -Wswitch-default -Wpointer-arith -Wundef
INCS := -Iinclude -I.
# `make V=1` shows full command lines.
Q := $(if $(V),,@)

# ---------------------------------------------------------------- target (EL2 image)
TCC := $(CROSS)gcc
TLD := $(CROSS)ld
TOBJCOPY := $(CROSS)objcopy
# EL2 C code keeps x9-x15 and x18 across calls, as it keeps x19-x29 (AAPCS64 §6.1.1 leaves
# them to the caller): a light exit then saves only x0-x8, x16, x17 and x30 of the guest's
# registers around C (arch/arm64/hyp/entry.S). Everything at EL2 is built so; nothing links
# libgcc, whose code follows the standard convention.
EL2_ABI := $(foreach r,9 10 11 12 13 14 15 18,-fcall-saved-x$(r))
TCFLAGS := -std=c11 $(WARN) -O2 -g -fomit-frame-pointer -ffreestanding -fno-common -fno-builtin -nostdinc \
	-isystem $(shell $(TCC) -print-file-name=include) -mgeneral-regs-only -mno-outline-atomics \
	-mstrict-align -fno-stack-protector -fno-pic -fno-pie -mcmodel=small -MMD -MP \
	$(INCS) -Iarch/arm64/include -Iplatform/$(PLATFORM) $(EL2_ABI)
TASFLAGS := $(TCFLAGS) -D__ASSEMBLY__

TGT_SRCS := $(wildcard core/*.c core/*/*.c vdev/*/*.c vdev/*/*/*.c arch/arm64/*.c arch/arm64/*/*.c drivers/*/*.c \
	platform/$(PLATFORM)/*.c) $(wildcard arch/arm64/*.S arch/arm64/*/*.S)
TGT_OBJS := $(patsubst %,$(TGT)/%.o,$(basename $(TGT_SRCS)))
IMAGE := $(TGT)/tessera.bin
ELF := $(TGT)/tessera.elf

all: $(IMAGE)

# Flags live here: a change to them rebuilds every object.
$(TGT_OBJS): Makefile

$(TGT)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(TCC) $(TCFLAGS) -c $< -o $@

$(TGT)/%.o: %.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(TCC) $(TASFLAGS) -c $< -o $@

$(ELF): $(TGT_OBJS) arch/arm64/tessera.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(TLD) -nostdlib -static -T arch/arm64/tessera.ld -Map $(TGT)/tessera.map $(TGT_OBJS) \
		-o $@

$(IMAGE): $(ELF)
	$(Q)$(TOBJCOPY) -O binary $< $@

# ---------------------------------------------------------------- host (unit tests)
HCC ?= cc
HCFLAGS := -std=c11 $(WARN) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -MMD -MP $(INCS) -Iarch/host/include -D_DEFAULT_SOURCE
# Portable code that cannot run on the host: the freestanding libc and the boot-time glue.
HOST_EXCLUDE := core/lib/string.c core/lib/log.c core/lib/panic.c core/init.c core/irq.c \
	core/console.c $(wildcard core/sched/*.c core/hcall/*.c) core/vm/vm.c core/vm/vm_load.c \
	core/vm/vm_mmio.c core/vm/psci_glue.c
HOST_SRCS := $(filter-out $(HOST_EXCLUDE),$(wildcard core/*.c core/*/*.c vdev/*/*.c \
	vdev/*/*/*.c)) $(wildcard arch/host/*.c tests/unit/*.c)
HOST_OBJS := $(patsubst %.c,$(HOSTB)/%.o,$(HOST_SRCS))
UNIT := $(HOSTB)/unit-tests

$(HOSTB)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HCC) $(HCFLAGS) -c $< -o $@

$(UNIT): $(HOST_OBJS)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HCC) $(HCFLAGS) $^ -o $@

unit: $(UNIT)
	$(UNIT)

-include $(TGT_OBJS:.o=.d) $(HOST_OBJS:.o=.d)
-include tests/guest/guest.mk tests/linux/linux.mk bench/bench.mk
-include tests/fuzz/fuzz.mk

# Static checks: formatting, include rules, SPDX lines, no panic in device models.
check:
	@tools/ci/check.sh

# Rewrite every C file as .clang-format wants it.
format:
	clang-format-16 -i $$(git ls-files '*.c' '*.h')

.PHONY: all unit check format clean
clean:
	rm -rf $(BUILD)
