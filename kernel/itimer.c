/* Interval timers and alarm (include/kernel/itimer.h): ITIMER_REAL counts
 * PIT ticks and sends SIGALRM when it runs out, then starts over with its
 * interval.  The scheduler asks itimer_fire on each decision, so a timer
 * runs out at most one slice late, also for a process that sleeps or never
 * enters the kernel. */
#include "kernel/itimer.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/cpu.h"
#include "arch/pit.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "mm/uaccess.h"
#include "uapi/linux_abi.h"

#define US_PER_S    1000000u
#define US_PER_TICK (US_PER_S / PIT_HZ)
#define MAX_TICKS   0x7FFFFFFFu

/* The earliest deadline of any armed timer, so the common case (nothing
 * due) costs one comparison. */
static uint32_t next_due;
static bool any_armed;

static bool due(uint32_t deadline, uint32_t now)
{
	return (int32_t)(now - deadline) >= 0;
}

static void note_deadline(uint32_t deadline)
{
	if (!any_armed || (int32_t)(deadline - next_due) < 0)
		next_due = deadline;
	any_armed = true;
}

void itimer_fire(void)
{
	uint32_t now = pit_ticks();
	if (!any_armed || !due(next_due, now))
		return;
	any_armed = false;
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		struct proc *p = proc_at(i);
		if (!p || !p->real_armed || p->state == PROC_ZOMBIE)
			continue;
		if (due(p->real_deadline, now)) {
			signal_send(p, LINUX_SIGALRM, 0);
			if (p->real_interval)
				p->real_deadline = now + p->real_interval;
			else
				p->real_armed = false;
		}
		if (p->real_armed)
			note_deadline(p->real_deadline);
	}
}

/* A timeval as ticks, rounded up: a timer never runs out early. */
static uint32_t ticks_of(const struct linux_timeval32 *tv)
{
	if ((uint32_t)tv->tv_sec >= MAX_TICKS / PIT_HZ)
		return MAX_TICKS;
	return (uint32_t)tv->tv_sec * PIT_HZ +
	       ((uint32_t)tv->tv_usec + US_PER_TICK - 1) / US_PER_TICK;
}

static struct linux_timeval32 timeval_of(uint32_t ticks)
{
	return (struct linux_timeval32){(int32_t)(ticks / PIT_HZ),
					(int32_t)(ticks % PIT_HZ * US_PER_TICK)};
}

static bool timeval_ok(const struct linux_timeval32 *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && (uint32_t)tv->tv_usec < US_PER_S;
}

/* ITIMER_REAL as getitimer reports it.  The deadline lies one tick past
 * the time asked (the tick in progress may be nearly over), which is not
 * shown; an armed timer about to run out shows 1 µs, as on Linux. */
static struct linux_itimerval32 real_now(const struct proc *p)
{
	struct linux_itimerval32 v = {timeval_of(p->real_interval), {0, 0}};
	if (!p->real_armed)
		return v;
	uint32_t now = pit_ticks();
	uint32_t left = due(p->real_deadline, now) ? 0 : p->real_deadline - now - 1;
	v.it_value = left ? timeval_of(left) : (struct linux_timeval32){0, 1};
	return v;
}

static void real_set(struct proc *p, const struct linux_itimerval32 *v)
{
	bool was_on = irq_save();
	p->real_armed = v->it_value.tv_sec || v->it_value.tv_usec;
	/* A disarmed timer keeps no interval either (Linux reports 0). */
	p->real_interval = p->real_armed ? ticks_of(&v->it_interval) : 0;
	if (p->real_armed) {
		p->real_deadline = pit_ticks() + ticks_of(&v->it_value) + 1;
		note_deadline(p->real_deadline);
	}
	irq_restore(was_on);
}

static int32_t get_timer(struct proc *p, uint32_t which, struct linux_itimerval32 *v)
{
	if (which == LINUX_ITIMER_REAL)
		*v = real_now(p);
	else if (which == LINUX_ITIMER_VIRTUAL || which == LINUX_ITIMER_PROF)
		*v = p->cpu_timers[which - 1];
	else
		return -LINUX_EINVAL;
	return 0;
}

int32_t sys_getitimer(struct trap_frame *f)
{
	struct linux_itimerval32 v;
	int32_t rc = get_timer(sched_current(), SYSCALL_ARG1(f), &v);
	if (rc)
		return rc;
	return copy_to_user((void *)(uintptr_t)SYSCALL_ARG2(f), &v, sizeof(v));
}

/* A null new value disarms, as Linux allows. */
int32_t sys_setitimer(struct trap_frame *f)
{
	uint32_t which = SYSCALL_ARG1(f), user_new = SYSCALL_ARG2(f), user_old = SYSCALL_ARG3(f);
	struct linux_itimerval32 v = {{0, 0}, {0, 0}}, old;
	if (user_new && copy_from_user(&v, (const void *)(uintptr_t)user_new, sizeof(v)))
		return -LINUX_EFAULT;
	struct proc *p = sched_current();
	int32_t rc = get_timer(p, which, &old);
	if (rc)
		return rc;
	if (!timeval_ok(&v.it_value) || !timeval_ok(&v.it_interval))
		return -LINUX_EINVAL;
	if (which == LINUX_ITIMER_REAL)
		real_set(p, &v);
	else
		p->cpu_timers[which - 1] = v;
	if (user_old && copy_to_user((void *)(uintptr_t)user_old, &old, sizeof(old)))
		return -LINUX_EFAULT;
	return 0;
}

/* alarm: ITIMER_REAL in whole seconds; the seconds that were left, rounded
 * to the nearest and at least 1 when any time was left, as Linux. */
int32_t sys_alarm(struct trap_frame *f)
{
	struct proc *p = sched_current();
	struct linux_itimerval32 old = real_now(p);
	struct linux_itimerval32 v = {{0, 0}, {(int32_t)SYSCALL_ARG1(f), 0}};
	if (v.it_value.tv_sec < 0)
		v.it_value.tv_sec = (int32_t)(MAX_TICKS / PIT_HZ);
	real_set(p, &v);
	int32_t left = old.it_value.tv_sec;
	if ((!left && old.it_value.tv_usec) || old.it_value.tv_usec >= (int32_t)(US_PER_S / 2))
		left++;
	return left;
}
