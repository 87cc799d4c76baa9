# mk/user_posix.mk - the real C library: Debian's musl built for capOS over the
# POSIX layer lib/posix (libcapos-posix), and the programs built on it.
# See docs/posix.md.
#
#   $(DEBSRC)/musl                      Debian's musl source, unmodified
#                                       (tools/debsrc.sh, apt-get source)
#   $(POSIX_OBJ)/musl                   the tree musl is built in: symlinks
#                                       to the source plus the capOS arch
#                                       (lib/posix/musl/mkshadow.sh)
#   $(MUSL_LIB), $(MUSL_INC)            musl's libc.a and headers
#   $(POSIX_LIB)                        lib/posix (libcapos-posix.a)
#   $(POSIX_RT)                         lib/capos + lib/capnp for musl
#                                       programs (no lib/libc, lib/common)
#   $(BUILD)/user/NAME.elf              a program: $(call posix_program,...)
#
# Every musl archive and program is checked for system-call instructions
# (lib/posix/musl/nosyscall.sh): only capos_cap_enter and capos_exit of
# lib/capos may enter the kernel.

DEBSRC ?= $(BUILD)/debsrc
export DEBSRC
POSIX_OBJ := $(BUILD)/$(COMPILER)/posix
MUSL_SRC := $(DEBSRC)/musl
MUSL_TREE := $(POSIX_OBJ)/musl
MUSL_STAMP := $(MUSL_TREE)/.capos-built
MUSL_LIB := $(MUSL_TREE)/lib/libc.a
MUSL_INC := $(MUSL_TREE)/sysroot/include
MUSL_CRTI := $(MUSL_TREE)/obj/crt/crti.o
MUSL_CRTN := $(MUSL_TREE)/obj/crt/crtn.o
NOSYSCALL := lib/posix/musl/nosyscall.sh

$(MUSL_SRC)/.debsrc-version: tools/debsrc.sh
	@echo "  DEBSRC  musl"
	$(Q)tools/debsrc.sh musl $(MUSL_SRC)

# musl's own configure and Makefile, ARCH=capos (the shadow tree's arch).
$(MUSL_STAMP): $(MUSL_SRC)/.debsrc-version lib/posix/musl/mkshadow.sh \
        lib/posix/musl/syscall_arch.h $(NOSYSCALL)
	@echo "  MUSL    $(MUSL_TREE)"
	$(Q)lib/posix/musl/mkshadow.sh $(MUSL_SRC) $(MUSL_TREE) lib/posix/musl
	$(Q)cd $(MUSL_TREE) && ./configure --target=x86_64 --prefix=/ \
	    --disable-shared CC=$(CC) CFLAGS="-O2 -g -fno-pie" \
	    > configure.log 2>&1 || { cat configure.log; exit 1; }
	$(Q)$(MAKE) --no-print-directory -C $(MUSL_TREE) ARCH=capos \
	    CROSS_COMPILE= lib/libc.a obj/crt/crti.o obj/crt/crtn.o \
	    > $(MUSL_TREE)/build.log 2>&1 || { tail -30 $(MUSL_TREE)/build.log; exit 1; }
	$(Q)$(MAKE) --no-print-directory -C $(MUSL_TREE) ARCH=capos \
	    CROSS_COMPILE= DESTDIR=$(abspath $(MUSL_TREE))/sysroot \
	    includedir=/include install-headers > /dev/null
	$(Q)$(NOSYSCALL) $(MUSL_LIB)
	$(Q)touch $@

# Hosted C for musl programs and the POSIX layer: musl's headers only
# (the compiler's own directory last, for intrinsics), SSE allowed.
POSIX_CFLAGS := -std=gnu11 -nostdinc -isystem $(MUSL_INC) \
        -isystem $(shell $(CC) -print-file-name=include) \
        -fno-pie -fno-pic -O2 -g -fno-omit-frame-pointer \
        -ffunction-sections -fdata-sections -D_GNU_SOURCE $(WARN)
POSIX_LIB_CFLAGS := $(POSIX_CFLAGS) -Iabi/include -Ilib/common/include \
        -Ilib/capnp/include -Ilib/capos/include -I$(BUILD)/gen -DCAPOS_USER=1

