/* x86 instructions the rest of the kernel needs, as inline functions, so that
 * C never hides a privileged instruction in an unnamed asm block. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

/* For C functions called from assembly, which pushes their arguments: the
 * kernel is built with -mregparm=3 (see the Makefile). */
#define asmlinkage __attribute__((regparm(0)))

#define CR0_WP	  (1u << 16)
#define CR0_PG	  (1u << 31)
#define CR4_PGE	  (1u << 7)
#define EFLAGS_TF (1u << 8)
#define EFLAGS_IF (1u << 9)
#define EFLAGS_DF (1u << 10)

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;
	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

/* A write to an unused port: roughly 1 us of delay for slow ISA devices. */
static inline void io_wait(void)
{
	outb(0x80, 0);
}

#define DEFINE_CR_ACCESSORS(n)                                                                     \
	static inline uint32_t read_cr##n(void)                                                    \
	{                                                                                          \
		uint32_t v;                                                                        \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                  \
		return v;                                                                          \
	}                                                                                          \
	static inline void write_cr##n(uint32_t v)                                                 \
	{                                                                                          \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");                         \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline void invlpg(uintptr_t virt)
{
	__asm__ volatile("invlpg (%0)" : : "r"(virt) : "memory");
}

/* Drops every non-global TLB entry. */
static inline void reload_cr3(void)
{
	write_cr3(read_cr3());
}

static inline uint32_t read_eflags(void)
{
	uint32_t v;
	__asm__ volatile("pushfl; popl %0" : "=r"(v));
	return v;
}

static inline bool interrupts_enabled(void)
{
	return (read_eflags() & EFLAGS_IF) != 0;
}

static inline void interrupts_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void interrupts_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/* Disables interrupts and returns whether they were on, for irq_restore(). */
static inline bool irq_save(void)
{
	bool was_on = interrupts_enabled();
	interrupts_disable();
	return was_on;
}

static inline void irq_restore(bool was_on)
{
	if (was_on)
		interrupts_enable();
}

static inline void cpu_halt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/* `sti; hlt` is atomic: the interrupt shadow of sti covers hlt, so a wake-up
 * that arrives between the check and the halt is not lost. */
static inline void cpu_enable_and_halt(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline __attribute__((noreturn)) void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
