# Toyix build.  `make` builds the gcc kernel into build/, `make CC=clang` the
# clang kernel into build/clang/.  `make help` lists every target.

# -march=i486: the oldest CPU Toyix runs on; what came later (rdtsc, global
# pages, CR4) is used only when CPUID reports it (arch/cpu_features.h).
# -mregparm=3, as Linux builds i386: the first three arguments travel in EAX,
# EDX and ECX, not on the stack.  Functions that assembly calls are marked
# asmlinkage (arch/cpu.h) and keep the stack convention.
ifeq ($(origin CC),default)
CC := gcc
endif
ifneq ($(findstring clang,$(CC)),)
COMPILER := clang
B := build/clang
LD := ld.lld
ARCH_CFLAGS := --target=i686-unknown-elf -march=i486 -mno-sse -mno-mmx -msoft-float -mregparm=3
else
COMPILER := gcc
B := build
LD := ld
ARCH_CFLAGS := -m32 -march=i486 -mgeneral-regs-only -fno-pic -mregparm=3
endif

SHELL := /bin/bash
NASM ?= nasm
QEMU ?= qemu-system-i386
PYTHON ?= python3
HOSTCC ?= gcc

CFLAGS := $(ARCH_CFLAGS) -std=gnu11 -O2 -g -ffreestanding -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Iinclude -Iarch/x86/include -Itests/common -MMD -MP
LDFLAGS := -m elf_i386 -nostdlib -z noexecstack -T arch/x86/linker.ld
NASMFLAGS := -f elf32 -g -F dwarf -Iarch/x86/

# Every .c and .asm under these folders is part of the kernel.
KERNEL_DIRS := arch/x86 drivers kernel lib mm tests/kernel tests/common
C_SRCS := $(sort $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c)))
ASM_SRCS := $(sort $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.asm)))
OBJS := $(C_SRCS:%.c=$(B)/%.o) $(ASM_SRCS:%.asm=$(B)/%.asm.o)

ELF := $(B)/toyix.elf
ISO := $(B)/toyix.iso
TEST_ISO := $(B)/toyix-test.iso
# The root file system: built once in build/ for both compilers (user/user.mk).
INITRD := build/initrd.cpio

.PHONY: FORCE all iso run debug gdb check test test-exception test-page-fault bench soak \
	host-test fuzz format format-check lint clean deps help compile_commands.json
.DELETE_ON_ERROR:

all: $(ELF) $(ISO) $(INITRD)
iso: $(ISO)

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Objects depend on the flags they were built with: changing CFLAGS (or the
# compiler) rebuilds everything instead of linking stale objects.
FLAGS_STAMP := $(B)/.build-flags
FLAGS_TEXT := $(CC) $(CFLAGS) | $(NASM) $(NASMFLAGS) | $(LD) $(LDFLAGS)
$(FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(FLAGS_TEXT)' | cmp -s - $@ || echo '$(FLAGS_TEXT)' > $@
FORCE:
$(OBJS) $(B)/ksyms.o $(B)/ksyms_empty.o: $(FLAGS_STAMP)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NASM    $@")
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) $< -o $@

# Two link passes: the first kernel's function symbols become a table that
# the second links in, so a panic can name functions.  The table sits in
# .rodata, after all of .text, so no function moves between the passes.
$(B)/ksyms_empty.c:
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) scripts/gen_ksyms.py /dev/null $@
$(B)/toyix.pass1.elf: $(OBJS) $(B)/ksyms_empty.o arch/x86/linker.ld
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(B)/ksyms_empty.o
$(B)/ksyms.c: $(B)/toyix.pass1.elf scripts/gen_ksyms.py
	$(Q)nm $< > $@.nm
	$(Q)$(PYTHON) scripts/gen_ksyms.py $@.nm $@
$(B)/ksyms.o $(B)/ksyms_empty.o: %.o: %.c
	$(Q)$(CC) $(CFLAGS) -c $< -o $@
$(ELF): $(OBJS) $(B)/ksyms.o arch/x86/linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(B)/ksyms.o
	@cmp -s <(nm $(B)/toyix.pass1.elf | grep -i ' t ' ) <(nm $@ | grep -i ' t ') || \
		{ echo "ksyms: text moved between link passes" >&2; rm -f $@; exit 1; }

