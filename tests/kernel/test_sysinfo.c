/* sysinfo tells a program the truth about free memory: what a ring-3
 * program reads in freeram is the PMM's free count at the moment of the
 * call (test=ring3, the proc suite).  The program makes sysinfo its first
 * call, so nothing is allocated between the count read here, after it was
 * created, and the call; its exit status carries one byte of freeram. */
#include "kernel/ktest.h"
#include "kernel/proc.h"
#include "mm/pmm.h"
#include "uapi/linux_abi.h"
#include "uprog.h"

#define BYTE_BITS 8u
#define WORD_BITS 32u

KTEST(proc, sysinfo_freeram_is_the_pmm_free_count)
{
	for (uint32_t shift = 0; shift < WORD_BITS; shift += BYTE_BITS) {
		struct proc *p = uprog_spawn(NULL, "sysinfo", uprog_sysinfo, shift, 0);
		KT_ASSERT_TRUE(t, p != NULL);
		int32_t pid = p->pid;
		uint32_t free_at_call = pmm_free_count(), status = 0;
		KT_ASSERT_EQ(t, proc_wait(pid, &status, 0), pid);
		KT_EXPECT_EQ(t, status, LINUX_W_EXITCODE((free_at_call >> shift) & 0xFFu));
	}
}
