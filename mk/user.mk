# mk/user.mk - user space: the runtime (lib/capos), the minimal libc
# (lib/libc), the user programs and their host tests.  See docs/runtime.md.
#
#   $(BUILD)/$(COMPILER)/user/libcapos.a   runtime + libc + lib/common +
#                                          lib/capnp, built for user space
#   $(BUILD)/$(COMPILER)/user/NAME.elf     a program, linked with user/user.ld
#   $(BUILD)/user/NAME.elf                 the selected compiler's build
#                                          without debug info (the manifest
#                                          embeds /user/init.elf from here;
#                                          debug with the one above)
#   make user                              every program
#   suite host-user                        ring client, CapSet, exceptions,
#                                          allocator and stdout buffering
#
# Adding a program:  $(eval $(call user_program,NAME,SOURCES))
# e.g. $(eval $(call user_program,hello,user/tests/hello.c)); NAME may
# contain a directory (tests/hello -> $(BUILD)/user/tests/hello.elf).  SOURCES are
# .c files compiled with USER_CFLAGS; the program gets crt0, the runtime,
# the libc and the generated capos.capnp.h.

USER_OBJ := $(BUILD)/$(COMPILER)/user
USER_OUT := $(BUILD)/user

# Freestanding flags minus the kernel's include paths, plus the runtime's.
USER_CFLAGS := $(filter-out -Ikernel/%,$(FREE_CFLAGS)) \
        -Ilib/capos/include -Ilib/libc/include \
        -ffunction-sections -fdata-sections -DCAPOS_USER=1
USER_ASFLAGS := $(KTARGET) -Iabi/include -D__ASSEMBLY__ -g
USER_LDS := user/user.ld
USER_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
        --gc-sections --build-id=none -T $(USER_LDS)

