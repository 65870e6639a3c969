# User programs and the root file system, included by the top-level Makefile.
#
#   make initrd        build/initrd.cpio: the programs of user/*.c and the
#                      conformance programs of tests/user/*.c, each built with
#                      the stock toolchain (gcc -m32 -static, Debian's glibc
#                      from gcc-multilib) into build/user/, staged with the
#                      files of user/rootfs/ into build/initrd-root/, and
#                      packed by scripts/mkinitrd.py.  With BusyBox (Debian's
#                      busybox-static for i386, which scripts/install-deps.sh
#                      unpacks into build/busybox/) the tree has /bin/busybox,
#                      its applet links and /init = user/shell.c, which starts
#                      the shell on the console; /bin/init is user/init.c.
#
# The programs are ordinary Linux i386 programs: whatever compiler builds
# the kernel (CC=clang included), they are built by gcc, once, into build/;
# both kernels' ISOs load the same archive.  Building them also compiles
# tests/abi/linux_abi_m32.c, which fails when include/uapi/ disagrees with
# the system's Linux headers.

USER_CC := gcc
USER_B := build/user
USER_CFLAGS := -m32 -static -O2 -std=gnu11 -g -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-result -Itests/user \
	-ffile-prefix-map=$(CURDIR)=.
INITRD_ROOT := build/initrd-root
ROOTFS_SRC := user/rootfs
ORACLE_INIT := build/linux-oracle/oracle_init

USER_PROGS := $(patsubst user/%.c,%,$(sort $(wildcard user/*.c)))
CONFORM_PROGS := $(patsubst tests/user/%.c,%,$(sort $(wildcard tests/user/*.c)))
USER_BINS := $(USER_PROGS:%=$(USER_B)/%) $(CONFORM_PROGS:%=$(USER_B)/%)
ROOTFS_ENTRIES := $(shell find $(ROOTFS_SRC) 2>/dev/null | sort)
BUSYBOX := build/busybox/bin/busybox

.PHONY: initrd user
initrd: $(INITRD)
user: $(USER_BINS)

# The programs depend on the flags they were built with, as the kernel's
# objects do.  -ffile-prefix-map keeps the checkout's path out of them, so
# the same sources give the same archive wherever they are built.
USER_FLAGS_STAMP := $(USER_B)/.build-flags
USER_FLAGS_TEXT := $(USER_CC) $(USER_CFLAGS)
$(USER_FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(USER_FLAGS_TEXT)' | cmp -s - $@ || echo '$(USER_FLAGS_TEXT)' > $@
$(USER_BINS) $(ORACLE_INIT): $(USER_FLAGS_STAMP)

$(USER_B)/%: user/%.c $(wildcard user/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  USERCC  $@")
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<

# bench_true has no C library (user/bench.c's exec_small): an explicit
# rule, which make prefers to the pattern above.
$(USER_B)/bench_true: user/bench_true.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  USERCC  $@")
	$(Q)$(USER_CC) $(USER_CFLAGS) -nostdlib -o $@ $<

$(USER_B)/%: tests/user/%.c $(wildcard tests/user/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  USERCC  $@")
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<

$(USER_B)/.abi-checked: tests/abi/linux_abi_m32.c $(wildcard include/uapi/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ABI     include/uapi against the system's -m32 headers")
	$(Q)$(USER_CC) -m32 -std=gnu11 -Wall -Wextra -Werror -Iinclude -fsyntax-only $<
	@touch $@

# Fetched (not installed) by install-deps; see README "BusyBox".
$(BUSYBOX):
	$(Q)scripts/install-deps.sh

# Staging starts from an empty tree, so the archive has exactly its
# inputs, and it is remade when one goes away: the folders of $(ROOTFS_SRC)
# are prerequisites (a folder's time moves when an entry is added or
# removed), and so is the list of names (a program deleted from user/ or
# tests/user/ leaves nothing newer behind, its old binary stays in
# build/user/), rewritten only when it changes.
INITRD_INPUTS := $(INITRD).inputs
INITRD_INPUTS_TEXT := $(ROOTFS_ENTRIES) $(USER_BINS)
$(INITRD_INPUTS): FORCE
	@mkdir -p $(dir $@)
	@echo '$(INITRD_INPUTS_TEXT)' | cmp -s - $@ || echo '$(INITRD_INPUTS_TEXT)' > $@

$(INITRD): $(USER_BINS) $(USER_B)/.abi-checked $(ROOTFS_ENTRIES) $(INITRD_INPUTS) scripts/mkinitrd.py \
		$(BUSYBOX)
	@$(if $(Q),echo "  INITRD  $@")
	$(Q)$(PYTHON) scripts/mkinitrd.py stage --root $(INITRD_ROOT) --files $(ROOTFS_SRC) \
		--init $(USER_B)/shell --busybox $(BUSYBOX) $(USER_BINS)
	$(Q)$(PYTHON) scripts/mkinitrd.py pack --root $(INITRD_ROOT) --out $@

# PID 1 of the Linux virtual machine that records or checks the
# conformance programs when the host cannot run i386 programs itself.
$(ORACLE_INIT): tests/linux/oracle_init.c
	@mkdir -p $(dir $@)
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<

# The conformance programs against their recordings (tests/user/*.expected):
# natively when this host runs i386 programs, else on Linux in QEMU, else
# skipped with a line saying why.  USER_CHECK_ARGS=--record re-records.
.PHONY: user-check
user-check: $(INITRD) $(ORACLE_INIT)
	$(PYTHON) scripts/user_conformance.py --check-host $(USER_CHECK_ARGS)