POSIX_LIB_SRCS := $(sort $(wildcard lib/posix/*.c))
POSIX_LIB_OBJS := $(patsubst %.c,$(POSIX_OBJ)/%.o,$(POSIX_LIB_SRCS))
POSIX_LIB := $(POSIX_OBJ)/libcapos-posix.a
POSIX_CRT1 := $(POSIX_OBJ)/lib/posix/crt1.o
POSIX_RT := $(POSIX_OBJ)/libcapos-rt.a
POSIX_RT_OBJS := $(filter $(USER_OBJ)/lib/capos/% $(USER_OBJ)/lib/capnp/%,\
        $(USER_LIB_OBJS))
POSIX_LDS := lib/posix/posix.ld
POSIX_LIBGCC := $(shell $(CC) -print-libgcc-file-name)

$(POSIX_OBJ)/lib/posix/%.o: lib/posix/%.c $(MUSL_STAMP) | $(GEN_HEADERS)
	@mkdir -p $(@D)
	@echo "  CC      $< (posix)"
	$(Q)$(CC) $(POSIX_LIB_CFLAGS) -MMD -MP -c $< -o $@
$(POSIX_CRT1): lib/posix/crt1.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) -c $< -o $@
$(POSIX_LIB): $(POSIX_LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^
$(POSIX_RT): $(POSIX_RT_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# Objects of musl programs: $(POSIX_OBJ)/prog/SOURCE.o.
$(POSIX_OBJ)/prog/%.o: %.c $(MUSL_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $< (musl)"
	$(Q)$(CC) $(POSIX_CFLAGS) $(POSIX_PROG_CFLAGS) -MMD -MP -c $< -o $@

# $(call posix_link,NAME,OBJECTS): $(BUILD)/user/NAME.elf linked from
# OBJECTS with musl, the POSIX layer and the runtime, and checked for
# system-call instructions.
define posix_link
POSIX_PROGRAMS += $(USER_OUT)/$(1).elf
$(POSIX_OBJ)/$(1).elf: $(2) $(POSIX_CRT1) $(MUSL_STAMP) $(POSIX_LIB) \
        $(POSIX_RT) $(POSIX_LDS) $(NOSYSCALL)
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	$(Q)$(LD) -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
	    --gc-sections --build-id=none -T $(POSIX_LDS) -o $$@ \
	    $(POSIX_CRT1) $(MUSL_CRTI) $(2) --start-group \
	    $(MUSL_LIB) $(POSIX_LIB) $(POSIX_RT) $(POSIX_LIBGCC) --end-group \
	    $(MUSL_CRTN)
	$(Q)$(NOSYSCALL) $$@ capos_cap_enter capos_exit
$(USER_OUT)/$(1).elf: $(POSIX_OBJ)/$(1).elf $(USER_STAMP)
	@mkdir -p $$(@D)
	$(Q)strip --strip-debug -o $$@ $$<
endef

# $(call posix_program,NAME,SOURCES): a program from the project's C
# SOURCES, built against musl with the project's warnings.
define posix_program
POSIX_PROG_OBJS += $(patsubst %.c,$(POSIX_OBJ)/prog/%.o,$(2))
$(call posix_link,$(1),$(patsubst %.c,$(POSIX_OBJ)/prog/%.o,$(2)))
endef

POSIX_PROGRAMS :=
POSIX_PROG_OBJS :=
$(eval $(call posix_program,posix/hello,user/posix/hello.c))

# ---- Lua 5.4: Debian's lua5.4 source, unmodified -------------------------
# Built with upstream's own flags (LUA_COMPAT_5_3, as Debian does) and
# LUA_USE_POSIX (no dlopen: static only).  The interpreter is `lua`.
LUA_SRC := $(DEBSRC)/lua5.4
LUA_STAMP := $(LUA_SRC)/.debsrc-version
LUA_MODULES := lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem \
        lobject lopcodes lparser lstate lstring ltable ltm lundump lvm lzio \
        lauxlib lbaselib lcorolib ldblib liolib lmathlib loadlib loslib \
        lstrlib ltablib lutf8lib linit lua
LUA_OBJS := $(patsubst %,$(POSIX_OBJ)/lua/%.o,$(LUA_MODULES))
LUA_CFLAGS := $(filter-out $(WARN),$(POSIX_CFLAGS)) -Wall -Wextra \
        -DLUA_COMPAT_5_3 -DLUA_USE_POSIX -Ilib/posix/lua

$(LUA_STAMP): tools/debsrc.sh
	@echo "  DEBSRC  lua5.4"
	$(Q)tools/debsrc.sh lua5.4 $(LUA_SRC)
$(LUA_OBJS): $(POSIX_OBJ)/lua/%.o: $(LUA_STAMP) $(MUSL_STAMP) \
        lib/posix/lua/lua5.4-deb-multiarch.h
	@mkdir -p $(@D)
	@echo "  CC      lua5.4/src/$*.c (musl)"
	$(Q)$(CC) $(LUA_CFLAGS) -c $(LUA_SRC)/src/$*.c -o $@
$(eval $(call posix_link,posix/lua,$(LUA_OBJS)))

# posix/run: a test's POSIX program with the standard grants (user/posix/run.c).
$(eval $(call user_program,posix/run,user/posix/run.c))
POSIX_PROGRAMS += $(USER_OUT)/posix/run.elf

# The Lua tests (tests/posix/lua/NAME.lua): their posix/run arguments as
# capnp constants for system/tests.capnp, and the host lua5.4's output as
# the expected console output (tests/posix/lua/gen.py).
POSIX_TESTS_OUT := $(BUILD)/posix-tests
LUA_TEST_SCRIPTS := $(sort $(wildcard tests/posix/lua/*.lua))
LUA_TESTS_CAPNP := $(POSIX_TESTS_OUT)/lua_tests.capnp
$(LUA_TESTS_CAPNP): tests/posix/lua/gen.py $(LUA_TEST_SCRIPTS)
	@echo "  LUATEST $@ (host lua5.4)"
	$(Q)rm -rf $(POSIX_TESTS_OUT)/expect
	$(Q)python3 tests/posix/lua/gen.py $(POSIX_TESTS_OUT) /usr/bin/lua5.4 \
	    $(LUA_TEST_SCRIPTS)
POSIX_PROGRAMS += $(LUA_TESTS_CAPNP)

# Directories of NAME.out files: the exact console output of manifest test
# NAME (tests/system/run.py --expect).
POSIX_EXPECT_DIRS := tests/posix $(POSIX_TESTS_OUT)/expect

.PHONY: posix
posix: $(POSIX_PROGRAMS)
all: posix

-include $(POSIX_LIB_OBJS:.o=.d) $(POSIX_PROG_OBJS:.o=.d)

# ---- host tests -----------------------------------------------------------
# The pure parts of the POSIX layer, with the host's libc headers (Linux's
# errno and fcntl values, the same as musl's).
POSIX_HOST_SRCS := lib/posix/fd.c lib/posix/vma.c lib/posix/errno_map.c lib/posix/path.c \
        $(sort $(wildcard tests/host/posix/*.c))
$(eval $(call host_test,posix,$(POSIX_HOST_SRCS)))
$(BUILD)/host/posix: $(wildcard lib/posix/*.h)
