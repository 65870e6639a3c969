#include "drivers/input.h"

#include <stddef.h>

#include "arch/cpu.h"

#define LOST_MAX 255u

static struct input_event queue[INPUT_QUEUE_SIZE];
static volatile unsigned head, tail, dropped;
static void (*room_fn)(void);
static volatile bool room_wanted; /* a driver is holding input back */

void input_push(enum input_source source, char c)
{
	if (head - tail == INPUT_QUEUE_SIZE) {
		dropped++;
		/* Full, so the newest event is still queued: it carries the news. */
		uint8_t *lost = &queue[(head - 1) % INPUT_QUEUE_SIZE].lost_after[source];
		if (*lost < LOST_MAX)
			(*lost)++;
		return;
	}
	queue[head % INPUT_QUEUE_SIZE] = (struct input_event){.source = source, .c = c};
	head++;
}

bool input_has_room(void)
{
	if (head - tail < INPUT_QUEUE_SIZE)
		return true;
	room_wanted = true;
	return false;
}

void input_on_room(void (*fn)(void))
{
	room_fn = fn;
}

bool input_pop(struct input_event *ev)
{
	bool was_on = irq_save();
	bool have = head != tail;
	if (have)
		*ev = queue[tail++ % INPUT_QUEUE_SIZE];
	/* Take held-back input again at half full, not at the first free slot:
	 * one interrupt then brings a run of characters, not one. */
	if (room_wanted && head - tail <= INPUT_QUEUE_SIZE / 2) {
		room_wanted = false;
		if (room_fn)
			room_fn();
	}
	irq_restore(was_on);
	return have;
}

bool input_pending(void)
{
	return head != tail;
}

unsigned input_dropped(void)
{
	return dropped;
}
