/* The scheduler: round robin over runnable processes, preemptive on the PIT
 * for code running in ring 3 only (the kernel is not preemptible: a process
 * in the kernel keeps the CPU until it returns to ring 3, sleeps or yields).
 *
 * The kernel's own context is the scheduler: every switch goes from a
 * process to it and from it to the next process.  Between two processes it
 * can poll the keyboard for the monitor, and when nothing is runnable it
 * halts (sti; hlt) until an interrupt. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/pit.h"
#include "arch/trap.h"

struct proc;

#define SCHED_SLICE_TICKS 2u /* 20 ms at 100 Hz */

/* Wait channels the scheduler itself checks, besides the addresses that
 * sched_wakeup names. */
extern const char sched_chan_timer[]; /* until proc->wake_tick */
extern const char sched_chan_input[]; /* until input is pending */
/* poll and select: until proc->wake_tick, input is pending, or
 * sched_wakeup(sched_chan_poll) from a file whose readiness changed. */
extern const char sched_chan_poll[];

/* The running process, NULL in the kernel's own context. */
struct proc *sched_current(void);

/* ---- the kernel's context ---- */
/* Gives the CPU to the next runnable process until it switches back.
 * Returns false, having run nothing, when none is runnable. */
bool sched_run_once(void);
/* Halts until an interrupt unless something is runnable (or, with
 * wake_on_input, input is waiting). */
void sched_idle(bool wake_on_input);
/* Runs processes for at least `ticks` timer ticks (tests). */
void sched_run_for(uint32_t ticks);
/* Whether a process sleeps on console input. */
bool sched_input_wanted(void);

/* ---- a process's context ---- */
void sched_yield(void);
/* Sleeps until sched_wakeup(chan), a kill, or for the scheduler's own
 * channels their condition.  Callers check their condition again after. */
void sched_sleep(const void *chan);
/* Makes every process sleeping on chan runnable. */
void sched_wakeup(const void *chan);
/* Switches away from an exited process for good. */
__attribute__((noreturn)) void sched_exit_current(void);

/* For proc.c: the hook run before every return to ring 3. */
void sched_user_return(struct trap_frame *frame);

#endif
