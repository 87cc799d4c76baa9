# mk/term.mk - the terminal service (user/term), the capability shell
# (user/shell) and their host tests; `make run-shell` boots to the shell.
# See docs/terminal.md and docs/shell.md.
#
#   suite host-term     line discipline and shell parser (ASan+UBSan)

TERM_HOST_SRCS := user/term/ledit.c user/shell/parse.c $(sort $(wildcard tests/host/term/*.c))
$(eval $(call host_test,term,$(TERM_HOST_SRCS)))
$(BUILD)/host/term: $(wildcard user/term/*.h user/shell/*.h tests/host/term/*.h)
