# mk/cap.mk - portable kernel core of capabilities and the ring: kernel
# objects (kobj), the per-process capability table and the ring consumer /
# producer core, with host tests.
#
#   make build/host/cap && build/host/cap [name|prefix*]   host unit tests
#   make suite-host-cap                                     same, as a suite
#   make cap-freestanding-check [CC=clang]   compile the sources with
#        KERNEL_CFLAGS into build/check/<compiler>/cap/, link them with
#        `ld -r` (plus lib/common/string.c for memcpy/memset) and fail if
#        anything is left undefined.

CAP_SRCS := kernel/cap/kobj.c kernel/cap/cap_table.c kernel/ring/ring_core.c
CAP_HDRS := kernel/include/kernel/kobj.h kernel/include/kernel/cap_table.h \
            kernel/include/kernel/ring_core.h abi/include/abi/ring.h \
            abi/include/abi/errors.h abi/include/abi/errors.def
CAP_TESTS := $(sort $(wildcard tests/host/cap/*.c))

$(eval $(call host_test,cap,$(CAP_SRCS) lib/common/string.c $(CAP_TESTS)))
$(BUILD)/host/cap: $(CAP_HDRS) $(wildcard tests/host/cap/*.h)

CAP_CHECK_DIR := $(BUILD)/check/$(COMPILER)/cap
CAP_CHECK_OBJS := $(patsubst %.c,$(CAP_CHECK_DIR)/%.o,$(CAP_SRCS) \
                  lib/common/string.c)

$(CAP_CHECK_OBJS): $(CAP_CHECK_DIR)/%.o: %.c $(CAP_HDRS)
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

.PHONY: cap-freestanding-check
cap-freestanding-check: $(CAP_CHECK_OBJS)
	$(LD) -r -o $(CAP_CHECK_DIR)/cap.o $(CAP_CHECK_OBJS)
	@undef=$$(nm -u $(CAP_CHECK_DIR)/cap.o); \
	if [ -n "$$undef" ]; then \
		echo "cap-freestanding-check: undefined symbols:"; \
		echo "$$undef"; exit 1; \
	fi
	@echo "cap-freestanding-check: OK ($(COMPILER))"
