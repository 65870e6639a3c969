/* A program copied into the writable tmp/ runs from there: exec reads a RAM
 * file's headers and pages (its bytes are pages, not one block), and the
 * copy is the same program. */
#include <fcntl.h>
#include <sys/stat.h>

#include "conform.h"

#define COPY "tmp/hello-copy"

static long copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		return -1;
	static char buf[7000]; /* not a whole page: writes straddle pages */
	long total = 0, n;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n)
			return -1;
		total += n;
	}
	close(in);
	close(out);
	return total;
}

int main(void)
{
	conform_start("exec_tmp");
	umask(022);
	long size = copy_file("bin/hello", COPY);
	struct stat st;
	yes_no("copied whole", size > 0 && stat(COPY, &st) == 0 && st.st_size == size);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {"hello-copy", NULL};
		execv(COPY, argv);
		printf("execv: %s\n", errno_name(errno));
		_exit(1);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	printf("the copy: %s\n", status_text(status));
	result("unlink", unlink(COPY));
	return conform_end();
}
