// SPDX-License-Identifier: Apache-2.0
/*
 * Guest boot images: the Linux arm64 boot protocol (Linux Documentation/arch/arm64/booting.rst).
 * A kernel with an Image header goes to RAM base + text_offset and reserves image_size; a raw
 * binary goes to RAM base + 0x80000. The initrd and the generated DTB follow, 2 MiB aligned.
 * vCPU 0 starts at the kernel with x0 = the DTB's address. Runs at creation and at every reset,
 * from the pristine copies the boot loader left in host memory.
 */
#include "hyp/arch_api.h"
#include "hyp/errno.h"
#include "hyp/guest_fdt.h"
#include "hyp/log.h"
#include "hyp/string.h"
#include "hyp/vm.h"

#define IMAGE_MAGIC 0x644d5241U /* "ARM\x64" at offset 56 */
#define IMAGE_HDR_SIZE 64
#define DTB_MAX_SIZE 0x10000ULL

struct guest_layout {
	uint64_t kernel, kernel_end;
	uint64_t initrd;
	uint64_t dtb;
};

static uint64_t le_bytes(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--) {
		v = (v << 8) | p[n];
	}
	return v;
}

static void *ipa_to_hva(const struct vm *vm, uint64_t ipa)
{
	return (void *)(uintptr_t)(vm->ram_hpa + (ipa - GUEST_RAM_BASE));
}

static void place_kernel(const struct vm *vm, struct guest_layout *l)
{
	const uint8_t *img = (const uint8_t *)(uintptr_t)vm->cfg.kernel.hpa;
	uint64_t size = vm->cfg.kernel.size;

	if (size >= IMAGE_HDR_SIZE && le_bytes(img + 56, 4) == IMAGE_MAGIC) {
		uint64_t image_size = le_bytes(img + 16, 8);

		l->kernel = GUEST_RAM_BASE + le_bytes(img + 8, 8);
		l->kernel_end = l->kernel + MAX(image_size, size);
	} else {
		l->kernel = GUEST_RAM_BASE + GUEST_RAW_LOAD_OFFSET;
		l->kernel_end = l->kernel + size;
	}
	l->initrd = ALIGN_UP(l->kernel_end, SZ_2M);
	l->dtb = ALIGN_UP(l->initrd + vm->cfg.initrd.size, SZ_2M);
}

static void copy_in(struct vm *vm, uint64_t ipa, const struct vm_image *img)
{
	void *dst = ipa_to_hva(vm, ipa);

	memcpy(dst, (const void *)(uintptr_t)img->hpa, img->size);
	/* The guest starts with its MMU and caches off: the bytes must be in memory. */
	arch_dcache_clean_range(dst, img->size);
}

static int write_dtb(struct vm *vm, const struct guest_layout *l)
{
	struct guest_fdt_params p = {
	    .ram_base = GUEST_RAM_BASE,
	    .ram_size = vm->cfg.mem_size,
	    .nr_vcpus = vm->nr_vcpus,
	    .bootargs = vm->cfg.bootargs,
	    .initrd_start = vm->cfg.initrd.size ? l->initrd : 0,
	    .initrd_size = vm->cfg.initrd.size,
	    .gicd_base = GUEST_GICD_BASE,
	    .gicr_base = GUEST_GICR_BASE,
	    .uart_base = GUEST_UART_BASE,
	    .uart_spi = GUEST_UART_SPI,
	};
	void *dst = ipa_to_hva(vm, l->dtb);
	int size = guest_fdt_build(dst, DTB_MAX_SIZE, &p);

	if (size < 0) {
		return size;
	}
	arch_dcache_clean_range(dst, (size_t)size);
	return 0;
}

/*
 * A reboot must see nothing of the previous boot. At creation the RAM comes straight from the
 * boot-time pool, which no VM has used since the machine started, so it is left as it is; RAM
 * that a VM used is cleared before it is used again.
 */
static void scrub_ram(struct vm *vm)
{
	void *ram = ipa_to_hva(vm, GUEST_RAM_BASE);

	memset(ram, 0, vm->cfg.mem_size);
	arch_dcache_clean_range(ram, vm->cfg.mem_size); /* the guest starts with caches off */
}

int vm_load_images(struct vm *vm)
{
	struct guest_layout l;
	int ret;

	place_kernel(vm, &l);
	if (!vm_ipa_is_ram(vm, l.kernel, l.dtb + DTB_MAX_SIZE - l.kernel)) {
		log_error("vm%u: kernel, initrd and DTB need %llu MiB; vm.mem is %llu MiB\n",
			  vm->id,
			  (unsigned long long)((l.dtb + DTB_MAX_SIZE - GUEST_RAM_BASE) >> 20),
			  (unsigned long long)(vm->cfg.mem_size >> 20));
		return -E2BIG;
	}
	if (vm->reset_count) {
		scrub_ram(vm);
	}
	copy_in(vm, l.kernel, &vm->cfg.kernel);
	if (vm->cfg.initrd.size) {
		copy_in(vm, l.initrd, &vm->cfg.initrd);
	}
	ret = write_dtb(vm, &l);
	if (ret) {
		return ret;
	}
	arch_icache_invalidate_all();
	log_info("vm%u: kernel at %#llx, initrd at %#llx (%llu bytes), DTB at %#llx\n", vm->id,
		 (unsigned long long)l.kernel, (unsigned long long)l.initrd,
		 (unsigned long long)vm->cfg.initrd.size, (unsigned long long)l.dtb);
	arch_vcpu_reset(&vm->vcpu[0], l.kernel, l.dtb);
	vm->vcpu[0].state = VCPU_RUNNABLE;
	return 0;
}
