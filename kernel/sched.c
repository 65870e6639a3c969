/* Round-robin scheduling with the kernel's own context as the scheduler.
 *
 *   process A --switch--> kernel context --switch--> process B
 *   (yield, sleep, exit,   picks the next runnable
 *    or preempted on its   one after A in the table,
 *    way back to ring 3)   polls input, or halts
 *
 * Two switches per change of process instead of one buys simplicity: the
 * kernel's context (the monitor, a test waiting for a child) never needs a
 * process of its own, and an exited process is always switched away from
 * before anything frees its stack. */
#include "kernel/sched.h"

#include <stddef.h>

#include "arch/context.h"
#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/tss.h"
#include "drivers/input.h"
#include "uapi/linux_abi.h"
#include "kernel/itimer.h"
#include "kernel/panic.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "mm/aspace.h"

const char sched_chan_timer[] = "timer";
const char sched_chan_input[] = "input";

static struct proc *current;
static uint32_t kernel_esp; /* the kernel's context while a process runs */
static uint32_t last_slot = PROC_MAX - 1;

struct proc *sched_current(void)
{
	return current;
}

/* Whether a sleeper's wait is over by a condition the scheduler checks. */
static bool wakeable(const struct proc *p)
{
	if (proc_signal_pending(p) || (p->sig_pending & p->sig_waiting))
		return true;
	if (p->wait_chan == sched_chan_timer)
		return (int32_t)(pit_ticks() - p->wake_tick) >= 0;
	if (p->wait_chan == sched_chan_input)
		return input_pending();
	return false;
}

/* The next runnable process after the last one that ran, so every runnable
 * process gets its turn; wakes timed-out and input sleepers on the way. */
static struct proc *pick(bool claim)
{
	itimer_fire();
	for (uint32_t n = 1; n <= PROC_MAX; n++) {
		uint32_t i = (last_slot + n) % PROC_MAX;
		struct proc *p = proc_at(i);
		if (!p)
			continue;
		if (p->state == PROC_SLEEPING && wakeable(p))
			p->state = PROC_RUNNABLE;
		if (p->state == PROC_RUNNABLE) {
			if (claim)
				last_slot = i;
			return p;
		}
	}
	return NULL;
}

/* Interrupts are off from here until the process runs, and again from its
 * switch back until this returns. */
static void run(struct proc *p)
{
	current = p;
	p->state = PROC_RUNNING;
	p->runs++;
	p->slice_start = pit_ticks();
	aspace_activate(p->as);
	tss_set_kernel_stack((uint32_t)p->fpu);
	gdt_load_tls(p->tls);
	fpu_restore(p->fpu);
	context_switch(&kernel_esp, p->ctx_esp);
	fpu_save(p->fpu);
	current = NULL;
	/* The kernel's context works in the kernel's own space: the monitor's
	 * map, peek and vmmap mean it, not whichever process ran last. */
	aspace_activate(&kernel_space);
}

bool sched_run_once(void)
{
	bool was_on = irq_save();
	struct proc *p = pick(true);
	if (p) {
		run(p);
		proc_reap_detached();
	}
	irq_restore(was_on);
	return p != NULL;
}

void sched_idle(bool wake_on_input)
{
	interrupts_disable();
	/* The check and the halt are one step (sti; hlt), so an interrupt
	 * that makes something runnable in between still wakes the halt. */
	if (pick(false) || (wake_on_input && input_pending()))
		interrupts_enable();
	else
		cpu_enable_and_halt();
}

void sched_run_for(uint32_t ticks)
{
	uint32_t start = pit_ticks();
	while (pit_ticks() - start < ticks)
		if (!sched_run_once())
			sched_idle(false);
}

bool sched_input_wanted(void)
{
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		struct proc *p = proc_at(i);
		if (p && p->state == PROC_SLEEPING && p->wait_chan == sched_chan_input)
			return true;
	}
	return false;
}

static void switch_to_kernel(struct proc *p)
{
	context_switch(&p->ctx_esp, kernel_esp);
}

void sched_yield(void)
{
	struct proc *p = current;
	if (!p)
		return;
	bool was_on = irq_save();
	p->state = PROC_RUNNABLE;
	switch_to_kernel(p);
	irq_restore(was_on);
}

void sched_sleep(const void *chan)
{
	struct proc *p = current;
	if (!p || proc_signal_pending(p))
		return;
	bool was_on = irq_save();
	p->wait_chan = chan;
	p->state = PROC_SLEEPING;
	switch_to_kernel(p);
	p->wait_chan = NULL;
	irq_restore(was_on);
}

void sched_wakeup(const void *chan)
{
	bool was_on = irq_save();
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		struct proc *p = proc_at(i);
		if (p && p->state == PROC_SLEEPING && p->wait_chan == chan)
			p->state = PROC_RUNNABLE;
	}
	irq_restore(was_on);
}

void sched_exit_current(void)
{
	struct proc *p = current;
	interrupts_disable();
	switch_to_kernel(p);
	kernel_panic("pid %d ran again after it exited", p->pid);
}

/* A selector the process loaded may have gone bad since (set_thread_area
 * emptied or changed its TLS slot): popping it, or iret loading it into SS,
 * would fault in ring 0.  A data segment register becomes the null
 * selector, so only the process's next use of it faults, in ring 3; SS
 * cannot be null in ring 3, so a process whose stack segment went bad dies
 * of SIGSEGV here, as the return to it would on Linux. */
static void check_user_selectors(struct trap_frame *f)
{
	uint32_t *segs[] = {&f->ds, &f->es, &f->fs, &f->gs};
	for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++)
		if (!gdt_user_selector_ok(*segs[i] & 0xFFFFu))
			*segs[i] = 0;
	if (!gdt_user_stack_selector_ok(f->user_ss & 0xFFFFu))
		proc_fault_signal(f, LINUX_SIGSEGV, f->eip, "stack segment no longer usable");
}

void sched_user_return(struct trap_frame *frame)
{
	struct proc *p = current;
	if (!p)
		return;
	if (!p->kill_signal && pit_ticks() - p->slice_start >= SCHED_SLICE_TICKS)
		sched_yield();
	if (p->kill_signal)
		proc_exit(LINUX_W_SIGNALLED(p->kill_signal));
	signal_deliver(frame);
	check_user_selectors(frame);
}
