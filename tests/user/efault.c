/* Every system call that takes a pointer returns EFAULT for one it cannot
 * use: NULL, a page just unmapped, kernel space, and a range that wraps
 * around the top of the address space.  Raw syscall() throughout, so glibc
 * neither checks nor touches the pointers first. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "conform.h"

#define KERNEL 0xC0000000u
#define TOP    0xFFFFFF00u /* 256 bytes below 4 GiB: a long range wraps */

static uintptr_t bad[4];
static const char *bad_name[4] = {"NULL", "unmapped", "kernel", "wrapping"};

/* Calls fn with each bad pointer and prints the errno of each. */
#define EACH_BAD(what, call)                                                                       \
	do {                                                                                       \
		printf("%s:", what);                                                               \
		for (int i_ = 0; i_ < 4; i_++) {                                                   \
			uintptr_t p = bad[i_];                                                     \
			long rc_ = (call);                                                         \
			printf(" %s=%s", bad_name[i_], rc_ == -1 ? errno_name(errno) : "ok");      \
		}                                                                                  \
		printf("\n");                                                                      \
	} while (0)

int main(void)
{
	conform_start("efault");
	uint8_t *page =
		mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page, PAGE);
	bad[0] = 0;
	bad[1] = (uintptr_t)page;
	bad[2] = KERNEL;
	bad[3] = TOP;
	int fd = open("data/pattern-10000.bin", O_RDONLY);
	int dir = open("data", O_RDONLY | O_DIRECTORY);

	EACH_BAD("read into", syscall(SYS_read, fd, p, 1000));
	EACH_BAD("pread64 into", syscall(SYS_pread64, fd, p, 1000, 0, 0));
	EACH_BAD("write from", syscall(SYS_write, 1, p, 1000));
	EACH_BAD("writev with the iovec array at", syscall(SYS_writev, 1, p, 1));
	EACH_BAD("writev with iov_base at", ({
			 struct iovec v = {(void *)p, 1000};
			 syscall(SYS_writev, 1, &v, 1);
		 }));
	EACH_BAD("open path at", syscall(SYS_open, p, O_RDONLY));
	EACH_BAD("openat path at", syscall(SYS_openat, AT_FDCWD, p, O_RDONLY));
	EACH_BAD("stat64 path at", syscall(SYS_stat64, p, page));
	EACH_BAD("fstat64 buffer at", syscall(SYS_fstat64, fd, p));
	EACH_BAD("statx path at", syscall(SYS_statx, AT_FDCWD, p, 0, 0x7ff, page));
	EACH_BAD("statx buffer at", syscall(SYS_statx, AT_FDCWD, "etc/hello.txt", 0, 0x7ff, p));
	EACH_BAD("getdents64 buffer at", syscall(SYS_getdents64, dir, p, 4096));
	EACH_BAD("_llseek result at", syscall(SYS__llseek, fd, 0, 0, p, SEEK_SET));
	EACH_BAD("readlink path at", syscall(SYS_readlink, p, (char[64]){0}, 64));
	EACH_BAD("uname buffer at", syscall(SYS_uname, p));
	EACH_BAD("sysinfo buffer at", syscall(SYS_sysinfo, p));
	EACH_BAD("ugetrlimit buffer at", syscall(SYS_ugetrlimit, RLIMIT_STACK, p));
	EACH_BAD("clock_gettime buffer at", syscall(SYS_clock_gettime, 1, p));
	EACH_BAD("clock_gettime64 buffer at", syscall(SYS_clock_gettime64, 1, p));
	EACH_BAD("nanosleep request at", syscall(SYS_nanosleep, p, 0));
	EACH_BAD("getrandom buffer at", syscall(SYS_getrandom, p, 16, 0));
	EACH_BAD("set_thread_area descriptor at", syscall(SYS_set_thread_area, p));
	EACH_BAD("execve path at", syscall(SYS_execve, p, (char *[]){NULL}, (char *[]){NULL}));
	/* wait4 reaps the child before it finds it cannot store the status. */
	for (int i = 1; i < 4; i++) {
		fflush(stdout);
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		long r = syscall(SYS_wait4, c, bad[i], 0, 0);
		int e = errno;
		int gone = waitpid(c, NULL, 0) == -1 && errno == ECHILD;
		printf("wait4 status at %s: %s, child reaped all the same: %s\n", bad_name[i],
		       r == -1 ? errno_name(e) : "ok", gone ? "yes" : "no");
	}
	printf("a bad pointer changed nothing: the file offset is %ld\n",
	       (long)lseek(fd, 0, SEEK_CUR));
	close(fd);
	close(dir);
	return conform_end();
}
