/* The small informational calls glibc and programs use: identity, uname,
 * sysinfo, limits, clocks, sleeping, random bytes, yielding.  Values that
 * differ between machines are checked, not printed. */
#include <stdint.h>
#include <sched.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>

#include "conform.h"

static int64_t ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

int main(void)
{
	conform_start("sysinfo");
	yes_no("getpid > 0", getpid() > 0);
	yes_no("gettid == getpid (one thread)", syscall(SYS_gettid) == getpid());
	yes_no("getuid == geteuid", getuid() == geteuid());
	yes_no("getgid == getegid", getgid() == getegid());
	yes_no("raw getuid32 agrees", syscall(SYS_getuid32) == (long)getuid());

	struct utsname u;
	result("uname", uname(&u));
	yes_no("sysname, release and machine are not empty",
	       u.sysname[0] && u.release[0] && u.machine[0]);
	yes_no("every field is NUL-terminated",
	       memchr(u.sysname, 0, sizeof(u.sysname)) && memchr(u.machine, 0, sizeof(u.machine)) &&
		       memchr(u.domainname, 0, sizeof(u.domainname)));

	struct sysinfo si;
	result("sysinfo", sysinfo(&si));
	yes_no("mem_unit >= 1, 0 < freeram <= totalram",
	       si.mem_unit >= 1 && si.freeram > 0 && si.freeram <= si.totalram);
	yes_no("at least one process", si.procs >= 1);

	struct rlimit rl;
	result("getrlimit RLIMIT_STACK", getrlimit(RLIMIT_STACK, &rl));
	yes_no("soft limit <= hard limit", rl.rlim_cur <= rl.rlim_max);
	result("getrlimit RLIMIT_NOFILE", getrlimit(RLIMIT_NOFILE, &rl));
	yes_no("room for at least 20 descriptors", rl.rlim_cur >= 20);

	struct timespec a, b, r;
	result("clock_gettime MONOTONIC", clock_gettime(CLOCK_MONOTONIC, &a));
	result("clock_gettime REALTIME", clock_gettime(CLOCK_REALTIME, &r));
	yes_no("nanoseconds below 1e9",
	       a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && r.tv_nsec < 1000000000);
	struct timespec req = {0, 30 * 1000 * 1000};
	result("nanosleep 30 ms", nanosleep(&req, NULL));
	clock_gettime(CLOCK_MONOTONIC, &b);
	yes_no("monotonic clock advanced by at least 30 ms", ns(&b) - ns(&a) >= 30 * 1000 * 1000);
	yes_no("and by less than 5 s", ns(&b) - ns(&a) < 5000000000LL);
	int32_t old[2];
	result("raw 32-bit clock_gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, old));
	yes_no("agrees with the 64-bit one within 5 s",
	       old[0] >= a.tv_sec && old[0] - a.tv_sec < 5);

	uint8_t r1[32], r2[32];
	result_value("getrandom 32 bytes", syscall(SYS_getrandom, r1, 32, 0));
	syscall(SYS_getrandom, r2, 32, 0);
	yes_no("two draws differ", memcmp(r1, r2, 32) != 0);
	result_value("getrandom 0 bytes", syscall(SYS_getrandom, r1, 0, 0));
	result("sched_yield", sched_yield());
	return conform_end();
}
