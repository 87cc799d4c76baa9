# mk/rpc.mk - lib/rpc (two-party Cap'n Proto RPC, docs/network.md): the
# accessors generated from Debian's rpc.capnp / rpc-twoparty.capnp, the
# freestanding build check, host tests, interop with libcapnp-rpc (C++)
# and the decoder fuzz target.
#
#   make rpc-freestanding-check   lib/rpc with FREE_CFLAGS, gcc and clang
#   make suite-host-rpc           in-process pairs, hostile peer input
#   make suite-host-rpc-interop   C <-> C++ (TwoPartyVatNetwork) both ways
#   make suite-fuzz-rpc           bounded libFuzzer run (in make test)
#   make fuzz-rpc                 long run (FUZZ_TIME=seconds)
#   make bench-rpc                round-trip cost vs libcapnp-rpc (not in test)

RPC_SRCS := $(sort $(wildcard lib/rpc/*.c))
RPC_HDRS := $(wildcard lib/rpc/*.h lib/rpc/include/rpc/*.h)
RPC_SCHEMA_DIR := /usr/include/capnp
RPC_GEN := $(BUILD)/gen/rpc.capnp.h $(BUILD)/gen/rpc-twoparty.capnp.h

# Generated at build time from the installed schemas (capnproto package).
$(RPC_GEN): $(BUILD)/gen/%.capnp.h: $(RPC_SCHEMA_DIR)/%.capnp $(CAPNPC)
	@mkdir -p $(@D)
	capnp compile -I/usr/include --src-prefix=$(RPC_SCHEMA_DIR) \
	    -o$(abspath $(CAPNPC)):$(@D) $<

# ---- freestanding build with both compilers -------------------------------
RPC_FREE_FLAGS = $(CAPNP_FREE_FLAGS) -Ilib/rpc/include -I$(BUILD)/gen
RPC_GCC_OBJS := $(patsubst lib/rpc/%.c,$(BUILD)/rpc-gcc/%.o,$(RPC_SRCS))
RPC_CLANG_OBJS := $(patsubst lib/rpc/%.c,$(BUILD)/rpc-clang/%.o,$(RPC_SRCS))
$(BUILD)/rpc-gcc/%.o: lib/rpc/%.c $(RPC_HDRS) $(RPC_GEN) $(CAPNP_HDRS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)gcc $(RPC_FREE_FLAGS) -isystem $(shell gcc -print-file-name=include) -c -o $@ $<
$(BUILD)/rpc-clang/%.o: lib/rpc/%.c $(RPC_HDRS) $(RPC_GEN) $(CAPNP_HDRS)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)clang --target=x86_64-unknown-none-elf $(RPC_FREE_FLAGS) \
	    -isystem $(shell clang -print-file-name=include) -c -o $@ $<
.PHONY: rpc-freestanding-check
rpc-freestanding-check: $(RPC_GCC_OBJS) $(RPC_CLANG_OBJS)
all: rpc-freestanding-check

# ---- host tests -------------------------------------------------------------
RPC_T := tests/host/rpc
RPC_KV_GEN := $(BUILD)/gen/kv.capnp.h
$(RPC_KV_GEN): $(RPC_T)/kv.capnp $(CAPNPC)
	@mkdir -p $(@D)
	capnp compile -o$(abspath $(CAPNPC)):$(@D) $<
RPC_KV := $(RPC_T)/kv_server.c $(RPC_T)/kv_client.c
RPC_TEST_DEPS := $(RPC_GEN) $(RPC_KV_GEN) $(RPC_HDRS) $(CAPNP_HDRS) \
        $(wildcard $(RPC_T)/*.h)

$(eval $(call host_test,rpc,$(RPC_SRCS) $(CAPNP_SRCS) $(RPC_KV) \
    $(RPC_T)/pair.c $(RPC_T)/conn_test.c $(RPC_T)/hostile_test.c \
    $(RPC_T)/oom_test.c))
$(BUILD)/host/rpc: $(RPC_TEST_DEPS)
$(BUILD)/host/rpc: HOST_CFLAGS += -Ilib/rpc/include

# Interop: the C++ peer (libcapnp-rpc, generated C++ for kv.capnp).
RPC_CC_GEN := $(BUILD)/rpc-interop
RPC_CC := $(BUILD)/host/rpc-interop-cc
$(RPC_CC_GEN)/kv.capnp.c++: $(RPC_T)/kv.capnp
	@mkdir -p $(@D)
	capnp compile --src-prefix=$(RPC_T) -oc++:$(@D) $<
$(RPC_CC): $(RPC_T)/interop.cc $(RPC_CC_GEN)/kv.capnp.c++
	@mkdir -p $(@D)
	g++ -std=c++14 -O1 -Wall -Werror -I$(RPC_CC_GEN) -o $@ $< \
	    $(RPC_CC_GEN)/kv.capnp.c++ -lcapnp-rpc -lcapnp -lkj-async -lkj -pthread
$(eval $(call host_test,rpc-interop,$(RPC_SRCS) $(CAPNP_SRCS) $(RPC_KV) \
    $(RPC_T)/interop_test.c))
$(BUILD)/host/rpc-interop: $(RPC_TEST_DEPS)
$(BUILD)/host/rpc-interop: HOST_CFLAGS += -Ilib/rpc/include \
    -DRPC_INTEROP_CC='"$(RPC_CC)"'
suite-host-rpc-interop: $(RPC_CC)

# ---- fuzzing ------------------------------------------------------------------
RPC_FUZZ_EXTRA = -Ilib/rpc/include -I$(BUILD)/gen $(RPC_SRCS)
TEST_SUITES += fuzz-rpc
.PHONY: suite-fuzz-rpc fuzz-rpc
suite-fuzz-rpc: $(RPC_SRCS) $(RPC_HDRS) $(RPC_GEN) tests/fuzz/rpc_decoder_fuzz.c
	@FUZZ_EXTRA="$(RPC_FUZZ_EXTRA)" $(SUITE) fuzz-rpc tests/fuzz/run-fuzz.sh \
	    rpc_decoder_fuzz $(BUILD) -runs=$(FUZZ_RUNS) -max_total_time=60 -seed=1
fuzz-rpc: $(RPC_GEN)
	FUZZ_EXTRA="$(RPC_FUZZ_EXTRA)" tests/fuzz/run-fuzz.sh rpc_decoder_fuzz \
	    $(BUILD) -max_total_time=$(FUZZ_TIME)
fuzz: fuzz-rpc

# ---- benchmark (not part of make test) -----------------------------------------
RPC_BENCH := $(BUILD)/rpc-bench/bench
$(RPC_BENCH): $(RPC_SRCS) $(CAPNP_SRCS) $(RPC_KV) $(RPC_T)/pair.c \
    $(RPC_T)/bench.c $(RPC_TEST_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) $(INCLUDES) -Ilib/rpc/include \
	    -DRPC_INTEROP_CC='"$(RPC_CC)"' -o $@ $(RPC_SRCS) $(CAPNP_SRCS) \
	    $(RPC_KV) $(RPC_T)/pair.c $(RPC_T)/bench.c
.PHONY: bench-rpc
bench-rpc: $(RPC_BENCH) $(RPC_CC)
	$(RPC_BENCH)
