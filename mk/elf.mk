# mk/elf.mk - the ELF64 image parser (kernel/proc/elf.c): host tests, a
# real static test program, a freestanding compile check and a fuzz target.
#
#   make build/host/elf && build/host/elf [name|prefix*]   host unit tests
#   make elf-freestanding-check [CC=clang]   compile elf.c with KERNEL_CFLAGS
#        into build/check/<compiler>/elf/ and fail on undefined symbols other
#        than the mem* functions the kernel links from lib/common/string.c
#   make suite-fuzz-elf     bounded libFuzzer run (part of make test)
#   make fuzz-elf [ELF_FUZZ_TIME=seconds]   long fuzzing run

ELF_SRCS := kernel/proc/elf.c lib/common/string.c
ELF_HDRS := kernel/include/kernel/elf.h abi/include/abi/errors.h \
            abi/include/abi/errors.def lib/common/include/common/string.h
ELF_TESTS := $(sort $(wildcard tests/host/elf/test_*.c))
ELF_TINY := $(BUILD)/elf/tiny.elf

# ---- a real static ELF from the host toolchain -----------------------------
# Linked at 0x400000 (the classic non-PIE base), no libc, separate code pages.
$(ELF_TINY): tests/host/elf/tiny.c mk/elf.mk
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(HOSTCC) -std=gnu11 -O1 -ffreestanding -fno-pic -fno-stack-protector \
	    -static -nostdlib -Wl,-Ttext-segment=0x400000 \
	    -Wl,-z,noexecstack -Wl,-z,separate-code -Wl,--build-id=none \
	    -o $@ $<

# ---- host tests ---------------------------------------------------------------
# The test finds tiny.elf through a generated header: host_test expands
# HOST_CFLAGS when it is called, so a target-specific -D would be ignored.
ELF_TEST_CONFIG := $(BUILD)/gen/elf_test_config.h
$(ELF_TEST_CONFIG): mk/elf.mk
	@mkdir -p $(@D)
	@echo '#define ELF_TEST_TINY "$(ELF_TINY)"' > $@

$(eval $(call host_test,elf,$(ELF_SRCS) $(ELF_TESTS)))
$(BUILD)/host/elf: $(ELF_HDRS) tests/host/elf/elf_test.h \
    tests/host/elf/elf_invariants.h $(ELF_TEST_CONFIG) $(ELF_TINY)

# ---- freestanding compile check -----------------------------------------------
ELF_CHECK_DIR := $(BUILD)/check/$(COMPILER)/elf
ELF_MEM_SYMS := memcpy memmove memset memcmp

$(ELF_CHECK_DIR)/elf.o: kernel/proc/elf.c $(ELF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

.PHONY: elf-freestanding-check
elf-freestanding-check: $(ELF_CHECK_DIR)/elf.o
	@undef=$$(nm -u $< | awk '{print $$2}' | \
	    grep -vxF $(addprefix -e ,$(ELF_MEM_SYMS)) || true); \
	if [ -n "$$undef" ]; then \
		echo "elf-freestanding-check: undefined symbols:"; \
		echo "$$undef"; exit 1; \
	fi
	@echo "elf-freestanding-check: OK ($(COMPILER))"

# ---- libFuzzer target ---------------------------------------------------------
ELF_FUZZ_CC ?= clang
ELF_FUZZ := $(BUILD)/fuzz/elf
ELF_FUZZ_CORPUS := $(BUILD)/fuzz/elf-corpus
ELF_FUZZ_RUNS ?= 200000
ELF_FUZZ_TIME ?= 600
ELF_FUZZ_FLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        $(WARN) -Wno-missing-prototypes $(INCLUDES) -DCAPOS_HOST=1

$(ELF_FUZZ): tests/fuzz/elf_fuzz.c $(ELF_SRCS) $(ELF_HDRS) \
    tests/host/elf/elf_invariants.h
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)$(ELF_FUZZ_CC) $(ELF_FUZZ_FLAGS) -Itests/host/elf -o $@ \
	    tests/fuzz/elf_fuzz.c $(ELF_SRCS)

# New inputs go to the scratch corpus in build/ (the first directory), never
# into the checked-in seeds; the real static ELF joins the seeds.
ELF_FUZZ_CMD = $(ELF_FUZZ) -seed=1 -artifact_prefix=$(BUILD)/fuzz/elf- \
        $(ELF_FUZZ_CORPUS) tests/fuzz/corpus/elf

.PHONY: elf-fuzz-corpus suite-fuzz-elf fuzz-elf
elf-fuzz-corpus: $(ELF_FUZZ) $(ELF_TINY)
	@mkdir -p $(ELF_FUZZ_CORPUS)
	@cp $(ELF_TINY) $(ELF_FUZZ_CORPUS)/tiny.elf

# The suite builds inside $(SUITE), so a build failure is a failed suite
# rather than a missing one; the libFuzzer log goes to a file (as in
# tests/fuzz/run-fuzz.sh) and the suite line is printed last.
TEST_SUITES += fuzz-elf
suite-fuzz-elf:
	@$(SUITE) fuzz-elf bash -c '$(MAKE) --no-print-directory -s \
	    elf-fuzz-corpus || exit 1; \
	    if $(ELF_FUZZ_CMD) -runs=$(ELF_FUZZ_RUNS) -max_total_time=60 \
	        > $(BUILD)/fuzz/elf.log 2>&1; then \
	        tail -n 2 $(BUILD)/fuzz/elf.log; echo "1 passed, 0 failed"; \
	    else tail -n 40 $(BUILD)/fuzz/elf.log; echo "0 passed, 1 failed"; \
	        exit 1; fi'

fuzz-elf: elf-fuzz-corpus
	$(ELF_FUZZ_CMD) -max_total_time=$(ELF_FUZZ_TIME)
fuzz: fuzz-elf
