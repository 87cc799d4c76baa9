# mk/ushell.mk - the terminal service (user/term), the capability shell
# (user/shell) and their host tests; `make run-shell` boots to the shell.
# (Named to sort after mk/user.mk, whose user_program it uses.)
# See docs/terminal.md and docs/shell.md.
#
#   suite host-term     line discipline and shell parser (ASan+UBSan)

TERM_HOST_SRCS := user/term/ledit.c user/shell/parse.c user/term/session.c \
        lib/capos/msg.c $(CAPNP_SRCS) $(sort $(wildcard tests/host/term/*.c))
$(eval $(call host_test,term,$(TERM_HOST_SRCS)))
$(BUILD)/host/term: HOST_CFLAGS += -Ilib/capos/include
$(BUILD)/host/term: $(BUILD)/gen/capos.capnp.h
$(BUILD)/host/term: $(wildcard user/term/*.h user/shell/*.h tests/host/term/*.h)

# ---- programs ---------------------------------------------------------------
$(eval $(call user_program,term,user/term/main.c user/term/session.c \
        user/term/ledit.c user/term/serialc.c))
$(eval $(call user_program,shell,user/shell/main.c user/shell/parse.c \
        user/term/tsclient.c))
$(eval $(call user_program,hello,user/shell/hello.c user/term/tsclient.c))

# ---- the interactive system (system/shell.capnp) ---------------------------
SHELL_MANIFEST := $(BUILD)/manifest-shell.bin
$(SHELL_MANIFEST): system/shell.capnp schema/capos.capnp $(GEN_IDS) $(USER_OUT)/init.elf \
        $(USER_OUT)/term.elf $(USER_OUT)/shell.elf $(USER_OUT)/hello.elf \
        $(USER_OUT)/demo/kvstore.elf
	@echo "  CAPNP   $@"
	$(Q)capnp eval -b -I$(BUILD) -I$(BUILD)/gen system/shell.capnp manifest > $@.tmp && mv $@.tmp $@
all: $(SHELL_MANIFEST)

# Boot to the shell prompt (serial on this terminal; leave with Ctrl-a x).
.PHONY: run-shell
run-shell: deps
	@$(MAKE) --no-print-directory $(KERNEL_ELF) $(SHELL_MANIFEST)
	@INITRD=$(SHELL_MANIFEST) tools/run-qemu.sh pvh $(KERNEL_ELF); \
	 s=$$?; if [ $$s = $(QEMU_OK_STATUS) ]; then echo "qemu: capOS shut down cleanly"; \
	 else echo "qemu: exit status $$s"; exit $$s; fi

# ---- the scripted interactive test (tests/system/interactive.py) -----------
TEST_SUITES += interactive
.PHONY: suite-interactive
suite-interactive: $(KTEST_ELF) $(SHELL_MANIFEST)
	@$(SUITE) interactive python3 tests/system/interactive.py $(KTEST_ELF) \
	    $(SHELL_MANIFEST)
