/* Clocks and sleeps, from the PIT's ticks (PIT_HZ a second).  There is no
 * real-time clock yet: CLOCK_REALTIME counts from boot, as if the machine
 * had booted at the Unix epoch. */
#include <stdbool.h>

#include "arch/pit.h"
#include "uapi/linux_abi.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/uaccess.h"

#define NS_PER_S    1000000000u
#define NS_PER_TICK (NS_PER_S / PIT_HZ)
#define MAX_TICKS   0x7FFFFFFFull /* a sleep further away than this is cut to it */

/* Everything is counted in ticks, so no 64-bit division is needed (the
 * kernel links no libgcc). */

static bool clock_known(uint32_t clk)
{
	return clk <= LINUX_CLOCK_BOOTTIME;
}

/* Clocks a sleep may be measured against (the CPU-time ones may not). */
static bool clock_sleepable(uint32_t clk)
{
	return clk == LINUX_CLOCK_REALTIME || clk == LINUX_CLOCK_MONOTONIC ||
	       clk == LINUX_CLOCK_BOOTTIME;
}

static void now(int64_t *sec, int64_t *nsec)
{
	uint32_t t = pit_ticks();
	*sec = t / PIT_HZ;
	*nsec = (int64_t)(t % PIT_HZ) * NS_PER_TICK;
}

/* A time as ticks, rounded up, cut at MAX_TICKS. */
static uint64_t to_ticks(int64_t sec, int64_t nsec)
{
	if (sec > (int64_t)(MAX_TICKS / PIT_HZ))
		return MAX_TICKS;
	return (uint64_t)sec * PIT_HZ + ((uint32_t)nsec + NS_PER_TICK - 1) / NS_PER_TICK;
}

/* Sleeps until the tick count reaches `until`; -EINTR when killed first. */
static int32_t sleep_until(uint32_t until)
{
	struct proc *p = sched_current();
	while ((int32_t)(pit_ticks() - until) < 0) {
		if (proc_signal_pending(p))
			return -LINUX_EINTR;
		p->wake_tick = until;
		sched_sleep(sched_chan_timer);
	}
	return 0;
}

/* A relative sleep lasts at least the time asked: the tick in progress may
 * be nearly over, so it waits one tick more than the time spans. */
static int32_t sleep_request(uint32_t flags, int64_t sec, int64_t nsec)
{
	if (sec < 0 || nsec < 0 || nsec >= NS_PER_S)
		return -LINUX_EINVAL;
	uint64_t ticks = to_ticks(sec, nsec);
	uint32_t start = pit_ticks();
	if (flags & LINUX_TIMER_ABSTIME)
		return ticks > start ? sleep_until((uint32_t)ticks) : 0;
	if (ticks == 0) {
		sched_yield();
		return 0;
	}
	return sleep_until(start + (uint32_t)(ticks < MAX_TICKS ? ticks + 1 : MAX_TICKS));
}

int32_t sys_nanosleep(struct trap_frame *f)
{
	struct linux_timespec32 req;
	if (copy_from_user(&req, (const void *)(uintptr_t)SYSCALL_ARG1(f), sizeof(req)))
		return -LINUX_EFAULT;
	return sleep_request(0, req.tv_sec, req.tv_nsec);
}

int32_t sys_clock_nanosleep(struct trap_frame *f)
{
	uint32_t clk = SYSCALL_ARG1(f);
	if (!clock_sleepable(clk))
		return -LINUX_EINVAL;
	struct linux_timespec32 req;
	if (copy_from_user(&req, (const void *)(uintptr_t)SYSCALL_ARG3(f), sizeof(req)))
		return -LINUX_EFAULT;
	return sleep_request(SYSCALL_ARG2(f), req.tv_sec, req.tv_nsec);
}

int32_t sys_clock_nanosleep_time64(struct trap_frame *f)
{
	uint32_t clk = SYSCALL_ARG1(f);
	if (!clock_sleepable(clk))
		return -LINUX_EINVAL;
	struct linux_timespec64 req;
	if (copy_from_user(&req, (const void *)(uintptr_t)SYSCALL_ARG3(f), sizeof(req)))
		return -LINUX_EFAULT;
	return sleep_request(SYSCALL_ARG2(f), req.tv_sec, req.tv_nsec);
}

int32_t sys_clock_gettime(struct trap_frame *f)
{
	if (!clock_known(SYSCALL_ARG1(f)))
		return -LINUX_EINVAL;
	int64_t sec, nsec;
	now(&sec, &nsec);
	struct linux_timespec32 ts = {(int32_t)sec, (int32_t)nsec};
	if (copy_to_user((void *)(uintptr_t)SYSCALL_ARG2(f), &ts, sizeof(ts)))
		return -LINUX_EFAULT;
	return 0;
}

int32_t sys_clock_gettime64(struct trap_frame *f)
{
	if (!clock_known(SYSCALL_ARG1(f)))
		return -LINUX_EINVAL;
	struct linux_timespec64 ts;
	int64_t sec, nsec;
	now(&sec, &nsec);
	ts.tv_sec = sec;
	ts.tv_nsec = nsec;
	if (copy_to_user((void *)(uintptr_t)SYSCALL_ARG2(f), &ts, sizeof(ts)))
		return -LINUX_EFAULT;
	return 0;
}
