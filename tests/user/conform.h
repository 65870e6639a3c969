/* Helpers shared by the conformance programs of tests/user/.
 *
 * Each program prints what it observes, and only what is the same from
 * run to run and between Linux and Toyix: no addresses, pids, times, inode
 * or device numbers; relative facts ("differs: yes"), decoded wait
 * statuses, errno names, sorted listings.  Paths are relative to the root
 * of the initrd, so a program runs on Linux with build/initrd-root as its
 * current directory.  scripts/user_conformance.py compares the output with
 * tests/user/NAME.expected, recorded on Linux.
 *
 * stdout is line buffered, so nothing printed before a fork() is printed
 * twice; the programs write nothing to stderr. */
#ifndef TESTS_USER_CONFORM_H
#define TESTS_USER_CONFORM_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096u

static inline const char *errno_name(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{EPERM, "EPERM"},
		{ENOENT, "ENOENT"},
		{ESRCH, "ESRCH"},
		{EINTR, "EINTR"},
		{EIO, "EIO"},
		{ENXIO, "ENXIO"},
		{E2BIG, "E2BIG"},
		{ENOEXEC, "ENOEXEC"},
		{EBADF, "EBADF"},
		{ECHILD, "ECHILD"},
		{EAGAIN, "EAGAIN"},
		{ENOMEM, "ENOMEM"},
		{EACCES, "EACCES"},
		{EFAULT, "EFAULT"},
		{EBUSY, "EBUSY"},
		{EEXIST, "EEXIST"},
		{ENODEV, "ENODEV"},
		{ENOTDIR, "ENOTDIR"},
		{EISDIR, "EISDIR"},
		{EINVAL, "EINVAL"},
		{EMFILE, "EMFILE"},
		{ENOTTY, "ENOTTY"},
		{EFBIG, "EFBIG"},
		{ENOSPC, "ENOSPC"},
		{ESPIPE, "ESPIPE"},
		{EROFS, "EROFS"},
		{EPIPE, "EPIPE"},
		{ERANGE, "ERANGE"},
		{ENAMETOOLONG, "ENAMETOOLONG"},
		{ENOSYS, "ENOSYS"},
		{ENOTEMPTY, "ENOTEMPTY"},
		{ELOOP, "ELOOP"},
		{EOVERFLOW, "EOVERFLOW"},
	};
	static char unknown[32];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(unknown, sizeof(unknown), "errno %d", e);
	return unknown;
}

static inline const char *signal_name(int sig)
{
	static char unknown[32];
	switch (sig) {
	case SIGILL: return "SIGILL";
	case SIGTRAP: return "SIGTRAP";
	case SIGABRT: return "SIGABRT";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case SIGKILL: return "SIGKILL";
	case SIGSEGV: return "SIGSEGV";
	case SIGTERM: return "SIGTERM";
	default: snprintf(unknown, sizeof(unknown), "signal %d", sig); return unknown;
	}
}

/* A wait status in words, as a person would read it. */
static inline const char *status_text(int status)
{
	static char text[64];
	if (WIFEXITED(status))
		snprintf(text, sizeof(text), "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(text, sizeof(text), "killed by %s", signal_name(WTERMSIG(status)));
	else
		snprintf(text, sizeof(text), "status 0x%x", status);
	return text;
}

/* Prints "what: ok" for a result that is not -1, "what: NAME" for -1 with
 * errno (how glibc's syscall() and wrappers report errors). */
static inline void result(const char *what, long rc)
{
	if (rc == -1)
		printf("%s: %s\n", what, errno_name(errno));
	else
		printf("%s: ok\n", what);
}

/* The same for a call whose value is part of what it shows. */
static inline void result_value(const char *what, long rc)
{
	if (rc == -1)
		printf("%s: %s\n", what, errno_name(errno));
	else
		printf("%s: %ld\n", what, rc);
}

static inline void yes_no(const char *what, int cond)
{
	printf("%s: %s\n", what, cond ? "yes" : "no");
}

/* Runs fn in a child and prints how the child ended. */
static inline int in_child(const char *what, void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("%s: fork failed: %s\n", what, errno_name(errno));
		return -1;
	}
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	int status = 0;
	if (waitpid(pid, &status, 0) != pid)
		printf("%s: waitpid failed: %s\n", what, errno_name(errno));
	else
		printf("%s: %s\n", what, status_text(status));
	return status;
}

/* Call first: line-buffered stdout, no core files (a faulting child must
 * not leave one in the tree the programs read), and a heading. */
static inline void conform_start(const char *name)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none); /* not every kernel has it; nothing depends on it */
	printf("== %s\n", name);
}

static inline int conform_end(void)
{
	printf("== end\n");
	fflush(stdout);
	return 0;
}

#endif
