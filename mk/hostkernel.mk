# mk/hostkernel.mk - host unit tests of portable kernel code.
$(eval $(call host_test,kernel,tests/host/kernel/bootinfo_test.c \
    tests/host/kernel/manifest_test.c kernel/core/manifest.c \
    tests/host/harness_test.c kernel/core/bootinfo.c lib/common/string.c \
    lib/common/fmt.c $(wildcard lib/capnp/*.c)))
$(BUILD)/host/kernel: $(GEN_HEADERS)
