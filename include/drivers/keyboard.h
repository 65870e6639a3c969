#ifndef DRIVERS_KEYBOARD_H
#define DRIVERS_KEYBOARD_H

#include <stdint.h>

/* PS/2 keyboard on IRQ 1, scancode set 1: typed characters go to the input queue. */
void keyboard_init(void);

/* The character a make code gives with the current shift/caps state, or 0;
 * updates that state for the modifier keys.  Exposed for tests. */
char keyboard_translate(uint8_t scancode);

#endif
