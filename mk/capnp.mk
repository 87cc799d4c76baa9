# mk/capnp.mk - the Cap'n Proto runtime (lib/capnp), its host tests, the
# reader fuzz target and the benchmark against the C++ reference library.
#
#   make capnp-freestanding-check   compile lib/capnp with FREE_CFLAGS under
#                                   both gcc and clang (into $(BUILD)/capnp-*)
#   make suite-host-capnp           unit, interop and hostile-input tests
#   make suite-fuzz-capnp           short bounded libFuzzer run (in make test)
#   make fuzz-capnp                 long fuzzing run (FUZZ_TIME=seconds)
#   make bench-capnp                C runtime vs libcapnp (not in make test)

CAPNP_SRCS := $(sort $(wildcard lib/capnp/*.c))
CAPNP_HDRS := $(wildcard lib/capnp/include/capnp/*.h lib/capnp/*.h)

# ---- freestanding build with both compilers -------------------------------
CAPNP_FREE_FLAGS = -std=gnu11 -ffreestanding -fno-common -fno-pic \
        -fno-stack-protector -fno-builtin -nostdinc \
        -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx \
        -fno-omit-frame-pointer -O2 -g $(WARN) -Ilib/capnp/include
CAPNP_GCC_OBJS := $(patsubst lib/capnp/%.c,$(BUILD)/capnp-gcc/%.o,$(CAPNP_SRCS))
CAPNP_CLANG_OBJS := $(patsubst lib/capnp/%.c,$(BUILD)/capnp-clang/%.o,$(CAPNP_SRCS))

$(BUILD)/capnp-gcc/%.o: lib/capnp/%.c $(CAPNP_HDRS)
	@mkdir -p $(@D)
	gcc $(CAPNP_FREE_FLAGS) -isystem $(shell gcc -print-file-name=include) -c -o $@ $<
$(BUILD)/capnp-clang/%.o: lib/capnp/%.c $(CAPNP_HDRS)
	@mkdir -p $(@D)
	clang --target=x86_64-unknown-none-elf $(CAPNP_FREE_FLAGS) \
	    -isystem $(shell clang -print-file-name=include) -c -o $@ $<

.PHONY: capnp-freestanding-check
capnp-freestanding-check: $(CAPNP_GCC_OBJS) $(CAPNP_CLANG_OBJS)

# ---- host tests -------------------------------------------------------------
CAPNP_TEST_DIR := tests/host/capnp
$(eval $(call host_test,capnp,$(CAPNP_SRCS) $(CAPNP_TEST_DIR)/unit.c \
    $(CAPNP_TEST_DIR)/hostile.c $(CAPNP_TEST_DIR)/testall.c \
    $(CAPNP_TEST_DIR)/zero.c))
$(eval $(call host_test,capnp-interop,$(CAPNP_SRCS) \
    $(CAPNP_TEST_DIR)/interop.c $(CAPNP_TEST_DIR)/testall.c))
$(BUILD)/host/capnp $(BUILD)/host/capnp-interop: $(CAPNP_HDRS) \
    $(CAPNP_TEST_DIR)/testall.h
$(BUILD)/host/capnp-interop: HOST_CFLAGS += -DCAPNP_TEST_BUILD='"$(BUILD)"'

# C++ helper: re-frames a message in small segments with libcapnp.
$(BUILD)/host/capnp-reseg: $(CAPNP_TEST_DIR)/reseg.cc
	@mkdir -p $(@D)
	g++ -std=c++14 -O1 -o $@ $< -lcapnp -lkj
suite-host-capnp-interop: $(BUILD)/host/capnp-reseg

# ---- fuzzing ------------------------------------------------------------------
FUZZ_RUNS ?= 20000
FUZZ_TIME ?= 300
TEST_SUITES += fuzz-capnp
.PHONY: suite-fuzz-capnp fuzz-capnp fuzz
suite-fuzz-capnp: $(CAPNP_SRCS) $(CAPNP_HDRS) tests/fuzz/capnp_reader_fuzz.c
	@$(SUITE) fuzz-capnp tests/fuzz/run-fuzz.sh capnp_reader_fuzz $(BUILD) \
	    -runs=$(FUZZ_RUNS) -max_total_time=60 -seed=1
fuzz-capnp:
	tests/fuzz/run-fuzz.sh capnp_reader_fuzz $(BUILD) \
	    -max_total_time=$(FUZZ_TIME)
fuzz: fuzz-capnp

# ---- benchmark (not part of make test) -----------------------------------------
CAPNP_BENCH_DIR := $(CAPNP_TEST_DIR)/bench
CAPNP_BENCH_GEN := $(BUILD)/capnp-bench
$(CAPNP_BENCH_GEN)/bench.capnp.c++: $(CAPNP_BENCH_DIR)/bench.capnp
	@mkdir -p $(@D)
	capnp compile --src-prefix=$(CAPNP_BENCH_DIR) -oc++:$(@D) $<
$(CAPNP_BENCH_GEN)/bench: $(CAPNP_BENCH_GEN)/bench.capnp.c++ \
    $(CAPNP_BENCH_DIR)/bench_main.cc $(CAPNP_BENCH_DIR)/bench_c.c \
    $(CAPNP_BENCH_DIR)/bench.h $(CAPNP_SRCS) $(CAPNP_HDRS)
	gcc -std=gnu11 -O2 $(WARN) -Ilib/capnp/include -c \
	    -o $(CAPNP_BENCH_GEN)/bench_c.o $(CAPNP_BENCH_DIR)/bench_c.c
	for f in $(CAPNP_SRCS); do gcc -std=gnu11 -O2 $(WARN) \
	    -Ilib/capnp/include -c -o $(CAPNP_BENCH_GEN)/$$(basename $$f .c).o \
	    $$f || exit 1; done
	g++ -std=c++14 -O2 -I$(CAPNP_BENCH_GEN) -I$(CAPNP_BENCH_DIR) -o $@ \
	    $(CAPNP_BENCH_DIR)/bench_main.cc $(CAPNP_BENCH_GEN)/bench.capnp.c++ \
	    $(CAPNP_BENCH_GEN)/*.o -lcapnp -lkj
.PHONY: bench-capnp
bench-capnp: $(CAPNP_BENCH_GEN)/bench
	$(CAPNP_BENCH_GEN)/bench
