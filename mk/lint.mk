# mk/lint.mk - static analysis: `make lint` runs gcc -fanalyzer over the
# kernel and libraries, cppcheck, and clang-tidy with a focused check set.
# Findings fail the target.  Not part of `make test` (slow); run before a
# change lands.

LINT_SRCS := $(filter-out kernel/arch/%,$(KERNEL_SRCS)) $(wildcard lib/capos/*.c lib/libc/*.c)
LINT_INCLUDES := -Ilib/capos/include -Ilib/libc/include
# Left out: style-only checks, and checks with false positives on this code
# (va_list passed by pointer, widening of already-bounded products).
LINT_TIDY_CHECKS := -*,bugprone-*,-bugprone-easily-swappable-parameters,\
-bugprone-reserved-identifier,-bugprone-narrowing-conversions,\
-bugprone-assignment-in-if-condition,-bugprone-implicit-widening-of-multiplication-result,\
-bugprone-macro-parentheses,-bugprone-branch-clone,clang-analyzer-*,\
-clang-analyzer-valist.Uninitialized,-clang-analyzer-optin.portability.*,\
-clang-analyzer-security.insecureAPI.*,cert-err34-c,misc-redundant-expression

.PHONY: lint lint-analyzer lint-cppcheck lint-tidy
lint: lint-analyzer lint-cppcheck lint-tidy

# lib/libc/stdlib.c defines malloc itself, which the analyzer cannot tell
# from the C library's and reports as a leak.
lint-analyzer: $(GEN_HEADERS)
	@echo "  ANALYZE kernel and libraries (gcc -fanalyzer)"
	$(Q)for f in $(filter-out lib/libc/stdlib.c,$(LINT_SRCS)); do \
	  gcc $(filter-out $(KTARGET),$(KERNEL_CFLAGS)) $(LINT_INCLUDES) -fanalyzer -Wno-analyzer-use-of-uninitialized-value -c -o /dev/null $$f || exit 1; \
	done

lint-cppcheck: $(GEN_HEADERS)
	@echo "  CPPCHECK"
	$(Q)cppcheck -q --error-exitcode=1 --enable=warning,portability,performance \
	  --std=c11 --inline-suppr --suppress=missingIncludeSystem \
	  --suppress=comparePointers:kernel/core/main.c \
	  --suppress=comparePointers:lib/common/test.c \
	  -D__BYTE_ORDER__=1234 -D__ORDER_LITTLE_ENDIAN__=1234 -D__x86_64__=1 \
	  -Iabi/include -Ilib/common/include -Ilib/capnp/include -Ikernel/include \
	  -Ikernel/arch/x86_64/include -I$(BUILD)/gen -DCAPOS_KERNEL=1 \
	  kernel lib/common lib/capnp

lint-tidy: $(GEN_HEADERS)
	@echo "  CLANG-TIDY"
	$(Q)clang-tidy --quiet --warnings-as-errors='*' -checks='$(LINT_TIDY_CHECKS)' \
	  $(LINT_SRCS) -- $(filter-out -isystem%,$(FREE_CFLAGS)) $(LINT_INCLUDES) \
	  -isystem $(shell clang -print-file-name=include) -mcmodel=kernel 2>&1 \
	  | grep -vE "^[0-9]+ warnings? generated\.?$$" ; exit $${PIPESTATUS[0]}
