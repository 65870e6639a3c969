/* /bin/bench_true: the smallest static program, for bench's exec_small.
 *
 * No C library: its entry point makes one exit(0) system call, so what
 * exec_small times is the kernel loading a program, not glibc starting
 * up.  user.mk builds it with -nostdlib. */
void _start(void);

/* Never used: it gives the program a TLS segment like every glibc program
 * of the root file system, which tests/host/test_elf.c expects of them. */
__thread int bench_true_tls;

void _start(void)
{
	__asm__ volatile("int $0x80" : : "a"(1), "b"(0));
	__builtin_unreachable();
}
