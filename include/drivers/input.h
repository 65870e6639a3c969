/* Characters typed on the keyboard or received on COM1 wait here, filled by
 * interrupt handlers and drained by the idle loop, so no handler prints or
 * parses anything itself. */
#ifndef DRIVERS_INPUT_H
#define DRIVERS_INPUT_H

#include <stdbool.h>

enum input_source { INPUT_KEYBOARD, INPUT_SERIAL };

struct input_event {
	enum input_source source;
	char c;
};

/* From interrupt context.  A full queue drops the character and counts it. */
void input_push(enum input_source source, char c);
/* Returns false when the queue is empty. */
bool input_pop(struct input_event *ev);
bool input_pending(void);
unsigned input_dropped(void);

#endif
