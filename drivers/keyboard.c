#include "drivers/keyboard.h"

#include <stdbool.h>

#include "arch/cpu.h"
#include "arch/trap.h"
#include "drivers/input.h"

#define KBD_DATA    0x60
#define KBD_IRQ	    1
#define SC_RELEASE  0x80
#define SC_EXTENDED 0xE0
#define SC_LSHIFT   0x2A
#define SC_RSHIFT   0x36
#define SC_CAPSLOCK 0x3A

/* Scancode set 1 make codes 0x00-0x39, unshifted and shifted. */
static const char plain[0x3A] = {
	0,    27,  '1', '2', '3', '4', '5', '6', '7', '8', '9',	 '0', '-', '=',	 '\b',
	'\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',	 '[', ']', '\n', 0,
	'a',  's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',
	'x',  'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,   '*',	 0,   ' ',
};
static const char shifted[0x3A] = {
	0,    27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',	'\b',
	'\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0,
	'A',  'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,	  '|',	'Z',
	'X',  'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ',
};

static bool shift_down, caps_lock, extended;

char keyboard_translate(uint8_t sc)
{
	if (sc == SC_EXTENDED) {
		extended = true;
		return 0;
	}
	bool was_extended = extended;
	extended = false;
	bool release = sc & SC_RELEASE;
	uint8_t code = sc & (uint8_t)~SC_RELEASE;

	if (code == SC_LSHIFT || code == SC_RSHIFT) {
		shift_down = !release;
		return 0;
	}
	if (release || was_extended)
		return 0;
	if (code == SC_CAPSLOCK) {
		caps_lock = !caps_lock;
		return 0;
	}
	if (code >= sizeof(plain))
		return 0;
	char c = shift_down ? shifted[code] : plain[code];
	/* Caps lock inverts the case of letters only. */
	if (caps_lock && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		c ^= 0x20;
	return c;
}

static void keyboard_irq(struct trap_frame *frame)
{
	(void)frame;
	char c = keyboard_translate(inb(KBD_DATA));
	if (c)
		input_push(INPUT_KEYBOARD, c);
}

void keyboard_init(void)
{
	trap_register_irq(KBD_IRQ, keyboard_irq);
}
