# mk/tests.mk - user-space system tests: the programs in user/tests/, the
# deliberately malformed ELFs, the test manifest (system/tests.capnp) and
# the `manifest` suite that boots it with test=manifest (docs/testing.md).

UTEST_PLAIN := ring_ops ring_limits caps buffers timer timer_exit bootpkg exit_code \
        ipc_smoke spawn spinner sched churn_spawn revoke_child ipc_revoke2 ring_fuzz mem_churn shm shm_server ipc_hostile threadctl tls
UTEST_PLAIN += ipc_basic ipc_queue ipc_xfer ipc_revoke ipc_server_exit \
        ipc_caller_exit ipc_spawn ipc_child
UTEST_PLAIN += mem_basic mem_errors mem_subrange mem_vmem mem_fault_unmapped \
        mem_fault_rx
UTEST_PLAIN += args notify notify_child dev ipc_teardown ipc_served
UTEST_PLAIN += typed serve_test serve_server serve_client
UTEST_SERIAL := serial serial_exit
UTEST_PLAIN += hello effects quota
# The SERVE0001 programs also use the host tests' rpc_test schema.
$(USER_OBJ)/user/tests/serve_test.o $(USER_OBJ)/user/tests/serve_server.o: \
        $(BUILD)/gen/rpc_test.capnp.rpc.h
UTEST_FAULTS := null kernel_read write_ro write_capset exec_data stack_overflow \
        priv ud bp div noncanon_jump x87
UTEST_BAD := truncated magic wx kernel_vaddr filesz entry dynamic

$(foreach t,$(UTEST_PLAIN),$(eval $(call user_program,tests/$(t),user/tests/$(t).c)))
$(eval $(call user_program,tests/vblk,user/tests/vblk.c user/drivers/virtio_blk.c))
$(eval $(call user_program,tests/vblk_grant,user/tests/vblk_grant.c user/drivers/virtio_blk.c))
$(eval $(call user_program,tests/vblk_crash,user/tests/vblk_crash.c user/drivers/virtio_blk.c))
$(foreach t,$(UTEST_SERIAL),$(eval $(call user_program,tests/$(t),user/tests/$(t).c user/term/serialc.c)))

# One binary per fault kind, from user/tests/faults.c with -DFAULT_<KIND>.
define fault_program
$(USER_OBJ)/user/tests/fault_$(1).o: user/tests/faults.c | $(GEN_HEADERS)
	@mkdir -p $$(@D)
	@echo "  CC      $$< ($(1))"
	$(Q)$(CC) $(USER_CFLAGS) -DFAULT_$(shell echo $(1) | tr a-z A-Z) -c $$< -o $$@
$(eval $(call user_program,tests/fault_$(1),user/tests/fault_$(1).c))
endef
$(foreach f,$(UTEST_FAULTS),$(eval $(call fault_program,$(f))))

$(USER_OUT)/tests/bad_%.elf: $(USER_OUT)/tests/exit_code.elf tools/mkbadelf.py
	$(Q)python3 tools/mkbadelf.py $< $* $@

UTEST_ELFS := $(addprefix $(USER_OUT)/tests/,$(addsuffix .elf,$(UTEST_PLAIN) vblk vblk_grant vblk_crash $(UTEST_SERIAL) \
        $(addprefix fault_,$(UTEST_FAULTS)) $(addprefix bad_,$(UTEST_BAD))))

# RPC0001: lib/rpc (mk/rpc.mk) linked into a capOS program.
RPC_UTEST_SRCS := user/tests/rpc_local.c $(RPC_SRCS)
$(eval $(call user_program,tests/rpc_local,$(RPC_UTEST_SRCS)))
$(patsubst %.c,$(USER_OBJ)/%.o,$(RPC_UTEST_SRCS)): USER_CFLAGS += -Ilib/rpc/include
$(patsubst %.c,$(USER_OBJ)/%.o,$(RPC_UTEST_SRCS)): $(RPC_GEN)
UTEST_ELFS += $(USER_OUT)/tests/rpc_local.elf

TEST_MANIFEST := $(BUILD)/manifest-tests.bin
$(TEST_MANIFEST): system/tests.capnp schema/capos.capnp $(GEN_IDS) $(UTEST_ELFS) \
        $(POSIX_PROGRAMS)
	@echo "  CAPNP   $@"
	$(Q)capnp eval -b -I$(BUILD) -I$(BUILD)/gen system/tests.capnp manifest > $@.tmp && mv $@.tmp $@

all: $(TEST_MANIFEST)

# The disk of the device tests (DEV*): 1 MiB, rewritten by the tests.
TEST_DISK := $(BUILD)/test-disk.img
$(TEST_DISK):
	$(Q)truncate -s 1M $@

TEST_SUITES += manifest
.PHONY: suite-manifest
# The test kernel: the same kernel plus heap poisoning (kernel/mm/kmem.c).
suite-manifest: $(KTEST_ELF) $(TEST_MANIFEST) $(TEST_DISK)
	@DISK=$(TEST_DISK) $(SUITE) manifest python3 tests/system/run.py --manifest $(KTEST_ELF) $(TEST_MANIFEST) \
	    $(addprefix --expect ,$(POSIX_EXPECT_DIRS))

# Boot manifests (tests/system/manifests/): each malformed one must stop
# the boot with a precise message, shared_binary.capnp (30 services of one
# binary) must boot (cases in tests/system/cases.txt).
BAD_MANIFESTS := $(patsubst tests/system/manifests/%.capnp,$(BUILD)/manifests/%.bin,\
        $(wildcard tests/system/manifests/*.capnp)) $(BUILD)/manifests/garbage.bin
$(BUILD)/manifests/%.bin: tests/system/manifests/%.capnp schema/capos.capnp $(GEN_IDS) $(USER_OUT)/init.elf \
        $(USER_OUT)/tests/hello.elf
	@mkdir -p $(@D)
	$(Q)capnp eval -b -I$(BUILD) -I$(BUILD)/gen $< manifest > $@.tmp && mv $@.tmp $@
$(BUILD)/manifests/garbage.bin:
	@mkdir -p $(@D)
	$(Q)printf '\001\000\000\000\377\377\377\177garbage!garbage!' > $@
all: $(BAD_MANIFESTS)
suite-system: $(BAD_MANIFESTS)

# The same system tests on a kernel and user programs built by clang (in
# a separate build tree, so the two compilers never mix).
CLANG_TREE := $(BUILD)/clang-tree
TEST_SUITES += manifest-clang
.PHONY: suite-manifest-clang
suite-manifest-clang: $(TEST_DISK)
	@$(MAKE) --no-print-directory CC=clang BUILD=$(CLANG_TREE) \
	    $(CLANG_TREE)/capos-test.elf $(CLANG_TREE)/manifest-tests.bin \
	    > $(BUILD)/clang-tree-build.log 2>&1 || tail -20 $(BUILD)/clang-tree-build.log
	@DISK=$(TEST_DISK) $(SUITE) manifest-clang python3 tests/system/run.py --manifest \
	    $(CLANG_TREE)/capos-test.elf $(CLANG_TREE)/manifest-tests.bin manifest-clang \
	    $(addprefix --expect ,$(POSIX_EXPECT_DIRS))
