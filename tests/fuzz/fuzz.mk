# libFuzzer targets (tests/fuzz/fuzz_*.c), included by the top-level Makefile
# after tests/host/host.mk.
#
#   make fuzz [FUZZ_SECONDS=N]  every target for N seconds (default 60); the
#                               corpus grows in build/fuzz/corpus/<target>/,
#                               crashes land in build/fuzz/artifacts/<target>/
#   make fuzz-smoke             every target for FUZZ_SMOKE_SECONDS (3) from
#                               its seed corpus alone, with -seed=1, as
#                               `make check` runs it; writes "passed failed"
#                               to build/fuzz/summary
#
# Built with clang -fsanitize=fuzzer,address,undefined (libclang-rt-dev has
# the runtime; scripts/install-deps.sh installs it).  A target links the
# sources named on its `// FUZZ_LINK:` lines; one that boots the memory
# system (tests/host/mm_fixture.c) also gets the host tests' common sources
# (the fake machine) and cmocka.  Seeds: tests/fuzz/corpus/<target>/.

FUZZ_B := build/fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	-DTOYIX_HOST -Itests/host/include -Iinclude -Iarch/x86/include -Itests/common -Itests/host -MMD -MP
FUZZ_LDLIBS := -lcmocka
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz_%)

fuzz_link_srcs = $(shell sed -n 's|^[[:space:]]*//[[:space:]]*FUZZ_LINK:||p' $(1))
fuzz_srcs = tests/fuzz/fuzz_$(1).c $(call fuzz_link_srcs,tests/fuzz/fuzz_$(1).c) \
	$(if $(filter tests/host/mm_fixture.c,$(call fuzz_link_srcs,tests/fuzz/fuzz_$(1).c)),$(HOST_COMMON_SRCS))

define fuzz_rule
$(FUZZ_B)/fuzz_$(1): $(call fuzz_srcs,$(1))
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -MF $$@.d -o $$@ $$(filter %.c,$$^) $$(FUZZ_LDLIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

.PHONY: fuzz-smoke fuzz-build

fuzz-build: $(FUZZ_BINS)

# A target that does not build counts as a failure; the others still run.
fuzz: deps
	@for t in $(FUZZ_BINS); do $(MAKE) -s --no-print-directory $$t || rm -f $$t; done; \
	tests/fuzz/run.sh --keep $(FUZZ_B)/summary $(FUZZ_SECONDS) $(FUZZ_BINS)

fuzz-smoke:
	@rm -f $(FUZZ_B)/summary
	@for t in $(FUZZ_BINS); do $(MAKE) -s --no-print-directory $$t || rm -f $$t; done; \
	tests/fuzz/run.sh --smoke $(FUZZ_B)/summary $(FUZZ_SMOKE_SECONDS) $(FUZZ_BINS)

-include $(wildcard $(FUZZ_B)/*.d)
