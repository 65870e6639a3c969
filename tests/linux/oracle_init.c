/* PID 1 of the Linux virtual machine that records what the conformance
 * programs print on Linux (scripts/user_conformance.py, when the host
 * itself cannot run i386 programs).
 *
 * Built with gcc -m32 -static like the programs; the kernel passes the
 * words after `--` on its command line as argv[1..], one program name
 * each.  For each it prints a begin marker, runs bin/NAME with the root
 * as its current directory and stdout and stderr on the console, waits,
 * and prints an end marker with the wait status.  Then it powers the
 * machine off.  The markers start with "@@oracle " so program output
 * cannot be taken for them. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#define TIMEOUT_SECONDS 60

int main(int argc, char **argv)
{
	static char *envp[] = {"HOME=/", "TERM=linux", "PATH=/bin", NULL};
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (chdir("/") != 0)
		printf("@@oracle chdir failed\n");
	/* Every Linux system has /proc mounted (the archive has the
	 * directory); the programs read it as they read Toyix's. */
	if (mount("proc", "/proc", "proc", 0, NULL) != 0)
		printf("@@oracle mounting /proc failed\n");
	for (int i = 1; i < argc; i++) {
		char path[256];
		snprintf(path, sizeof(path), "bin/%s", argv[i]);
		printf("@@oracle begin %s\n", argv[i]);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			char *args[] = {path, NULL};
			setpgid(0,
				0); /* its own group, so whatever it leaves behind can be ended */
			alarm(TIMEOUT_SECONDS); /* a hung program ends as SIGALRM, not a hung VM */
			execve(path, args, envp);
			printf("@@oracle exec %s failed\n", path);
			_exit(127);
		}
		int status = 0;
		while (waitpid(pid, &status, 0) < 0)
			;
		/* Anything the program left running goes, and its orphans,
		 * which end up here, are reaped. */
		kill(-pid, SIGKILL);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		printf("@@oracle end %s status 0x%x\n", argv[i], (unsigned)status);
	}
	printf("@@oracle done\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
