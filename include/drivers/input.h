/* Characters typed on the keyboard or received on COM1 wait here, filled by
 * interrupt handlers and drained by the idle loop, so no handler prints or
 * parses anything itself.
 *
 * Nothing is lost without a word: COM1 stops taking characters while the
 * queue is full (they wait in the UART and the sender is held back), and
 * whatever must still be dropped (the keyboard cannot be held back) is
 * counted and marked on the last character that did get in, so the reader
 * learns exactly where input went missing. */
#ifndef DRIVERS_INPUT_H
#define DRIVERS_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#define INPUT_QUEUE_SIZE 256 /* a power of two, so indices wrap with a mask */

enum input_source { INPUT_KEYBOARD, INPUT_SERIAL, INPUT_SOURCES };

/* 4 bytes: the queue costs 1 KiB of the smallest machines' RAM. */
struct input_event {
	uint8_t source; /* enum input_source */
	char c;
	/* Characters of each source dropped right after this one (queue full),
	 * at most 255 counted here; input_dropped() has the whole count. */
	uint8_t lost_after[INPUT_SOURCES];
};

/* From interrupt context.  A full queue drops the character, counts it and
 * marks the newest queued event. */
void input_push(enum input_source source, char c);
/* Whether input_push would keep a character now: for a driver that can hold
 * input back instead of losing it. */
bool input_has_room(void);
/* fn runs (interrupts off) once the queue has room again after
 * input_has_room() said no: the driver takes its input back up. */
void input_on_room(void (*fn)(void));
/* Returns false when the queue is empty. */
bool input_pop(struct input_event *ev);
bool input_pending(void);
/* Characters dropped since boot, all sources. */
unsigned input_dropped(void);

#endif
