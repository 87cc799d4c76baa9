# mk/core.mk - portable core libraries: fmt, string, bitmap (lib/common),
# the frame allocator core and the kernel heap (kernel/mm), with host tests.
#
#   make build/host/core && build/host/core [name|prefix*]   host unit tests
#   make core-freestanding-check [CC=clang]   compile the sources with
#        FREE_CFLAGS into build/check/<compiler>/, then link them with
#        `ld -r` and fail if anything is left undefined (a stray libgcc or
#        libc call such as __popcountdi2 or a self-recursive memcpy).

CORE_SRCS := lib/common/fmt.c lib/common/string.c lib/common/bitmap.c \
             kernel/mm/frame.c kernel/mm/kheap.c
CORE_HDRS := $(wildcard lib/common/include/common/*.h) \
             kernel/include/kernel/frame.h kernel/include/kernel/kheap.h
CORE_TESTS := $(sort $(wildcard tests/host/core/*.c))

$(eval $(call host_test,core,$(CORE_SRCS) $(CORE_TESTS)))
$(BUILD)/host/core: $(CORE_HDRS) tests/host/core/core_test.h

CORE_CHECK_DIR := $(BUILD)/check/$(COMPILER)
CORE_CHECK_OBJS := $(patsubst %.c,$(CORE_CHECK_DIR)/%.o,$(CORE_SRCS))

$(CORE_CHECK_OBJS): $(CORE_CHECK_DIR)/%.o: %.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(FREE_CFLAGS) -c -o $@ $<

.PHONY: core-freestanding-check
core-freestanding-check: $(CORE_CHECK_OBJS)
	$(LD) -r -o $(CORE_CHECK_DIR)/core.o $(CORE_CHECK_OBJS)
	@undef=$$(nm -u $(CORE_CHECK_DIR)/core.o); \
	if [ -n "$$undef" ]; then \
		echo "core-freestanding-check: undefined symbols:"; \
		echo "$$undef"; exit 1; \
	fi
	@echo "core-freestanding-check: OK ($(COMPILER))"
