/* One round of `make soak` (kernel/soak.c starts it as `soak ROUND`):
 * sysfuzz with seed ROUND, every other program of bin/ that exits by itself
 * (the conformance programs of tests/user/ and meminfo), the fork bomb and
 * the out-of-memory program, one after the other.  Each runs with its
 * stdin on a file, so none waits for a line.  Exits 0 when every program
 * exited 0; prints the ones that did not. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYSFUZZ_CALLS "1500"

/* Programs of bin/ that are not run from the listing: this one, those run
 * with their own arguments below, memhog (oom runs it) and init. */
static const char *const not_listed[] = {"soak", "sysfuzz", "forkbomb", "oom", "memhog", "init"};

static int run(const char *name, char *const argv[])
{
	char path[300];
	snprintf(path, sizeof(path), "bin/%s", name);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int in = open("etc/hostname", O_RDONLY);
		if (in >= 0 && in != 0) {
			dup2(in, 0);
			close(in);
		}
		char *envp[] = {"HOME=/", NULL};
		execve(path, argv, envp);
		_exit(127);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		printf("soak: %s could not be run\n", name);
		return 0;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	if (WIFSIGNALED(status))
		printf("soak: %s killed by signal %d\n", name, WTERMSIG(status));
	else
		printf("soak: %s exited %d\n", name, WEXITSTATUS(status));
	return 0;
}

static int listed(const char *name)
{
	for (size_t i = 0; i < sizeof(not_listed) / sizeof(not_listed[0]); i++)
		if (!strcmp(name, not_listed[i]))
			return 0;
	return name[0] != '.';
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	char *round = argc > 1 ? argv[1] : "1";
	int ok = 1, count = 0;
	char *fuzz[] = {"sysfuzz", round, SYSFUZZ_CALLS, NULL};
	ok &= run("sysfuzz", fuzz);
	count++;

	char *names[256];
	int n = 0;
	DIR *d = opendir("bin");
	for (struct dirent *e; d && (e = readdir(d)) && n < 256;)
		if (listed(e->d_name))
			names[n++] = strdup(e->d_name);
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++) {
		char *args[] = {names[i], NULL};
		ok &= run(names[i], args);
		count++;
		free(names[i]);
	}

	char *bomb[] = {"forkbomb", NULL};
	char *oom[] = {"oom", NULL};
	ok &= run("forkbomb", bomb);
	ok &= run("oom", oom);
	count += 2;
	printf("soak: round %s: %d programs, %s\n", round, count, ok ? "all exited 0" : "FAILED");
	return ok ? 0 : 1;
}
