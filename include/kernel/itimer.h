/* Interval timers: setitimer, getitimer and alarm (kernel/itimer.c).
 * ITIMER_REAL sends SIGALRM; ITIMER_VIRTUAL and ITIMER_PROF are accepted
 * and reported back as set, but never count down (no CPU time is kept per
 * process yet).  A child starts with no timer armed (its struct proc is
 * new); exec keeps them, as on Linux. */
#ifndef KERNEL_ITIMER_H
#define KERNEL_ITIMER_H

/* Sends SIGALRM to every process whose ITIMER_REAL ran out, and re-arms
 * the periodic ones.  The scheduler calls it before each choice. */
void itimer_fire(void);

#endif
