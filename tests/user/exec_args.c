/* execve: argv and envp arrive as given, the auxiliary vector describes
 * the new program, open descriptors survive (O_CLOEXEC ones do not), and
 * the errors of a bad execve leave the caller running. */
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>

#include "conform.h"

extern char _start[];
extern char **environ;

static const char *self = "bin/exec_args";

static uint32_t aux(const Elf32_auxv_t *v, uint32_t type, int *found)
{
	for (; v->a_type != AT_NULL; v++)
		if (v->a_type == type) {
			*found = 1;
			return v->a_un.a_val;
		}
	*found = 0;
	return 0;
}

/* The program as the exec'd child: print what arrived. */
static int child(int argc, char **argv, char **envp)
{
	printf("child: argc %d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("child: argv[%d] = [%s]\n", i, argv[i]);
	printf("child: argv[argc] is NULL: %s\n", argv[argc] == NULL ? "yes" : "no");
	int n = 0;
	for (char **e = envp; *e; e++, n++)
		printf("child: envp[%d] = [%s]\n", n, *e);
	printf("child: getenv(FOO) = %s\n", getenv("FOO"));

	/* The auxiliary vector follows envp's NULL on the initial stack. */
	char **e = envp;
	while (*e)
		e++;
	const Elf32_auxv_t *v = (const Elf32_auxv_t *)(e + 1);
	int f;
	printf("child: AT_PAGESZ %u\n", aux(v, AT_PAGESZ, &f));
	printf("child: AT_PHENT %u\n", aux(v, AT_PHENT, &f));
	uint32_t phdr = aux(v, AT_PHDR, &f);
	uint32_t phnum = aux(v, AT_PHNUM, &f);
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)(phdr - sizeof(Elf32_Ehdr));
	yes_no("child: AT_PHNUM is the file's e_phnum", f && eh->e_phnum == phnum);
	int load = 0, tls = 0;
	const Elf32_Phdr *ph = (const Elf32_Phdr *)phdr;
	for (uint32_t i = 0; i < phnum; i++) {
		load += ph[i].p_type == PT_LOAD;
		tls += ph[i].p_type == PT_TLS;
	}
	yes_no("child: AT_PHDR points at program headers with PT_LOAD and PT_TLS",
	       load > 0 && tls == 1);
	yes_no("child: AT_ENTRY is _start",
	       aux(v, AT_ENTRY, &f) == (uint32_t)(uintptr_t)_start && f);
	yes_no("child: AT_UID is getuid()", aux(v, AT_UID, &f) == getuid() && f);
	yes_no("child: AT_EUID is geteuid()", aux(v, AT_EUID, &f) == geteuid() && f);
	yes_no("child: AT_GID is getgid()", aux(v, AT_GID, &f) == getgid() && f);
	yes_no("child: AT_EGID is getegid()", aux(v, AT_EGID, &f) == getegid() && f);
	const uint8_t *rnd = (const uint8_t *)(uintptr_t)aux(v, AT_RANDOM, &f);
	int nonzero = 0;
	for (int i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	yes_no("child: AT_RANDOM points at 16 bytes, not all zero", f && rnd && nonzero);
	yes_no("child: AT_BASE is 0 or absent (static)", aux(v, AT_BASE, &f) == 0);
	yes_no("child: the stack holds argv above envp", (uintptr_t)argv < (uintptr_t)envp);

	/* Descriptors: the parent passed one plain and one O_CLOEXEC. */
	if (argc >= 5) {
		int fd = atoi(argv[3]), cfd = atoi(argv[4]);
		char buf[64] = {0};
		long n = read(fd, buf, 5);
		printf("child: inherited fd reads %ld bytes [%s]\n", n, buf);
		result("child: read of the O_CLOEXEC fd", read(cfd, buf, 5));
	}
	fflush(stdout);
	return 17;
}

static void exec_bad(void)
{
	char *args[] = {"x", NULL};
	char *env[] = {NULL};
	result("execve of a missing file", execve("bin/no-such-program", args, env));
	result("execve of a directory", execve("bin", args, env));
	result("execve of a file without execute permission", execve("etc/hello.txt", args, env));
	result("execve of an executable that is not ELF", execve("data/notelf.bin", args, env));
	result("execve with a NULL path", syscall(SYS_execve, 0, args, env));
	result("execve with argv at a bad address", syscall(SYS_execve, self, 16, env));
	result("execve with envp at a bad address", syscall(SYS_execve, self, args, 16));
	char *bad_arg[] = {"x", (char *)16, NULL};
	result("execve with a bad argv[1]", execve(self, bad_arg, env));
	printf("still running after the failed execs\n");
}

int main(int argc, char **argv, char **envp)
{
	/* Exec'd with an empty argv: Linux (since 5.18) then passes argc 1
	 * and argv[0] "", so the mode travels in the environment. */
	const char *mode = getenv("EXEC_ARGS_MODE");
	if (mode && strcmp(mode, "empty-argv") == 0) {
		printf("child: empty argv arrives as argc %d, argv[0] [%s]\n", argc,
		       argc > 0 && argv[0] ? argv[0] : "(null)");
		return 18;
	}
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child(argc, argv, envp);
	conform_start("exec_args");
	in_child("failed execs", exec_bad);

	int fd = open("etc/hello.txt", O_RDONLY);
	int cfd = open("etc/hello.txt", O_RDONLY | O_CLOEXEC);
	char fds[16], cfds[16];
	snprintf(fds, sizeof(fds), "%d", fd);
	snprintf(cfds, sizeof(cfds), "%d", cfd);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *args[] = {"exec_args", "child", "two words", fds, cfds, "", "last", NULL};
		char *env[] = {"FOO=bar", "EMPTY=", "X=1=2", NULL};
		execve(self, args, env);
		printf("execve failed: %s\n", errno_name(errno));
		_exit(1);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("parent: child %s\n", status_text(status));
	/* fork and exec share the open file, offset included. */
	char buf[8] = {0};
	long n = read(fd, buf, 5);
	printf("parent: then reads %ld bytes [%s]\n", n, buf);

	/* An exec with no arguments and no environment at all. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		char *none[] = {NULL};
		char *env[] = {"EXEC_ARGS_MODE=empty-argv", NULL};
		execve(self, none, env);
		_exit(1);
	}
	waitpid(pid, &status, 0);
	printf("parent: empty-argv child %s\n", status_text(status));
	(void)environ;
	return conform_end();
}
