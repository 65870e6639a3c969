# Host unit tests (cmocka), included by the top-level Makefile.
#
#   make host-test     builds every tests/host/test_*.c into build/host/ and
#                      runs each; tests/host/run.sh prints one line per
#                      binary and writes "passed failed" to build/host/summary.
#
# Each test links lib/format.c, lib/cmdline.c, drivers/console.c and the fake machine
# (tests/host/fake_arch.c), plus whatever sources it names on a line
#     // HOST_LINK: mm/pmm.c mm/memmap.c
# The kernel's lib/string.c is never linked: on the host, libc provides it.
# A test that does not build counts as a failure; the others still run.

HOST_B := build/host
HOST_SUMMARY := $(HOST_B)/summary
HOST_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	-DTOYIX_HOST -Itests/host/include -Iinclude -Iarch/x86/include -Itests/common -Itests/host -MMD -MP
HOST_LDLIBS := -lcmocka
HOST_COMMON_SRCS := lib/format.c lib/cmdline.c lib/status.c drivers/console.c tests/host/fake_arch.c

HOST_TEST_SRCS := $(sort $(wildcard tests/host/test_*.c))
HOST_TEST_BINS := $(HOST_TEST_SRCS:tests/host/%.c=$(HOST_B)/%)

host_obj = $(patsubst %.c,$(HOST_B)/obj/%.o,$(1))
host_link_srcs = $(shell sed -n 's|^[[:space:]]*//[[:space:]]*HOST_LINK:||p' $(1))

$(HOST_B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

# One rule per test, so each gets its own HOST_LINK list.
define host_test_rule
$(HOST_B)/$(1): $(call host_obj,tests/host/$(1).c $(HOST_COMMON_SRCS) \
		$(call host_link_srcs,tests/host/$(1).c))
	$$(HOSTCC) $$(HOST_CFLAGS) -o $$@ $$^ $$(HOST_LDLIBS)
endef
$(foreach t,$(HOST_TEST_BINS:$(HOST_B)/%=%),$(eval $(call host_test_rule,$(t))))

# Build each test on its own (a stale binary of a test that no longer builds
# is removed, never run), then run them all.
host-test:
	@rm -f $(HOST_SUMMARY)
	@for t in $(HOST_TEST_BINS); do \
		$(MAKE) -s --no-print-directory $$t || rm -f $$t; \
	done; \
	tests/host/run.sh $(HOST_SUMMARY) $(HOST_TEST_BINS)

-include $(shell find $(HOST_B)/obj -name '*.d' 2>/dev/null)
