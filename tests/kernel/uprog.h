/* Starting the hand-assembled programs of user_programs.asm as processes,
 * for tests that need ring 3 before there are ELF files to load. */
#ifndef TESTS_KERNEL_UPROG_H
#define TESTS_KERNEL_UPROG_H

#include <stdint.h>

#include "kernel/proc.h"

extern const char uprog_start[], uprog_end[];
extern const char uprog_hello[], uprog_writev[], uprog_efault[], uprog_ids[], uprog_unknown[];
extern const char uprog_cli[], uprog_hlt[], uprog_in[], uprog_out[], uprog_lgdt[], uprog_farcall[];
extern const char uprog_null[], uprog_write_code[], uprog_read_kernel[], uprog_ud2[], uprog_div0[];
extern const char uprog_spin[], uprog_count[], uprog_tls[], uprog_sleep[], uprog_clock[],
	uprog_read[];
extern const char uprog_ss_bad[], uprog_gs_bad[], uprog_absent_tls[], uprog_int3[], uprog_fpu[],
	uprog_yield[];
extern const char uprog_waiter[], uprog_fork[], uprog_exec[], uprog_mmap[], uprog_sysinfo[];

/* A child of `parent` (NULL: the kernel) running the program at `entry`
 * with EBX = ebx and ECX = ecx: its code read-only at LAYOUT_USER_START, one
 * stack page under LAYOUT_STACK_TOP.  NULL when memory or the table ran out
 * (then nothing is left behind). */
struct proc *uprog_spawn(struct proc *parent, const char *name, const char *entry, uint32_t ebx,
			 uint32_t ecx);
/* Spawns it as the kernel's child and waits: its wait status, or
 * UPROG_NOT_RUN when it could not start. */
#define UPROG_NOT_RUN 0xFFFFFFFFu
uint32_t uprog_run(const char *name, const char *entry, uint32_t ebx, uint32_t ecx);

/* Mounts the files uprog_exec runs (/ring3-exec, /ring3-notelf) as the
 * root file system unless they are there; false when memory ran out. */
bool uprog_mount_exec_files(void);

/* The orphan case of test_proc.c, which needs to create the boot's PID 1:
 * test=ring3 runs it first. */
struct ktest;
void uprog_orphan_case(struct ktest *t);

#endif
