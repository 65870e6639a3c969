#include "drivers/input.h"

#include "arch/cpu.h"

#define QUEUE_SIZE 256 /* a power of two, so indices wrap with a mask */

static struct input_event queue[QUEUE_SIZE];
static volatile unsigned head, tail, dropped;

void input_push(enum input_source source, char c)
{
	if (head - tail == QUEUE_SIZE) {
		dropped++;
		return;
	}
	queue[head % QUEUE_SIZE] = (struct input_event){source, c};
	head++;
}

bool input_pop(struct input_event *ev)
{
	bool was_on = irq_save();
	bool have = head != tail;
	if (have)
		*ev = queue[tail++ % QUEUE_SIZE];
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
