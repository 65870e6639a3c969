/* Toyix's first program, /init in the root file system.
 *
 * An ordinary Linux i386 program (gcc -m32 -static, glibc): it runs the
 * same on Linux.  For now it greets and exits 0, which under `test=init`
 * ends QEMU with the pass code (SPEC section 5). */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("init: hello from user space (%s, %d argument%s)\n", argc > 0 ? argv[0] : "?",
	       argc - 1, argc == 2 ? "" : "s");
	for (int i = 1; i < argc; i++)
		printf("init: argv[%d] = %s\n", i, argv[i]);
	fflush(stdout);
	return 0;
}
