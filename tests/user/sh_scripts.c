/* BusyBox's shell runs the scripts of etc/scripts/ (user/rootfs/), each in
 * a child with stderr on stdout; what they print and how they end is the
 * recording, so the same BusyBox binary is compared on Linux and Toyix. */
#include <dirent.h>

#include "conform.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	conform_start("sh_scripts");
	DIR *d = opendir("etc/scripts");
	if (!d) {
		printf("etc/scripts: %s\n", errno_name(errno));
		return conform_end();
	}
	static char names[32][256];
	char *sorted[32];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 32)
		if (e->d_name[0] != '.') {
			snprintf(names[n], sizeof(names[n]), "%s", e->d_name);
			sorted[n] = names[n];
			n++;
		}
	closedir(d);
	qsort(sorted, (size_t)n, sizeof(sorted[0]), cmp);
	for (int i = 0; i < n; i++) {
		char path[300];
		snprintf(path, sizeof(path), "etc/scripts/%s", sorted[i]);
		printf("-- %s\n", sorted[i]);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			dup2(1, 2);
			char *argv[] = {"sh", path, NULL};
			char *envp[] = {"PATH=/bin", "HOME=/", NULL};
			execve("bin/busybox", argv, envp);
			_exit(127);
		}
		int status = 0;
		waitpid(pid, &status, 0);
		printf("-- %s: %s\n", sorted[i], status_text(status));
	}
	return conform_end();
}
