# SPDX-License-Identifier: Apache-2.0
# Bare-metal test guests (tier 2, docs/testing.md): the runtime in guest/ plus one program per
# trap path in tests/guest/*.c, each linked to build/guests/<name>.bin. Included by the Makefile.
#   make guests           build every guest
#   make test-guest       run them under Tessera ($(IMAGE)) and judge the results
#   make test-guest-bare  run them on QEMU without Tessera (to develop guests)

GUEST_CC := $(CROSS)gcc
GUEST_LD := $(CROSS)ld
GUEST_OBJCOPY := $(CROSS)objcopy
GUEST_OUT := $(BUILD)/guests
GUEST_CFLAGS := -std=c11 $(WARN) -Wconversion -Wsign-conversion -O2 -g -ffreestanding -nostdlib \
	-nostdinc -isystem $(shell $(GUEST_CC) -print-file-name=include) -fno-builtin -fno-common \
	-mgeneral-regs-only -mno-outline-atomics -mstrict-align -fno-stack-protector -fno-pic \
	-fno-pie -mcmodel=small -MMD -MP -Iinclude -Iguest/include
GUEST_ASFLAGS := $(GUEST_CFLAGS) -D__ASSEMBLY__
GUEST_LDS := guest/guest.ld
GUEST_TIMEOUT ?= 60

GUEST_RT_SRCS := $(wildcard guest/*.c guest/*.S)
GUEST_RT_OBJS := $(patsubst guest/%,$(GUEST_OUT)/rt/%.o,$(GUEST_RT_SRCS))
GUEST_NAMES := $(basename $(notdir $(wildcard tests/guest/*.c)))
GUEST_BINS := $(GUEST_NAMES:%=$(GUEST_OUT)/%.bin)

guests: $(GUEST_BINS)

$(GUEST_OUT)/rt/%.c.o: guest/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/rt/%.S.o: guest/%.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(GUEST_CC) $(GUEST_ASFLAGS) -c $< -o $@

$(GUEST_OUT)/t/%.o: tests/guest/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/t/%.o $(GUEST_RT_OBJS) $(GUEST_LDS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(GUEST_LD) -nostdlib -static --no-warn-rwx-segments -T $(GUEST_LDS) \
		-Map $(GUEST_OUT)/$*.map $(GUEST_OUT)/t/$*.o $(GUEST_RT_OBJS) -o $@

$(GUEST_OUT)/%.bin: $(GUEST_OUT)/%.elf
	$(Q)$(GUEST_OBJCOPY) -O binary $< $@

# Every guest with one vCPU per physical CPU, then the multi-vCPU ones with both vCPUs
# time-sharing a single physical CPU (scheduler, CNTHP slices, switched-out timers).
GUEST_SHARED := psci ipi timer reset hypercall

test-guest: guests $(IMAGE)
	@python3 tests/guest/run.py --image $(IMAGE) --guest-dir $(GUEST_OUT) \
		--timeout $(GUEST_TIMEOUT); r1=$$?; \
	python3 tests/guest/run.py --image $(IMAGE) --guest-dir $(GUEST_OUT) \
		--timeout $(GUEST_TIMEOUT) --pcpus 1 --prefix guest-1cpu $(GUEST_SHARED); r2=$$?; \
	python3 tests/system/config_errors.py; r3=$$?; \
	test $$r1 -eq 0 -a $$r2 -eq 0 -a $$r3 -eq 0

test-guest-bare: guests
	python3 tests/guest/run.py --bare --guest-dir $(GUEST_OUT) --timeout $(GUEST_TIMEOUT)

# Keep objects and ELFs (symbols to debug a failed guest) that make would treat as intermediate.
.SECONDARY: $(GUEST_RT_OBJS) $(GUEST_NAMES:%=$(GUEST_OUT)/t/%.o) $(GUEST_NAMES:%=$(GUEST_OUT)/%.elf)
-include $(GUEST_RT_OBJS:.o=.d) $(GUEST_NAMES:%=$(GUEST_OUT)/t/%.d)

.PHONY: guests test-guest test-guest-bare
