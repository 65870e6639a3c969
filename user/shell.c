/* /init when BusyBox is in the root file system: the shell on the console.
 *
 * The kernel starts /init with argv[0] "/init"; BusyBox picks its applet
 * by the name it is called as, so exec'ing it straight would run BusyBox's
 * own init (inittab, virtual terminals) instead of a shell.  This program
 * calls it as "sh", which on a terminal is interactive, with the
 * environment the kernel gave /init.  Should the shell be missing, it says
 * so and fails, which under test=init is the fail code.
 *
 * First it makes the console its controlling terminal, as BusyBox's
 * cttyhack or `setsid -c` would: a new session, then TIOCSCTTY.  Linux
 * never gives /dev/console to a session by itself, and without a
 * controlling terminal the shell turns job control off and Ctrl-C reaches
 * nobody. */
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
	char *argv[] = {"sh", NULL};
	if (setsid() < 0 || ioctl(0, TIOCSCTTY, 0) < 0)
		perror("shell: no controlling terminal (Ctrl-C will not interrupt)");
	execve("/bin/sh", argv, environ);
	perror("shell: /bin/sh");
	return 127;
}
