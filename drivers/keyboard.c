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
#define SC_CTRL	    0x1D /* left; E0 1D is the right one */
#define SC_UP	    0x48 /* cursor keys: after E0 */
#define SC_LEFT	    0x4B
#define SC_RIGHT    0x4D
#define SC_DOWN	    0x50
#define SC_HOME	    0x47
#define SC_END	    0x4F
#define SC_DELETE   0x53
#define DEL	    0x7F
#define CTRL_MASK   0x1F /* Ctrl-A is 1, Ctrl-C 3, Ctrl-[ ESC */

/* Scancode set 1 make codes 0x00-0x39, unshifted and shifted.  Backspace
 * types DEL, as a Linux console does (the terminal's VERASE). */
static const char plain[0x3A] = {
	0,    27,  '1', '2', '3', '4', '5', '6', '7', '8', '9',	 '0', '-', '=',	 DEL,
	'\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p',	 '[', ']', '\n', 0,
	'a',  's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,   '\\', 'z',
	'x',  'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0,   '*',	 0,   ' ',
};
static const char shifted[0x3A] = {
	0,    27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',	DEL,
	'\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0,
	'A',  'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,	  '|',	'Z',
	'X',  'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ',
};

static bool shift_down, ctrl_down, caps_lock, extended;

/* The escape sequences a Linux console sends for the cursor keys (after
 * E0), so line editors can move and recall history. */
static const char *cursor_key(uint8_t code)
{
	switch (code) {
	case SC_UP: return "\x1b[A";
	case SC_DOWN: return "\x1b[B";
	case SC_RIGHT: return "\x1b[C";
	case SC_LEFT: return "\x1b[D";
	case SC_HOME: return "\x1b[1~";
	case SC_END: return "\x1b[4~";
	case SC_DELETE: return "\x1b[3~";
	default: return NULL;
	}
}

size_t keyboard_bytes(uint8_t sc, char out[KEYBOARD_BYTES_MAX])
{
	if (sc == SC_EXTENDED) {
		extended = true;
		return 0;
	}
	bool was_extended = extended;
	extended = false;
	bool release = sc & SC_RELEASE;
	uint8_t code = sc & (uint8_t)~SC_RELEASE;

	if (code == SC_CTRL) {
		ctrl_down = !release;
		return 0;
	}
	if (code == SC_LSHIFT || code == SC_RSHIFT) {
		if (!was_extended) /* E0 2A: a fake shift some keys send */
			shift_down = !release;
		return 0;
	}
	if (release)
		return 0;
	if (was_extended) {
		const char *seq = cursor_key(code);
		size_t n = 0;
		for (; seq && seq[n] && n < KEYBOARD_BYTES_MAX; n++)
			out[n] = seq[n];
		return n;
	}
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
	/* Ctrl with a letter or one of @[\]^_ types its control code. */
	if (ctrl_down && c >= '@' && c <= 'z' && c != '`')
		c &= CTRL_MASK;
	if (!c)
		return 0;
	out[0] = c;
	return 1;
}

char keyboard_translate(uint8_t sc)
{
	char out[KEYBOARD_BYTES_MAX];
	return keyboard_bytes(sc, out) == 1 ? out[0] : 0;
}

static void keyboard_irq(struct trap_frame *frame)
{
	(void)frame;
	char out[KEYBOARD_BYTES_MAX];
	size_t n = keyboard_bytes(inb(KBD_DATA), out);
	for (size_t i = 0; i < n; i++)
		input_push(INPUT_KEYBOARD, out[i]);
}

void keyboard_init(void)
{
	trap_register_irq(KBD_IRQ, keyboard_irq);
}
