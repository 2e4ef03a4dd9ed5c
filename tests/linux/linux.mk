# SPDX-License-Identifier: Apache-2.0
# Included by the top-level Makefile: dependencies, the demo initramfs, `make run`, the Linux
# test tier and `make test` (docs/testing.md). Uses BUILD, IMAGE, SMP, MEM and CPU from there.

LINUX_DEPS_DIR := $(BUILD)/deps
LINUX_KERNEL := $(LINUX_DEPS_DIR)/Image
LINUX_BUSYBOX := $(LINUX_DEPS_DIR)/busybox
LINUX_INITRD := $(BUILD)/initramfs.cpio.gz
LINUX_ROOTFS := $(shell find tests/linux/rootfs -type f 2>/dev/null)

# `make run` settings (README "Booting your own guest"). INITRD= (empty) boots without one.
KERNEL ?= $(LINUX_KERNEL)
INITRD ?= $(LINUX_INITRD)
CMDLINE ?= console=ttyAMA0 earlycon=pl011,0x9000000

# Extra arguments for tests/linux/test_linux.py, e.g. LINUX_TEST_ARGS=--bare (no hypervisor).
LINUX_TEST_ARGS ?=
LINUX_NEED_IMAGE := $(if $(filter --bare,$(LINUX_TEST_ARGS)),,$(IMAGE))

# Host tools and the guest kernel and busybox (tools/deps.sh: quiet and quick when all is there).
deps:
	@BUILD=$(BUILD) tools/deps.sh

$(LINUX_KERNEL) $(LINUX_BUSYBOX): | deps
	@test -s $@ || { echo "$@ missing after tools/deps.sh" >&2; exit 1; }

$(LINUX_INITRD): tools/mkinitramfs.sh $(LINUX_ROOTFS) $(LINUX_BUSYBOX)
	BUILD=$(BUILD) tools/mkinitramfs.sh $@

initramfs: $(LINUX_INITRD)

# deps first (it may install the cross compiler), then the hypervisor and the initramfs.
run: deps
	@$(MAKE) --no-print-directory $(IMAGE) $(LINUX_INITRD)
	@echo "run: QEMU's console: Ctrl-A X quits QEMU; 'poweroff' in the guest ends the demo."
	BUILD=$(BUILD) tools/qemu.sh --hyp $(IMAGE) --kernel '$(KERNEL)' $(if $(INITRD),--initrd '$(INITRD)') \
		--cmdline '$(CMDLINE)' --smp $(SMP) --mem $(MEM) --cpu '$(CPU)'

test-linux: deps
	@$(MAKE) --no-print-directory $(LINUX_NEED_IMAGE) $(LINUX_INITRD)
	python3 tests/linux/test_linux.py --kernel $(LINUX_KERNEL) --initrd $(LINUX_INITRD) \
		--hyp $(IMAGE) --log-dir $(BUILD)/test-logs $(LINUX_TEST_ARGS)

# Every tier in turn (unit, guest, linux); ends with the line `N passed, N failed`.
test: deps
	@BUILD=$(BUILD) MAKE='$(MAKE)' tools/run-tests.sh

.PHONY: deps initramfs run test-linux test
