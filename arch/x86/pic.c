#include "arch/pic.h"

#include "arch/cpu.h"
#include "arch/trap.h"

#define PIC1_CMD       0x20
#define PIC1_DATA      0x21
#define PIC2_CMD       0xA0
#define PIC2_DATA      0xA1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086      0x01
#define OCW2_EOI       0x20
#define OCW3_READ_ISR  0x0B
#define CASCADE_IRQ    2

static unsigned spurious;

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4), io_wait();
	outb(PIC2_CMD, ICW1_INIT_ICW4), io_wait();
	outb(PIC1_DATA, TRAP_IRQ_BASE), io_wait(); /* ICW2: vector base */
	outb(PIC2_DATA, TRAP_IRQ_BASE + 8), io_wait();
	outb(PIC1_DATA, 1u << CASCADE_IRQ), io_wait(); /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, CASCADE_IRQ), io_wait();
	outb(PIC1_DATA, ICW4_8086), io_wait();
	outb(PIC2_DATA, ICW4_8086), io_wait();
	outb(PIC1_DATA, 0xFF);
	outb(PIC2_DATA, 0xFF);
}

void pic_unmask(unsigned irq)
{
	if (irq >= 8) {
		outb(PIC2_DATA, inb(PIC2_DATA) & ~(1u << (irq - 8)));
		irq = CASCADE_IRQ;
	}
	outb(PIC1_DATA, inb(PIC1_DATA) & ~(1u << irq));
}

void pic_mask(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_DATA, inb(PIC2_DATA) | (1u << (irq - 8)));
	else
		outb(PIC1_DATA, inb(PIC1_DATA) | (1u << irq));
}

uint16_t pic_get_mask(void)
{
	return (uint16_t)(inb(PIC1_DATA) | inb(PIC2_DATA) << 8);
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}

bool pic_is_spurious(unsigned irq)
{
	if (irq != 7 && irq != 15)
		return false;
	uint16_t cmd = irq == 7 ? PIC1_CMD : PIC2_CMD;
	outb(cmd, OCW3_READ_ISR);
	if (inb(cmd) & 0x80)
		return false;
	spurious++;
	/* A ghost on the slave still went through the master's cascade line. */
	if (irq == 15)
		outb(PIC1_CMD, OCW2_EOI);
	return true;
}

unsigned pic_spurious_count(void)
{
	return spurious;
}
