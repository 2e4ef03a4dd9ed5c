/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A virtual machine: its configuration, memory, devices and vCPUs. The guest-physical memory
 * map mirrors QEMU virt so unmodified guests find their devices where they expect them.
 */
#ifndef HYP_VM_H
#define HYP_VM_H

#include "hyp/spinlock.h"
#include "hyp/stage2.h"
#include "hyp/types.h"
#include "hyp/vcpu.h"
#include "hyp/vdev.h"
#include "hyp/vm_config.h"

#include "vdev/irqchip/vgic3/vgic3.h"
#include "vdev/uart/pl011.h"

#define VM_MAX_VCPUS VM_CONFIG_MAX_VCPUS

/* Guest-physical memory map (docs/architecture.md "Memory map"). */
#define GUEST_GICD_BASE 0x08000000ULL
#define GUEST_GICR_BASE 0x080A0000ULL
#define GUEST_UART_BASE 0x09000000ULL
#define GUEST_UART_SPI 1
#define GUEST_RAM_BASE 0x40000000ULL
#define GUEST_RAW_LOAD_OFFSET 0x80000ULL /* where a kernel without an Image header goes */
#define GUEST_NR_SPIS 64
#define GUEST_VTIMER_INTID 27 /* PPI 11 in the guest DT's timer node */

enum vm_state { VM_RUNNING, VM_RESETTING, VM_STOPPED };

struct vm {
	struct spinlock lock;
	unsigned id;
	enum vm_state state;
	unsigned reset_count;
	struct vm_config cfg;
	uint64_t ram_hpa;
	struct stage2 s2;
	struct mmio_bus bus;
	struct vgic vgic;
	struct pl011 uart;
	unsigned nr_vcpus;
	struct vcpu vcpu[VM_MAX_VCPUS];
};

/** Build VM id from cfg: memory, stage 2, devices, vCPUs; load the images; vCPU 0 runnable. */
int __must_check vm_create(struct vm *vm, unsigned id, const struct vm_config *cfg);
/** Reload the images and restart from vCPU 0 (PSCI SYSTEM_RESET). Caller holds no locks. */
void vm_reset(struct vm *vm, struct vcpu *caller);
/** Stop every vCPU for good (PSCI SYSTEM_OFF). */
void vm_stop(struct vm *vm, struct vcpu *caller);
/** The vCPU whose MPIDR affinity is mpidr, or NULL. */
struct vcpu *vm_vcpu_by_mpidr(struct vm *vm, uint64_t mpidr);
/** Guest IPA range [ipa, ipa+size) lies in RAM? */
bool vm_ipa_is_ram(const struct vm *vm, uint64_t ipa, uint64_t size);
/** Write loaded images, guest DTB and zeroed RAM; vCPU 0 at the kernel entry (vm_load.c). */
int __must_check vm_load_images(struct vm *vm);
/** The VM's console output, one byte (its PL011 or the console hypercall). */
void vm_console_output(struct vm *vm, uint8_t byte);
/** Move received console bytes into the VM's UART while it has room. */
void vm_console_input(struct vm *vm);

#endif
