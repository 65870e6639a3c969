/* prctl's process name (PR_SET_NAME, PR_GET_NAME): what ps and BusyBox use
 * it for.  The name is cut to 15 characters; an unknown option is EINVAL;
 * a bad pointer is EFAULT; a child inherits the name and exec resets it. */
#include <sys/prctl.h>

#include "conform.h"

static void child_reads_the_name(void)
{
	char name[16] = {0};
	prctl(PR_GET_NAME, name);
	printf("child's name: %s\n", name);
}

int main(void)
{
	conform_start("prctl_name");
	char name[16] = {0};
	result("set a short name", prctl(PR_SET_NAME, "toyname"));
	result("get it", prctl(PR_GET_NAME, name));
	printf("name: %s\n", name);
	result("set a long name", prctl(PR_SET_NAME, "abcdefghijklmnopqrstuvwxyz"));
	memset(name, 0, sizeof(name));
	prctl(PR_GET_NAME, name);
	printf("name cut to %zu characters: %s\n", strlen(name), name);
	in_child("a child", child_reads_the_name);
	result("an unknown option", prctl(0x7FFF1234, 0));
	result("get into a bad pointer", prctl(PR_GET_NAME, (char *)4));
	result("set from a bad pointer", prctl(PR_SET_NAME, (char *)4));
	printf("== end\n");
	return 0;
}
