/* /init when BusyBox is in the root file system: the shell on the console.
 *
 * The kernel starts /init with argv[0] "/init"; BusyBox picks its applet
 * by the name it is called as, so exec'ing it straight would run BusyBox's
 * own init (inittab, virtual terminals) instead of a shell.  This program
 * calls it as "sh", which on a terminal is interactive, with the
 * environment the kernel gave /init.  Should the shell be missing, it says
 * so and fails, which under test=init is the fail code. */
#include <stdio.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
	char *argv[] = {"sh", NULL};
	execve("/bin/sh", argv, environ);
	perror("shell: /bin/sh");
	return 127;
}
