/* Round-robin scheduling with the kernel's own context as the scheduler.
 *
 *   process A --switch--> kernel context --switch--> process B
 *   (exits, or nothing     picks the next runnable
 *    else can run, or a    one after A in the table,
 *    timer tick passed)    reaps, polls input, or halts
 *
 *   process A --------------switch-------------> process B
 *   (yields, sleeps or is preempted while B is runnable and the kernel's
 *    context already had its turn in this timer tick)
 *
 * The kernel's context (the monitor, a test or init's loop waiting for a
 * child) never needs a process of its own, and an exited process is always
 * switched away from to it, before anything frees its stack.  Going through
 * it on every change of process would double the cost of one, so processes
 * hand the CPU to each other directly, but the kernel's context still gets
 * a turn at least once a tick. */
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
const char sched_chan_poll[] = "poll";

static struct proc *current;
static uint32_t kernel_esp; /* the kernel's context while a process runs */
static uint32_t last_slot = PROC_MAX - 1;
static uint32_t kernel_tick; /* the tick in which the kernel's context last ran */

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
	if (p->wait_chan == sched_chan_poll)
		return (int32_t)(pit_ticks() - p->wake_tick) >= 0 || input_pending();
	return false;
}

/* The next runnable process after the last one that ran, so every runnable
 * process gets its turn; wakes timed-out and input sleepers on the way. */
static struct proc *pick(bool claim)
{
	itimer_fire();
	uint32_t slots = proc_slots();
	for (uint32_t n = 1; n <= slots; n++) {
		uint32_t i = (last_slot + n) % slots;
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

/* What p needs of the CPU before it runs: its space, its kernel stack for
 * the next trap from ring 3, its TLS descriptors and its FPU state.  A
 * process switching away saved its FPU state (leave()). */
static void enter(struct proc *p)
{
	current = p;
	p->state = PROC_RUNNING;
	p->runs++;
	p->slice_start = pit_ticks();
	aspace_activate(p->as);
	tss_set_kernel_stack((uint32_t)p->fpu);
	gdt_load_tls(p->tls);
	fpu_restore(p->fpu);
}

/* Interrupts are off from here until the process runs, and again from the
 * switch back (from p or whichever process ran after it) until this
 * returns. */
static void run(struct proc *p)
{
	enter(p);
	context_switch(&kernel_esp, p->ctx_esp);
	current = NULL;
	kernel_tick = pit_ticks();
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
	for (uint32_t i = 0; i < proc_slots(); i++) {
		struct proc *p = proc_at(i);
		if (p && p->state == PROC_SLEEPING && p->wait_chan == sched_chan_input)
			return true;
	}
	return false;
}

static void switch_to_kernel(struct proc *p)
{
	fpu_save(p->fpu);
	context_switch(&p->ctx_esp, kernel_esp);
}

/* The running process p stops (it is runnable or asleep): straight to the
 * next runnable process, p itself included, unless a tick passed since the
 * kernel's context last ran, which then gets its turn (see the top). */
static void leave(struct proc *p)
{
	struct proc *next = kernel_tick == pit_ticks() ? pick(true) : NULL;
	if (next == p) {
		p->state = PROC_RUNNING; /* its FPU and descriptors are still loaded */
		p->runs++;
		p->slice_start = pit_ticks();
		return;
	}
	if (!next) {
		switch_to_kernel(p);
		return;
	}
	fpu_save(p->fpu);
	enter(next);
	context_switch(&p->ctx_esp, next->ctx_esp);
}

void sched_yield(void)
{
	struct proc *p = current;
	if (!p)
		return;
	bool was_on = irq_save();
	p->state = PROC_RUNNABLE;
	leave(p);
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
	leave(p);
	p->wait_chan = NULL;
	irq_restore(was_on);
}

void sched_wakeup(const void *chan)
{
	bool was_on = irq_save();
	for (uint32_t i = 0, slots = proc_slots(); i < slots; i++) {
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
 * cannot be null in ring 3, so a process whose stack segment went bad gets
 * SIGSEGV here, as the return to it would on Linux. */
static void check_user_selectors(struct trap_frame *f)
{
	uint32_t *segs[] = {&f->ds, &f->es, &f->fs, &f->gs};
	for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++)
		if (!gdt_user_selector_ok(*segs[i] & 0xFFFFu))
			*segs[i] = 0;
	if (gdt_user_stack_selector_ok(f->user_ss & 0xFFFFu))
		return;
	/* SIGSEGV as Linux sends it when the return faults (SI_KERNEL): a
	 * handler's frame comes with the flat stack segment; without one the
	 * process dies here. */
	struct signal_fault fault = {LINUX_SIGSEGV, LINUX_SI_KERNEL, 0, f->eip,
				     "stack segment no longer usable"};
	signal_force_fault(f, &fault);
	signal_deliver(f);
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
