/* The errno values of common mistakes, as Linux gives them, including the
 * ones glibc would hide or check itself (raw syscall() there). */
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "conform.h"

int main(void)
{
	conform_start("errnos");
	char buf[16];
	result("unknown system call 999", syscall(999));
	result("unknown system call 0x7fff", syscall(0x7fff));
	result("close(-1)", close(-1));
	result("close(99)", close(99));
	result("dup(99)", syscall(SYS_dup, 99));
	result("read(99)", read(99, buf, 1));
	result("write(99)", write(99, buf, 1));
	result("open missing", open("no/such/file", O_RDONLY));
	result("open a path under a file", open("etc/hello.txt/", O_RDONLY));
	result("open a directory for writing", open("data", O_WRONLY));
	result("lseek whence 99 on a file", lseek(open("etc/hello.txt", O_RDONLY), 0, 99));
	result("wait with no children", wait(NULL));
	result("waitpid bad options", waitpid(-1, NULL, 0x40000000 | 0x12340000));
	result("kill a pid that does not exist", kill(0x3fffffff, 0));
	result("mmap neither shared nor private",
	       syscall(SYS_mmap2, 0, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0));
	result("mmap length 0",
	       syscall(SYS_mmap2, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	result("mmap bad fd", syscall(SYS_mmap2, 0, PAGE, PROT_READ, MAP_PRIVATE, 99, 0));
	int d = open("data", O_RDONLY | O_DIRECTORY);
	result("mmap a directory", syscall(SYS_mmap2, 0, PAGE, PROT_READ, MAP_PRIVATE, d, 0));
	close(d);
	int f = open("etc/hello.txt", O_RDONLY);
	result("mmap shared writable of a read-only fd",
	       syscall(SYS_mmap2, 0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0));
	long m = syscall(SYS_mmap2, 0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
	result("mmap private writable of a read-only fd", m);
	if (m != -1)
		munmap((void *)m, PAGE);
	close(f);
	result("munmap unaligned", munmap((void *)(uintptr_t)0x10000001, PAGE));
	result("mprotect unmapped", mprotect((void *)(uintptr_t)0x70000000, PAGE, PROT_READ));
	result("ioctl on a regular file (TCGETS)",
	       ioctl(f = open("etc/hello.txt", O_RDONLY), 0x5401, buf));
	close(f);
	result("ioctl on fd 99", syscall(SYS_ioctl, 99, 0x5401, buf));
	result("getrandom with bad flags", syscall(SYS_getrandom, buf, 4, 0x1000));
	result("clock_gettime with clock 99", syscall(SYS_clock_gettime, 99, buf));
	result("nanosleep with nanoseconds 1e9",
	       syscall(SYS_nanosleep, (int32_t[]){0, 1000000000}, 0));
	result("nanosleep with negative seconds", syscall(SYS_nanosleep, (int32_t[]){-1, 0}, 0));
	result("ugetrlimit resource 99", syscall(SYS_ugetrlimit, 99, buf));
	result("execve a directory", execve("bin", (char *[]){"bin", NULL}, (char *[]){NULL}));
	return conform_end();
}
