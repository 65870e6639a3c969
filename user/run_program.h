/* Runs a program as a child and waits for it: the wait status, or -1 when
 * it could not be started or waited for.  The child gets an empty
 * environment; 127 is its status when execve failed, as a shell reports. */
#ifndef USER_RUN_PROGRAM_H
#define USER_RUN_PROGRAM_H

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static inline int run_program(const char *path, char *const argv[])
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *envp[] = {NULL};
		execve(path, argv, envp);
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

#endif
