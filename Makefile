# capOS top-level Makefile (non-recursive).
#
#   make            kernel ELF, boot image (ISO), everything else
#   make run        boot capOS in QEMU, serial on stdio (KVM=1, UEFI=1,
#                   ISO_BOOT=1; SYSTEM=system/x.capnp boots another manifest)
#   make run-shell  boot to the capability shell (docs/shell.md); Ctrl-a x quits
#   make gdb        boot halted with the GDB stub; then `gdb` in this directory
#   make test       every test (host, in-kernel, QEMU system); one summary line
#   make lint       clang-tidy, cppcheck, gcc -fanalyzer
#
# Each area keeps its rules in mk/<area>.mk, included below.  Conventions for
# fragments:
#   $(call host_test,NAME,SOURCES)  builds $(BUILD)/host/NAME with ASan+UBSan
#                                   and registers suite "host-NAME"
#   TEST_SUITES += NAME             plus a rule `suite-NAME:` whose recipe is
#                                   `$(SUITE) NAME command...`
.DEFAULT_GOAL := all
BUILD ?= build
SHELL := /bin/bash
# V=1 shows full command lines.
Q := $(if $(V),,@)

# ---- toolchains -----------------------------------------------------------
# Kernel/user code: gcc (default) or clang (`make CC=clang`).
CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
ifneq ($(findstring clang,$(CC)),)
KTARGET := --target=x86_64-unknown-none-elf
LD := ld.lld
COMPILER := clang
else
KTARGET :=
LD := ld
COMPILER := gcc
endif
HOSTCC ?= $(CC)
# $(BUILD)/.compiler names the compiler of the copies in $(BUILD)/ (kernel
# ELFs, $(BUILD)/user/): rewritten (so newer) only when the compiler changes.
COMPILER_STAMP := $(BUILD)/.compiler
$(shell mkdir -p $(BUILD); [ "$$(cat $(COMPILER_STAMP) 2>/dev/null)" = \
    "$(COMPILER)" ] || echo $(COMPILER) > $(COMPILER_STAMP))
# The ISO boot switch is ISO_BOOT=1; ISO=1 is accepted as the same.
ifdef ISO
ISO_BOOT ?= $(ISO)
endif

WARN := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
        -Wshadow -Wpointer-arith -Wvla
INCLUDES := -Iabi/include -Ilib/common/include -Ilib/capnp/include \
            -Ikernel/include -Ikernel/arch/x86_64/include -I$(BUILD)/gen

# Freestanding flags shared by kernel and user space.
FREE_CFLAGS := -std=gnu11 $(KTARGET) -ffreestanding -fno-common -fno-pic \
        -fno-stack-protector -fno-builtin -nostdinc \
        -Ilib/common/freestanding -isystem $(shell $(CC) -print-file-name=include) \
        -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx \
        -fno-omit-frame-pointer -O2 -g $(WARN) $(INCLUDES)
KERNEL_CFLAGS := $(FREE_CFLAGS) -mcmodel=kernel -DCAPOS_KERNEL=1
KERNEL_ASFLAGS := $(KTARGET) -Iabi/include -Ikernel/include \
        -Ikernel/arch/x86_64/include -D__ASSEMBLY__ -g

# Host tests: sanitizers always on.
HOST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
        -fsanitize=address,undefined -fno-sanitize-recover=all \
        $(WARN) -Wno-missing-prototypes $(INCLUDES) -DCAPOS_HOST=1
HOST_TEST_COMMON := tests/host/main.c lib/common/test.c

SUITE := tools/suite.sh
TEST_SUITES :=
HOST_TEST_BINS :=

define host_test
HOST_TEST_BINS += $(BUILD)/host/$(1)
TEST_SUITES += host-$(1)
$(BUILD)/host/$(1): $(2) $(HOST_TEST_COMMON) $(wildcard lib/common/include/common/*.h)
	@mkdir -p $$(@D)
	@echo "  HOSTCC  $$@"
	$(Q)$$(HOSTCC) $$(HOST_CFLAGS) -o $$@ $(2) $(HOST_TEST_COMMON)
.PHONY: suite-host-$(1)
suite-host-$(1): $(BUILD)/host/$(1)
	@$(SUITE) host-$(1) $(BUILD)/host/$(1)
endef

include $(sort $(wildcard mk/*.mk))
# Header dependencies of every user object, once every fragment has added
# its programs (editing a header rebuilds, relinks and re-embeds them).
-include $(USER_LIB_OBJS:.o=.d) $(USER_ALL_OBJS:.o=.d) $(USER_CRT0:.o=.d)

# ---- top-level targets ------------------------------------------------------
.PHONY: all deps test test-host clean
deps:
	@tools/deps.sh

test-host: $(HOST_TEST_BINS)
	@rm -f $(BUILD)/test-logs/*.log
	@$(MAKE) --no-print-directory $(addprefix suite-,$(filter host-%,$(TEST_SUITES)))
	@tools/summary.sh $(BUILD)/test-logs

# Everything is built first (-k: as much as possible); a build failure is
# recorded as a failed "build" suite, and every suite still runs.
test: deps
	@rm -rf $(BUILD)/test-logs
	@$(SUITE) build bash -c '$(MAKE) --no-print-directory -k all $(HOST_TEST_BINS) && echo "1 passed, 0 failed"'
	@$(MAKE) --no-print-directory -k $(addprefix suite-,$(TEST_SUITES)) || true
	@tools/summary.sh $(BUILD)/test-logs build $(TEST_SUITES)

clean:
	rm -rf $(BUILD)
