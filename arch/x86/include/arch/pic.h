#ifndef ARCH_PIC_H
#define ARCH_PIC_H

#include <stdbool.h>
#include <stdint.h>

/* Remaps the two 8259s to vectors 0x20-0x2F and masks every line. */
void pic_init(void);
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);
uint16_t pic_get_mask(void); /* bit n set: IRQ n masked */
void pic_eoi(unsigned irq);
/* IRQ 7 and 15 fire spuriously when a request vanishes before it is served;
 * the in-service register tells a real one from a ghost. */
bool pic_is_spurious(unsigned irq);
unsigned pic_spurious_count(void);

#endif
