/* fork and wait: the child is a copy, exit codes and signals come back in
 * Linux's status encoding, waitpid picks the child it names, and errors
 * are ECHILD. */
#include <stdint.h>

#include "conform.h"

static int global = 10;

static void fault_null(void)
{
	*(volatile int *)0 = 1;
}

int main(void)
{
	conform_start("fork_wait");
	pid_t me = getpid();
	int local = 20;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("child: getppid is the parent: %s\n", getppid() == me ? "yes" : "no");
		printf("child: getpid differs from the parent: %s\n",
		       getpid() != me ? "yes" : "no");
		printf("child: sees global %d local %d\n", global, local);
		global = 11;
		local = 21;
		exit(3);
	}
	int status;
	pid_t w = waitpid(pid, &status, 0); /* before printing: the child prints too */
	yes_no("fork returned a child pid", pid > 0 && pid != me);
	yes_no("waitpid returned that pid", w == pid);
	printf("status: WIFEXITED %d WEXITSTATUS %d raw 0x%x\n", WIFEXITED(status),
	       WEXITSTATUS(status), status);
	printf("parent still has global %d local %d\n", global, local);

	/* Only the low 8 bits of an exit code survive. */
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(256 + 5);
	waitpid(pid, &status, 0);
	printf("_exit(261): %s\n", status_text(status));
	fflush(stdout);
	if ((pid = fork()) == 0)
		syscall(SYS_exit_group, 255);
	waitpid(pid, &status, 0);
	printf("exit_group(255): %s\n", status_text(status));

	int s = in_child("NULL write", fault_null);
	printf("raw status of a SIGSEGV death: 0x%x\n", s & 0x7f);

	/* Three children, reaped by wait() in whatever order they end. */
	pid_t kids[3];
	for (int i = 0; i < 3; i++) {
		fflush(stdout);
		if ((kids[i] = fork()) == 0)
			_exit(40 + i);
	}
	int seen[3] = {0, 0, 0};
	for (int i = 0; i < 3; i++) {
		pid_t r = wait(&status);
		for (int k = 0; k < 3; k++)
			if (r == kids[k] && WIFEXITED(status) && WEXITSTATUS(status) == 40 + k)
				seen[k]++;
	}
	yes_no("wait() reaped the three, each with its own code",
	       seen[0] == 1 && seen[1] == 1 && seen[2] == 1);

	/* waitpid for a particular child leaves the other waiting. */
	fflush(stdout);
	pid_t a = fork();
	if (a == 0)
		_exit(1);
	fflush(stdout);
	pid_t b = fork();
	if (b == 0)
		_exit(2);
	w = waitpid(b, &status, 0);
	yes_no("waitpid(b) returned b with code 2", w == b && WEXITSTATUS(status) == 2);
	w = waitpid(a, &status, 0);
	yes_no("waitpid(a) returned a with code 1", w == a && WEXITSTATUS(status) == 1);

	/* wait4 with rusage, and WNOHANG with nothing left. */
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(9);
	struct rusage ru;
	w = wait4(pid, &status, 0, &ru);
	yes_no("wait4 with rusage", w == pid && WEXITSTATUS(status) == 9);
	result("wait with no children", wait(&status));
	result("waitpid(-1, WNOHANG) with no children", waitpid(-1, &status, WNOHANG));
	result("waitpid of a pid that is not a child", waitpid(me, &status, 0));
	result("waitpid with bad options", waitpid(-1, &status, 0x12345600));

	/* vfork: the parent waits until the child has exited. */
	fflush(stdout);
	pid = vfork();
	if (pid == 0)
		_exit(7);
	waitpid(pid, &status, 0);
	printf("vfork child: %s\n", status_text(status));
	return conform_end();
}
