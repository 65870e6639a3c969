/* Faults in user mode become signals: each child below does one thing a
 * program may not do and the parent prints how it ended.  Privileged
 * instructions end in SIGSEGV (#GP), as Linux reports them. */
#include <stdint.h>

#include "conform.h"

static void null_read(void)
{
	printf("%d\n", *(volatile int *)0);
}

static void null_write(void)
{
	*(volatile int *)0 = 1;
}

static void kernel_read(void)
{
	printf("%d\n", *(volatile int *)0xC0000000u);
}

static void kernel_write(void)
{
	*(volatile int *)0xC0100000u = 1;
}

static void top_read(void)
{
	printf("%d\n", *(volatile int *)0xFFFFF000u);
}

static void text_write(void)
{
	*(volatile uint8_t *)(uintptr_t)null_read = 0xC3;
}

static void jump_to_null(void)
{
	((void (*)(void))0)();
}

static void jump_to_kernel(void)
{
	((void (*)(void))0xC0100000u)();
}

static void ud2(void)
{
	__asm__ volatile("ud2");
}

/* In assembly: the compiler may turn a division it can see into
 * something that never divides. */
static void divide_by_zero(void)
{
	uint32_t q, r;
	__asm__ volatile("divl %4" : "=a"(q), "=d"(r) : "a"(1), "d"(0), "r"(0));
	printf("%u %u\n", q, r);
}

static void divide_overflow(void)
{
	int32_t q, r;
	__asm__ volatile("idivl %4" : "=a"(q), "=d"(r) : "a"(INT32_MIN), "d"(-1), "r"(-1));
	printf("%d %d\n", q, r);
}

static void cli(void)
{
	__asm__ volatile("cli");
}

static void hlt(void)
{
	__asm__ volatile("hlt");
}

static void out_port(void)
{
	__asm__ volatile("outb %%al, $0xf4" ::"a"(0x10));
}

static void in_port(void)
{
	uint8_t v;
	__asm__ volatile("inb $0x60, %0" : "=a"(v));
	printf("%d\n", v);
}

static void lgdt(void)
{
	static uint8_t desc[6];
	__asm__ volatile("lgdt %0" ::"m"(desc));
}

static void mov_cr3(void)
{
	__asm__ volatile("mov %%eax, %%cr3" ::"a"(0));
}

static void far_call_kernel(void)
{
	/* Selector 0x08 is a ring-0 code segment on Linux and Toyix alike. */
	static const struct {
		uint32_t off;
		uint16_t sel;
	} __attribute__((packed)) target = {0x00100000, 0x08};
	__asm__ volatile("lcall *%0" ::"m"(target));
}

static void bad_segment(void)
{
	__asm__ volatile("mov %0, %%ds" ::"r"(0x0fff));
}

static void int_kernel_vector(void)
{
	__asm__ volatile("int $0x0d"); /* a gate user mode may not call */
}

int main(void)
{
	conform_start("faults");
	in_child("read NULL", null_read);
	in_child("write NULL", null_write);
	in_child("read 0xC0000000", kernel_read);
	in_child("write 0xC0100000", kernel_write);
	in_child("read 0xFFFFF000", top_read);
	in_child("write own text", text_write);
	in_child("call NULL", jump_to_null);
	in_child("call 0xC0100000", jump_to_kernel);
	in_child("ud2", ud2);
	in_child("divide by zero", divide_by_zero);
	in_child("INT_MIN / -1", divide_overflow);
	in_child("cli", cli);
	in_child("hlt", hlt);
	in_child("out", out_port);
	in_child("in", in_port);
	in_child("lgdt", lgdt);
	in_child("mov to cr3", mov_cr3);
	in_child("far call to a kernel segment", far_call_kernel);
	in_child("load a bad segment selector", bad_segment);
	in_child("int $0x0d", int_kernel_vector);
	printf("the parent is still running\n");
	return conform_end();
}