# grub.cfg: the default entry boots at once with no arguments; the test image
# passes test=boot so the GRUB path is checked end to end and ends on the exit port.
# The root file system (SPEC section 5) is the first module, after the kernel.
define make_iso
	@rm -rf $(1).dir && mkdir -p $(1).dir/boot/grub
	@$(if $(Q),echo "  ISO     $(1)")
	$(Q)cp $(ELF) $(1).dir/boot/toyix.elf
	$(Q)cp $(INITRD) $(1).dir/boot/initrd.cpio
	$(Q)printf 'set timeout=0\nset default=0\nmenuentry "Toyix" {\n  multiboot /boot/toyix.elf $(2)\n  module /boot/initrd.cpio\n  boot\n}\n' \
		> $(1).dir/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $(1) $(1).dir >/dev/null 2>&1
endef

$(ISO): $(ELF) $(INITRD)
	$(call make_iso,$@,)
$(TEST_ISO): $(ELF) $(INITRD)
	$(call make_iso,$@,test=boot)

deps:
	@scripts/install-deps.sh

run: deps all
	scripts/run.sh $(ISO)

debug: deps all
	scripts/run.sh --debug $(ISO)

gdb:
	gdb -q -x scripts/gdbinit $(ELF)

# The seed's three acceptance checks, through the harness.
test: deps all $(TEST_ISO)
	$(PYTHON) scripts/qemu_test.py --build $(B) --only boot-lines --only boot-lines-iso
test-exception: deps all
	$(PYTHON) scripts/qemu_test.py --build $(B) --only ud2
test-page-fault: deps all
	$(PYTHON) scripts/qemu_test.py --build $(B) --only pagefault

check: deps
	@scripts/check.sh

bench: deps all
	$(PYTHON) scripts/bench.py --build $(B)

# Not part of check: stress, sysfuzz and the conformance programs on one
# boot for SECONDS seconds (scripts/soak.sh, kernel/soak.c).
SECONDS ?= 60
soak: deps all
	scripts/soak.sh $(ELF) $(SECONDS)

# Sources the kernel and host tests are built from, for the tools below.
ALL_C := $(sort $(C_SRCS) $(wildcard tests/host/*.c tests/fuzz/*.c user/*.c tests/user/*.c tests/abi/*.c tests/linux/*.c))
ALL_H := $(shell find include arch tests user -name '*.h')

format:
	clang-format -i $(ALL_C) $(ALL_H)

# Fails, naming the files, when the tree has drifted from .clang-format.
format-check:
	@clang-format --dry-run -Werror $(ALL_C) $(ALL_H) 2>&1 | grep -o '^[^:]*:[0-9]*' | sort -u -t: -k1,1 | \
		sed 's/^/format-check: not formatted: /' | grep . && exit 1 || true

# cppcheck over the kernel (the host tests have their own sanitizers).
# comparePointers is off: walking a linker-built table compares its
# start and end symbols, which cppcheck takes for unrelated objects.
lint:
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
		--inline-suppr --suppress=missingIncludeSystem --suppress=comparePointers -Iinclude -Iarch/x86/include -Itests/common \
		-D__i386__ $(C_SRCS)

# One entry per kernel source, with the flags make uses, for clangd and editors.
compile_commands.json:
	@$(PYTHON) scripts/compile_commands.py "$(CC) $(CFLAGS)" $(C_SRCS) > $@
	@echo "wrote $@"

help:
	@echo "make              build build/toyix.elf and build/toyix.iso (gcc; CC=clang -> build/clang/)"
	@echo "make run          boot the ISO in QEMU (serial on this terminal without a display)"
	@echo "make check        every test: host units, fuzz smoke, QEMU scenarios, both compilers"
	@echo "make test         the seed's boot-lines test; test-exception, test-page-fault likewise"
	@echo "make bench        instruction counts under -icount -> build/bench.json"
	@echo "make soak SECONDS=N  stress, sysfuzz and conformance programs on one boot (not in check)"
	@echo "make debug / gdb  QEMU halted with a GDB stub / attach GDB with symbols"
	@echo "make initrd       user programs (gcc -m32 -static) and build/initrd.cpio"
	@echo "make user-check   conformance programs against their Linux recordings"
	@echo "make host-test    host unit tests only;  make fuzz [FUZZ_SECONDS=N]  run the fuzzers"
	@echo "make format | lint | compile_commands.json | clean"

clean:
	rm -rf build compile_commands.json

include user/user.mk
include tests/host/host.mk
include tests/fuzz/fuzz.mk

-include $(OBJS:.o=.d)
