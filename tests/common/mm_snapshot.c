#include "mm_snapshot.h"

#include <stdarg.h>
#include <stddef.h>

#include "lib/format.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#ifdef TOYIX_HOST
#include <stdio.h>
#else
#include "drivers/console.h"
#endif

#define NOTE_MAX     160
#define CPU_SET_BITS (PTE_ACCESSED | PTE_DIRTY)

/* One snapshot at a time is compared; a static one keeps 4 KiB off the
 * kernel stack. */
static struct mm_snapshot now;

void mm_snapshot_take(struct mm_snapshot *s)
{
	s->free_frames = pmm_free_count();
	s->total_frames = pmm_total_count();
	s->mapped_pages = vmm_mapped_count();
	s->tables = vmm_table_count();
	heap_get_stats(&s->heap);
	const pte_t *pd = arch_pd_view(arch_active_pd());
	for (uint32_t i = 0; i < PT_ENTRIES; i++)
		s->pd[i] = pd[i] & ~CPU_SET_BITS;
}

void mm_note(const char *fmt, ...)
{
	char line[NOTE_MAX];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
#ifdef TOYIX_HOST
	printf("    # %s\n", line);
#else
	kprintf("    # %s\n", line);
#endif
}

static bool same(struct ktest *t, const char *what, const char *field, uint32_t got, uint32_t want)
{
	if (got == want)
		return true;
	char msg[NOTE_MAX];
	ksnprintf(msg, sizeof(msg), "%s: %s changed: 0x%X, was 0x%X", what, field, got, want);
	ktest_report_msg(t, __FILE__, __LINE__, msg);
	return false;
}

bool mm_snapshot_expect_same(struct ktest *t, const struct mm_snapshot *before,
			     uint32_t heap_errors, const char *what)
{
	mm_snapshot_take(&now);
	t->checks++;
	bool ok = same(t, what, "pmm_free_count", now.free_frames, before->free_frames);
	ok &= same(t, what, "pmm_total_count", now.total_frames, before->total_frames);
	ok &= same(t, what, "vmm_mapped_count", now.mapped_pages, before->mapped_pages);
	ok &= same(t, what, "vmm_table_count", now.tables, before->tables);
	ok &= same(t, what, "heap mapped_pages", now.heap.mapped_pages, before->heap.mapped_pages);
	ok &= same(t, what, "heap used_bytes", now.heap.used_bytes, before->heap.used_bytes);
	/* Not free_bytes or free_blocks: a kmalloc that fails may first drain
	 * the heap's free cache into the free lists, which moves both without
	 * changing what is allocated or mapped. */
	ok &= same(t, what, "heap live_blocks", now.heap.live_blocks, before->heap.live_blocks);
	ok &= same(t, what, "heap errors_detected", now.heap.errors_detected,
		   before->heap.errors_detected + heap_errors);
	for (uint32_t i = 0; i < PT_ENTRIES && ok; i++) {
		char field[24];
		ksnprintf(field, sizeof(field), "PDE %u", i);
		ok &= same(t, what, field, now.pd[i], before->pd[i]);
	}
	return ok;
}
