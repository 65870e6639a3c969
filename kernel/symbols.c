#include "kernel/symbols.h"

#include <stddef.h>

/* Both come from the generated table (build/.../ksyms.c); the first link pass
 * uses an empty one.  Sorted by address. */
extern const struct ksym ksymtab[];
extern const uint32_t ksymtab_count;
extern const char __text_start[], __text_end[];

const char *ksym_lookup(uint32_t addr, uint32_t *offset)
{
	if (ksymtab_count == 0 || addr < ksymtab[0].addr || addr >= (uint32_t)__text_end)
		return NULL;
	uint32_t lo = 0, hi = ksymtab_count; /* the last entry with .addr <= addr */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ksymtab[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksymtab[lo].addr;
	return ksymtab[lo].name;
}
