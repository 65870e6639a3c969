/* COM1 at 115200 8N1.  Output polls the transmit-holding-register-empty bit,
 * so no character is dropped; input raises IRQ 4 and goes to the input queue,
 * and waits in the UART while that is full. */
#include "drivers/serial.h"

#include "arch/cpu.h"
#include "arch/trap.h"
#include "drivers/input.h"

#define COM1		    0x3F8
#define REG_DATA	    0
#define REG_IER		    1 /* interrupt enable; with DLAB: divisor high byte */
#define REG_FCR		    2
#define REG_LCR		    3
#define REG_MCR		    4
#define REG_LSR		    5
#define LSR_DATA_READY	    0x01
#define LSR_THR_EMPTY	    0x20
#define LCR_DLAB	    0x80
#define LCR_8N1		    0x03
#define IER_RX_AVAILABLE    0x01
#define MCR_DTR_RTS_OUT2    0x0B /* OUT2 gates the UART's IRQ line to the PIC */
#define FCR_ENABLE_CLEAR_14 0xC7
#define REG_IIR		    2	 /* read: interrupt identification */
#define IIR_FIFO_ENABLED    0xC0 /* both bits: a 16550A's working FIFO */
#define FIFO_DEPTH	    16
#define BAUD_DIVISOR_115200 1
#define SERIAL_IRQ	    4

/* Bytes the transmitter takes once it reports empty: the 16550A's FIFO, or
 * one byte on a UART without a working FIFO. */
static uint32_t fifo_depth = 1;

static void serial_init(void)
{
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, BAUD_DIVISOR_115200 & 0xFF);
	outb(COM1 + REG_IER, BAUD_DIVISOR_115200 >> 8);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, FCR_ENABLE_CLEAR_14);
	outb(COM1 + REG_MCR, MCR_DTR_RTS_OUT2);
	fifo_depth = (inb(COM1 + REG_IIR) & IIR_FIFO_ENABLED) == IIR_FIFO_ENABLED ? FIFO_DEPTH : 1;
}

static void serial_put_raw(char c)
{
	while ((inb(COM1 + REG_LSR) & LSR_THR_EMPTY) == 0)
		;
	outb(COM1 + REG_DATA, (uint8_t)c);
}

static void serial_putc(char c)
{
	if (c == '\n')
		serial_put_raw('\r');
	serial_put_raw(c);
}

static uint32_t wait_transmitter_empty(void)
{
	while ((inb(COM1 + REG_LSR) & LSR_THR_EMPTY) == 0)
		;
	return fifo_depth;
}

/* A string polls the UART once per FIFO's worth of bytes, not per byte. */
static void serial_write(const char *buf, uint32_t n)
{
	uint32_t room = 0;
	for (uint32_t i = 0; i < n; i++) {
		char c = buf[i];
		if (c == '\n') {
			if (!room)
				room = wait_transmitter_empty();
			outb(COM1 + REG_DATA, '\r');
			room--;
		}
		if (!room)
			room = wait_transmitter_empty();
		outb(COM1 + REG_DATA, (uint8_t)c);
		room--;
	}
}

void serial_emergency_write(const char *s)
{
	for (; *s; s++)
		serial_putc(*s);
}

/* While the input queue is full, received characters stay in the UART and
 * its interrupt is off: the sender is held back (QEMU stops reading its
 * side; a real line would need RTS), so a pasted script loses nothing. */
static void serial_irq(struct trap_frame *frame)
{
	(void)frame;
	while (inb(COM1 + REG_LSR) & LSR_DATA_READY) {
		if (!input_has_room()) {
			outb(COM1 + REG_IER, 0);
			return;
		}
		input_push(INPUT_SERIAL, (char)inb(COM1 + REG_DATA));
	}
}

static void serial_resume_input(void)
{
	outb(COM1 + REG_IER, IER_RX_AVAILABLE);
}

void serial_enable_input(void)
{
	trap_register_irq(SERIAL_IRQ, serial_irq);
	input_on_room(serial_resume_input);
	outb(COM1 + REG_IER, IER_RX_AVAILABLE);
}

const struct console_driver serial_console_driver = {
	.name = "serial",
	.init = serial_init,
	.putc = serial_putc,
	.write = serial_write,
};
