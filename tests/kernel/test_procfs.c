/* /proc's text (kernel/procfs.c) for a process built by hand: maps lines
 * byte for byte as Linux pads them, status and statm agreeing with the
 * regions, meminfo with the PMM, and nothing left on the heap. */
#include "arch/layout.h"
#include "kernel/ktest.h"
#include "kernel/proc.h"
#include "kernel/procfs.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "uapi/linux_flags.h"
#include "uprog.h"

static uint32_t live_blocks(void)
{
	struct heap_stats hs;
	heap_get_stats(&hs);
	return hs.live_blocks;
}

static bool contains(const char *text, const char *part)
{
	size_t n = strlen(part);
	for (; *text; text++)
		if (strncmp(text, part, n) == 0)
			return true;
	return false;
}

static void end_process(struct proc *p)
{
	int32_t pid = p->pid;
	uint32_t status;
	proc_kill(pid, LINUX_SIGKILL);
	proc_wait(pid, &status, 0);
}

KTEST(procfs, maps_lines_are_linux_lines)
{
	struct proc *p = uprog_spawn(NULL, "mapped", uprog_ids, 0, 0);
	KT_ASSERT_TRUE(t, p != NULL);
	uint32_t blocks = live_blocks();
	vaddr_t code_end = region_next(&p->as->regions, 0)->end;
	char want[160];
	/* Anonymous and unnamed: no padding, the line ends after the inode
	 * and one space; the stack's name starts at column 49. */
	ksnprintf(want, sizeof(want),
		  "%08x-%08x r-xp 00000000 00:00 0 \n"
		  "%08x-%08x rw-p 00000000 00:00 0          [stack]\n",
		  LAYOUT_USER_START, code_end, LAYOUT_STACK_TOP - PAGE_SIZE, LAYOUT_STACK_TOP);
	uint32_t len = 0;
	char *text = procfs_text("maps", p->pid, &len);
	KT_ASSERT_TRUE(t, text != NULL);
	KT_EXPECT_EQ(t, len, (uint32_t)strlen(want));
	KT_EXPECT_EQ(t, strcmp(text, want), 0);
	kfree(text);
	KT_EXPECT_EQ(t, live_blocks(), blocks);
	end_process(p);
}

KTEST(procfs, status_and_statm_add_up_the_regions)
{
	struct proc *p = uprog_spawn(NULL, "counted", uprog_ids, 0, 0);
	KT_ASSERT_TRUE(t, p != NULL);
	uint32_t code_pages =
		(region_next(&p->as->regions, 0)->end - LAYOUT_USER_START) / PAGE_SIZE;
	uint32_t len;
	char *status = procfs_text("status", p->pid, &len);
	KT_ASSERT_TRUE(t, status != NULL);
	char want[64];
	ksnprintf(want, sizeof(want), "\nPid:\t%d\nPPid:\t0\n", p->pid);
	KT_EXPECT_TRUE(t, contains(status, want));
	KT_EXPECT_TRUE(t, strncmp(status, "Name:\tcounted\n", 14) == 0);
	ksnprintf(want, sizeof(want), "\nVmSize:\t%8u kB\n", (code_pages + 1) * 4);
	KT_EXPECT_TRUE(t, contains(status, want));
	KT_EXPECT_TRUE(t, contains(status, "\nVmStk:\t       4 kB\n"));
	ksnprintf(want, sizeof(want), "\nVmRSS:\t%8u kB\n", (code_pages + 1) * 4);
	KT_EXPECT_TRUE(t, contains(status, want));
	kfree(status);
	char *statm = procfs_text("statm", p->pid, &len);
	KT_ASSERT_TRUE(t, statm != NULL);
	ksnprintf(want, sizeof(want), "%u %u 0 %u 0 1 0\n", code_pages + 1, code_pages + 1,
		  code_pages);
	KT_EXPECT_EQ(t, strcmp(statm, want), 0);
	kfree(statm);
	end_process(p);
}

KTEST(procfs, meminfo_is_the_pmm_count)
{
	uint32_t free_frames = pmm_free_count();
	uint32_t len;
	char *text = procfs_text("meminfo", 0, &len);
	KT_ASSERT_TRUE(t, text != NULL);
	char want[64];
	ksnprintf(want, sizeof(want), "MemTotal:       %8u kB\nMemFree:        %8u kB\n",
		  pmm_total_count() * 4, free_frames * 4);
	KT_EXPECT_TRUE(t, strncmp(text, want, strlen(want)) == 0);
	kfree(text);
}

KTEST(procfs, no_text_for_what_is_not_there)
{
	uint32_t blocks = live_blocks();
	uint32_t len = 7;
	KT_EXPECT_TRUE(t, procfs_text("status", 99999, &len) == NULL);
	KT_EXPECT_TRUE(t, procfs_text("nosuchfile", 1, &len) == NULL);
	KT_EXPECT_TRUE(t, procfs_text(NULL, 1, &len) == NULL);
	KT_EXPECT_TRUE(t, procfs_text("meminfo", 0, NULL) == NULL);
	KT_EXPECT_EQ(t, len, 7u);
	KT_EXPECT_EQ(t, live_blocks(), blocks);
}
