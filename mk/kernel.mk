# mk/kernel.mk - the kernel ELF (build/capos.elf), the test kernel
# (build/capos-test.elf, with kernel/test/ and CONFIG_KTEST) and the ISO.

KERNEL_SRCS := $(wildcard kernel/core/*.c kernel/mm/*.c kernel/arch/x86_64/*.c \
                 kernel/cap/*.c kernel/ring/*.c kernel/proc/*.c kernel/sched/*.c \
                 kernel/obj/*.c) \
               lib/common/fmt.c lib/common/string.c lib/common/bitmap.c \
               $(wildcard lib/capnp/*.c)
KERNEL_ASMS := $(wildcard kernel/arch/x86_64/*.S)
KTEST_SRCS  := $(wildcard kernel/test/*.c) lib/common/test.c
KERNEL_LDS  := kernel/arch/x86_64/linker.ld
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
                  --no-warn-rwx-segments -T $(KERNEL_LDS)
ifeq ($(COMPILER),clang)
KERNEL_LDFLAGS := $(filter-out --no-warn-rwx-segments,$(KERNEL_LDFLAGS))
endif

KOBJ := $(BUILD)/$(COMPILER)/kernel
TOBJ := $(BUILD)/$(COMPILER)/ktest
KERNEL_OBJS := $(patsubst %.c,$(KOBJ)/%.o,$(KERNEL_SRCS)) \
               $(patsubst %.S,$(KOBJ)/%.o,$(KERNEL_ASMS))
KTEST_OBJS  := $(patsubst %.c,$(TOBJ)/%.o,$(KERNEL_SRCS) $(KTEST_SRCS)) \
               $(patsubst %.S,$(TOBJ)/%.o,$(KERNEL_ASMS))

KERNEL_ELF := $(BUILD)/capos.elf
KTEST_ELF  := $(BUILD)/capos-test.elf
ISO_IMAGE  := $(BUILD)/capos.iso

$(KERNEL_OBJS) $(KTEST_OBJS): | $(GEN_HEADERS)
$(KOBJ)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@
$(KOBJ)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_ASFLAGS) -MMD -MP -c $< -o $@
# The test kernel is also built with the undefined-behaviour sanitizer
# (handlers in kernel/core/ubsan.c): every system test runs on it.
KTEST_UBSAN := -fsanitize=undefined $(if $(filter clang,$(COMPILER)),-fno-sanitize=function)
$(TOBJ)/kernel/core/ubsan.o: KTEST_UBSAN :=
$(TOBJ)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(KTEST_UBSAN) -DCONFIG_KTEST=1 -MMD -MP -c $< -o $@
$(TOBJ)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_ASFLAGS) -DCONFIG_KTEST=1 -MMD -MP -c $< -o $@

-include $(KERNEL_OBJS:.o=.d) $(KTEST_OBJS:.o=.d)

$(BUILD)/$(COMPILER)/capos.elf: $(KERNEL_OBJS) $(KERNEL_LDS)
	@echo "  LD      $@"
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS)
$(BUILD)/$(COMPILER)/capos-test.elf: $(KTEST_OBJS) $(KERNEL_LDS)
	@echo "  LD      $@"
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KTEST_OBJS)

# The default names point at the gcc build (or the clang one if CC=clang).
# $(COMPILER_STAMP) changes with the compiler, so after `make CC=clang` a
# plain `make` copies the gcc kernel back (each compiler has its tree).
$(KERNEL_ELF): $(BUILD)/$(COMPILER)/capos.elf $(COMPILER_STAMP)
	cp $< $@
	objdump -d $@ > $(BUILD)/capos.asm
	nm -n $@ > $(BUILD)/capos.sym
$(KTEST_ELF): $(BUILD)/$(COMPILER)/capos-test.elf $(COMPILER_STAMP)
	cp $< $@

TEST_ISO := $(BUILD)/capos-test.iso
$(ISO_IMAGE): $(KERNEL_ELF) $(MANIFEST) tools/mkiso.sh
	@echo "  ISO     $@"
	$(Q)tools/mkiso.sh $(KERNEL_ELF) $@ "" $(MANIFEST) manifest
$(TEST_ISO): $(KTEST_ELF) tools/mkiso.sh
	@echo "  ISO     $@"
	$(Q)tools/mkiso.sh $(KTEST_ELF) $@ "test=boot"

all: $(KERNEL_ELF) $(KTEST_ELF) $(ISO_IMAGE) $(TEST_ISO)

# ---- running ---------------------------------------------------------------
# isa-debug-exit turns the kernel's success code 0x10 into QEMU status 33.
QEMU_OK_STATUS := 33
# The disk `make run` attaches (kept across runs: the disk service counts
# boots on it); a fresh one for each `make test`.
RUN_DISK := $(BUILD)/disk.img
SYSTEM_DISK := $(BUILD)/system-disk.img
$(RUN_DISK):
	@mkdir -p $(@D)
	$(Q)truncate -s 16M $@

.PHONY: run run-iso gdb
run: deps
	@$(MAKE) --no-print-directory $(KERNEL_ELF) $(MANIFEST) $(RUN_DISK) $(if $(ISO_BOOT)$(UEFI),$(ISO_IMAGE))
	@DISK=$(RUN_DISK) INITRD=$(MANIFEST) tools/run-qemu.sh $(if $(ISO_BOOT),iso,$(if $(UEFI),uefi,pvh)) $(KERNEL_ELF); \
	 s=$$?; if [ $$s = $(QEMU_OK_STATUS) ]; then echo "qemu: capOS shut down cleanly"; \
	 else echo "qemu: exit status $$s (capOS failed or was interrupted)"; exit $$s; fi

gdb: deps
	@$(MAKE) --no-print-directory $(KERNEL_ELF) $(MANIFEST) $(RUN_DISK)
	@GDB=1 DISK=$(RUN_DISK) INITRD=$(MANIFEST) tools/run-qemu.sh pvh $(KERNEL_ELF); \
	 s=$$?; if [ $$s = $(QEMU_OK_STATUS) ]; then echo "qemu: capOS shut down cleanly"; \
	 else echo "qemu: exit status $$s (capOS failed or was interrupted)"; exit $$s; fi

# ---- tests -------------------------------------------------------------------
TEST_SUITES += ktest system
.PHONY: suite-ktest suite-system
suite-ktest: $(KTEST_ELF)
	@$(SUITE) ktest python3 tests/system/run.py --ktest $(KTEST_ELF)
suite-system: $(KERNEL_ELF) $(KTEST_ELF) $(ISO_IMAGE) $(TEST_ISO) $(MANIFEST)
	@rm -f $(SYSTEM_DISK) && truncate -s 1M $(SYSTEM_DISK)
	@DISK=$(SYSTEM_DISK) $(SUITE) system python3 tests/system/run.py tests/system/cases.txt
TEST_SUITES += harness
.PHONY: suite-harness
suite-harness: $(KTEST_ELF)
	@$(SUITE) harness python3 tests/system/test_harness.py

# The clang build of the test kernel, booted too (CI builds with both).
TEST_SUITES += ktest-clang
.PHONY: suite-ktest-clang
suite-ktest-clang:
	@$(MAKE) --no-print-directory CC=clang $(BUILD)/clang/capos-test.elf > $(BUILD)/clang-build.log 2>&1 || cat $(BUILD)/clang-build.log
	@$(SUITE) ktest-clang python3 tests/system/run.py --ktest $(BUILD)/clang/capos-test.elf
