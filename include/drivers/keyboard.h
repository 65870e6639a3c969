#ifndef DRIVERS_KEYBOARD_H
#define DRIVERS_KEYBOARD_H

#include <stddef.h>
#include <stdint.h>

#define KEYBOARD_BYTES_MAX 4 /* the longest a key types: ESC [ 3 ~ */

/* PS/2 keyboard on IRQ 1, scancode set 1: typed characters go to the input queue. */
void keyboard_init(void);

/* The character a make code gives with the current shift/caps state, or 0;
 * updates that state for the modifier keys.  Exposed for tests. */
char keyboard_translate(uint8_t scancode);
/* The same for any key: the bytes it types into out (a character, or an
 * escape sequence for a cursor key), how many (0 for none). */
size_t keyboard_bytes(uint8_t scancode, char out[KEYBOARD_BYTES_MAX]);

#endif