USER_LIB_SRCS := $(sort $(wildcard lib/capos/*.c lib/libc/*.c)) \
        lib/common/string.c lib/common/fmt.c $(sort $(wildcard lib/capnp/*.c))
USER_LIB_OBJS := $(patsubst %.c,$(USER_OBJ)/%.o,$(USER_LIB_SRCS))
USER_CRT0 := $(USER_OBJ)/lib/capos/crt0.o
USER_LIB := $(USER_OBJ)/libcapos.a
USER_PROGRAMS :=

# $(BUILD)/user/ holds one compiler's programs: switching CC re-copies.
USER_STAMP := $(COMPILER_STAMP)
$(shell mkdir -p $(USER_OUT))

$(USER_OBJ)/%.o: %.c | $(GEN_HEADERS)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@
$(USER_OBJ)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(USER_ASFLAGS) -MMD -MP -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# $(call user_program,NAME,SOURCES): $(BUILD)/user/NAME.elf.
define user_program
USER_PROGRAMS += $(USER_OUT)/$(1).elf
USER_ALL_OBJS += $(patsubst %.c,$(USER_OBJ)/%.o,$(2))
$(USER_OBJ)/$(1).elf: $(patsubst %.c,$(USER_OBJ)/%.o,$(2)) $(USER_CRT0) \
        $(USER_LIB) $(USER_LDS)
	@mkdir -p $$(@D)
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	$(Q)$(LD) $(USER_LDFLAGS) -o $$@ $(USER_CRT0) \
	    $(patsubst %.c,$(USER_OBJ)/%.o,$(2)) --start-group $(USER_LIB) \
	    --end-group
$(USER_OUT)/$(1).elf: $(USER_OBJ)/$(1).elf $(USER_STAMP)
	@mkdir -p $$(@D)
	$(Q)strip --strip-debug -o $$@ $$<
endef

$(eval $(call user_program,init,user/init/main.c user/init/services.c))

$(MANIFEST): $(USER_OUT)/init.elf

.PHONY: user
user: $(USER_PROGRAMS)
all: user

# Dependency files are read by the Makefile after every fragment, so that
# programs added by later fragments (utests.mk, bench.mk) are covered.

# ---- host tests -----------------------------------------------------------
# The portable parts of lib/capos and lib/libc, against a fake kernel.
USER_HOST_SRCS := lib/capos/ring.c lib/capos/call.c lib/capos/rt.c \
        lib/capos/capset.c lib/capos/exception.c lib/capos/msg.c \
        lib/capos/console.c lib/capos/kcaps.c \
        lib/capos/ipc_call.c lib/capos/server.c lib/capos/spawn.c \
        lib/capos/client.c lib/capos/serve.c \
        lib/libc/heap.c lib/libc/bufout.c \
        lib/common/string.c lib/common/fmt.c $(CAPNP_SRCS) \
        kernel/proc/elf.c $(sort $(wildcard tests/host/user/*.c))
$(eval $(call host_test,user,$(USER_HOST_SRCS)))
$(BUILD)/host/user: HOST_CFLAGS += -Ilib/capos/include \
        -DUSER_TEST_INIT_ELF='"$(USER_OUT)/init.elf"'
$(BUILD)/host/user: $(USER_OUT)/init.elf
$(BUILD)/gen/rpc_test.capnp.h $(BUILD)/gen/rpc_test.capnp.rpc.h \
        $(BUILD)/gen/rpc_test.ids.capnp &: \
        tests/host/user/rpc_test.capnp $(CAPNPC)
	@mkdir -p $(@D)
	capnp compile -o$(abspath $(CAPNPC)):$(@D) --src-prefix=tests/host/user $<
$(BUILD)/host/user: $(BUILD)/gen/rpc_test.capnp.rpc.h
$(BUILD)/host/user: $(BUILD)/gen/capos.capnp.h $(GEN_RPC_HEADERS) \
        $(wildcard lib/capos/include/capos/*.h lib/capos/*.h lib/libc/*.h \
                   tests/host/user/*.h)

# ---- the key-value demo (system/system.capnp, docs/ipc.md) -----------------
$(eval $(call user_program,demo/kvstore,user/demo/kvstore.c))
$(eval $(call user_program,demo/kvclient,user/demo/kvclient.c))
$(eval $(call user_program,demo/kvdemo,user/demo/kvdemo.c))
$(MANIFEST): $(USER_OUT)/demo/kvstore.elf $(USER_OUT)/demo/kvclient.elf \
        $(USER_OUT)/demo/kvdemo.elf

# ---- the disk service (docs/devices.md) -------------------------------------
$(eval $(call user_program,drivers/bootcount,user/drivers/bootcount.c user/drivers/virtio_blk.c))

# ---- applications: every user/apps/NAME.c is program apps/NAME ------------
# (docs/tutorial.md: a new program needs no build rule.)
USER_APPS := $(patsubst user/apps/%.c,%,$(sort $(wildcard user/apps/*.c)))
$(foreach a,$(USER_APPS),$(eval $(call user_program,apps/$(a),user/apps/$(a).c)))

# ---- programs.capnp: the system programs as named Binary constants ---------
# `using Prog = import "/programs.capnp";` then `binaries = [Prog.init,
# Prog.kvstore, ...]`: a manifest names binaries, never paths.  NAME's
# constant is NAME in lowerCamel (greeter_server -> greeterServer), its
# Binary.name is NAME.
SYSTEM_PROGRAMS := init demo/kvstore demo/kvclient demo/kvdemo drivers/bootcount \
        $(addprefix apps/,$(USER_APPS))
PROGRAMS_CAPNP := $(BUILD)/gen/programs.capnp
$(PROGRAMS_CAPNP): $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	@{ echo '# generated by mk/user.mk: the system programs, by name'; \
	  echo '@0xf3a1c7d2e4b50617;'; \
	  echo 'using C = import "/schema/capos.capnp";'; \
	  for p in $(SYSTEM_PROGRAMS); do n=$${p##*/}; \
	    c=$$(echo $$n | sed -E 's/_(.)/\U\1/g'); \
	    echo "const $$c :C.Binary = (name = \"$$n\", data = embed \"/user/$$p.elf\");"; \
	  done; } > $@.tmp && mv $@.tmp $@
$(MANIFEST): $(PROGRAMS_CAPNP) \
        $(patsubst %,$(USER_OUT)/%.elf,$(SYSTEM_PROGRAMS))

# ---- the tutorial, as written (docs/tutorial.md) ---------------------------
TEST_SUITES += tutorial
.PHONY: suite-tutorial
suite-tutorial:
	@$(SUITE) tutorial tools/tutorial-check.sh $(BUILD)/tutorial
