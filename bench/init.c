// SPDX-License-Identifier: Apache-2.0
/*
 * /bench-init: the init program of a benchmark boot (kernel command line rdinit=/bench-init).
 * Its first instruction reads CNTVCT_EL0, which neither bare QEMU nor Tessera offsets
 * (CNTVOFF_EL2 = 0): under -icount shift=0 that is the machine's instruction count from reset
 * to the first instruction of /init, divided by 16 (62.5 MHz counter, 1 GHz instruction clock).
 * It prints that and the kernel's own clock (/proc/uptime), then powers the machine off.
 * Static, no libc: Linux arm64 system calls through SVC #0.
 */
#include <stdint.h>

#define SYS_MOUNT 40
#define SYS_OPENAT 56
#define SYS_CLOSE 57
#define SYS_READ 63
#define SYS_WRITE 64
#define SYS_EXIT 93
#define SYS_REBOOT 142
#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_WRONLY 1
/* reboot(2): LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF. */
#define REBOOT_MAGIC1 0xfee1deadL
#define REBOOT_MAGIC2 672274793L
#define REBOOT_POWER_OFF 0x4321fedcL

void bench_init_main(uint64_t cntvct);

__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	mrs	x0, cntvct_el0\n" /* the first instruction of /init */
	"	b	bench_init_main\n");

static long sys6(long nr, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}

static unsigned long str_len(const char *s)
{
	unsigned long n = 0;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}

static char *put_str(char *p, const char *s)
{
	while (*s != '\0') {
		*p++ = *s++;
	}
	return p;
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0) {
		*p++ = tmp[--n];
	}
	return p;
}

static void say(const char *s)
{
	static long fd = 1;
	unsigned long len = str_len(s);

	if (sys6(SYS_WRITE, fd, (long)s, (long)len, 0, 0) < 0 && fd == 1) {
		/* No console on fd 1 (an initramfs without /dev/console): open it ourselves. */
		fd = sys6(SYS_OPENAT, AT_FDCWD, (long)"/dev/console", O_WRONLY, 0, 0);
		if (fd >= 0) {
			(void)sys6(SYS_WRITE, fd, (long)s, (long)len, 0, 0);
		}
	}
}

void bench_init_main(uint64_t cntvct)
{
	char line[160], uptime[64];
	char *p = line;
	uint64_t freq;
	long fd, n = 0;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	(void)sys6(SYS_MOUNT, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
	fd = sys6(SYS_OPENAT, AT_FDCWD, (long)"/proc/uptime", O_RDONLY, 0, 0);
	if (fd >= 0) {
		n = sys6(SYS_READ, fd, (long)uptime, sizeof(uptime) - 1, 0, 0);
		(void)sys6(SYS_CLOSE, fd, 0, 0, 0, 0);
	}
	uptime[n > 0 ? n : 0] = '\0';
	for (long i = 0; uptime[i] != '\0'; i++) {
		if (uptime[i] == ' ' || uptime[i] == '\n') {
			uptime[i] = '\0';
			break;
		}
	}
	p = put_str(p, "\n@bench-init cntvct=");
	p = put_u64(p, cntvct);
	p = put_str(p, " cntfrq=");
	p = put_u64(p, freq);
	p = put_str(p, " uptime=");
	p = put_str(p, uptime[0] != '\0' ? uptime : "na");
	p = put_str(p, "\n");
	*p = '\0';
	say(line);
	(void)sys6(SYS_REBOOT, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_POWER_OFF, 0, 0);
	for (;;) {
		(void)sys6(SYS_EXIT, 0, 0, 0, 0, 0);
	}
}
