/* The formatting and command-line edge cases, checked inside the kernel too
 * (the host tests cover them in depth; this proves the i686 build agrees). */
#include <stdint.h>

#include "kernel/ktest.h"
#include "lib/cmdline.h"
#include "lib/format.h"
#include "lib/string.h"

#define EXPECT_FORMAT(t, want, ...)                                                                \
	do {                                                                                       \
		char buf_[64];                                                                     \
		ksnprintf(buf_, sizeof(buf_), __VA_ARGS__);                                        \
		KT_EXPECT_EQ(t, strcmp(buf_, want), 0);                                            \
	} while (0)

KTEST(format, numbers_at_their_edges)
{
	EXPECT_FORMAT(t, "0", "%d", 0);
	EXPECT_FORMAT(t, "-1", "%d", -1);
	EXPECT_FORMAT(t, "-2147483648", "%d", INT32_MIN);
	EXPECT_FORMAT(t, "4294967295", "%u", 0xFFFFFFFFu);
	EXPECT_FORMAT(t, "ffffffff", "%x", 0xFFFFFFFFu);
	EXPECT_FORMAT(t, "0x0000ABCD", "%p", (void *)0xABCD);
	EXPECT_FORMAT(t, "00042|42   |   42", "%05d|%-5d|%5d", 42, 42, 42);
	EXPECT_FORMAT(t, "-0042", "%05d", -42);
	EXPECT_FORMAT(t, "18446744073709551615", "%llu", 0xFFFFFFFFFFFFFFFFull);
	EXPECT_FORMAT(t, "0x0000000100000000", "0x%016llX", 0x100000000ull);
}

KTEST(format, truncation_keeps_the_full_length)
{
	char buf[4];
	KT_EXPECT_EQ(t, ksnprintf(buf, sizeof(buf), "%s", "abcdef"), 6);
	KT_EXPECT_EQ(t, strcmp(buf, "abc"), 0);
}

KTEST(cmdline, kernel_path_is_skipped)
{
	char v[16];
	KT_EXPECT_TRUE(t, cmdline_get("/boot/toyix.elf test=boot", "test", v, sizeof(v)));
	KT_EXPECT_EQ(t, strcmp(v, "boot"), 0);
	KT_EXPECT_TRUE(t, !cmdline_get("test", "test", v, sizeof(v)));
	KT_EXPECT_TRUE(t, cmdline_get("test=ud2", "test", v, sizeof(v)));
	KT_EXPECT_EQ(t, strcmp(v, "ud2"), 0);
	KT_EXPECT_TRUE(t, !cmdline_get("build/toyix.elf tests=x", "test", v, sizeof(v)));
	KT_EXPECT_TRUE(t, !cmdline_get("k test=waytoolongforthebuffer", "test", v, 8));
}
