# mk/bench.mk - `make bench`: instruction-count benchmarks of capOS and a
# Linux guest in the same QEMU (docs/performance.md), and the bench-smoke
# suite of `make test`.
#
#   make bench          both guests under TCG with -icount shift=0: the
#                       side-by-side table in build/bench/report.txt and
#                       report.json (each guest booted twice; the run
#                       fails if the two boots disagree in any figure)
#   make bench KVM=1    -accel kvm -cpu host instead: cycles, one boot
#   suite bench-smoke   the capOS driver with every count / 100 and the
#                       Linux benchmark as a host process: runs and prints
#
# capOS side: user/bench/ (driver = init of system/bench.capnp, server,
# tiny).  Linux side: tools/bench/linux/ built static with the host's gcc
# and glibc, packed as /init of a deterministic initramfs
# (tools/bench/mkinitramfs.sh); the kernel is Debian's
# linux-image-*-amd64-unsigned, fetched by tools/bench/fetch-linux.sh into
# build/bench/linux/ (apt-get download + dpkg-deb -x, never installed).

BENCH_DIR := $(BUILD)/bench
BENCH_LINUX := $(BENCH_DIR)/linux
BENCH_MANIFEST := $(BUILD)/manifest-bench.bin
BENCH_SMOKE_MANIFEST := $(BUILD)/manifest-bench-smoke.bin
BENCH_KERNEL := $(BUILD)/capos.elf    # = KERNEL_ELF of mk/kernel.mk

# ---- capOS programs -----------------------------------------------------
# This fragment is read before mk/user.mk (alphabetical order), so it
# spells out the paths user.mk's user_program would use; the compile
# rules and the variables used inside recipes come from user.mk.
BENCH_UOBJ := $(BUILD)/$(COMPILER)/user
BENCH_UOUT := $(BUILD)/user
BENCH_ULIBS := $(BENCH_UOBJ)/lib/capos/crt0.o $(BENCH_UOBJ)/libcapos.a \
        user/user.ld
BENCH_DRIVER_OBJS := $(patsubst %.c,$(BENCH_UOBJ)/%.o,user/bench/main.c \
        user/bench/ring.c user/bench/ipc.c user/bench/mem.c)
BENCH_SERVER_OBJS := $(BENCH_UOBJ)/user/bench/server.o
BENCH_TINY_OBJS := $(BENCH_UOBJ)/user/bench/tiny.o
USER_ALL_OBJS += $(BENCH_DRIVER_OBJS) $(BENCH_SERVER_OBJS) $(BENCH_TINY_OBJS)

# The driver's entry is bench_entry (main.c), which reads the TSC first.
$(BENCH_UOBJ)/bench/main.elf: $(BENCH_DRIVER_OBJS) $(BENCH_ULIBS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(LD) $(USER_LDFLAGS) -e bench_entry -o $@ $(USER_CRT0) \
	    $(BENCH_DRIVER_OBJS) --start-group $(USER_LIB) --end-group
$(BENCH_UOBJ)/bench/server.elf: $(BENCH_SERVER_OBJS) $(BENCH_ULIBS)
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(LD) $(USER_LDFLAGS) -o $@ $(USER_CRT0) $(BENCH_SERVER_OBJS) \
	    --start-group $(USER_LIB) --end-group
# bench_tiny: no crt0, no runtime (its _start is the whole program).
$(BENCH_UOBJ)/bench/tiny.elf: $(BENCH_TINY_OBJS) user/user.ld
	@mkdir -p $(@D)
	@echo "  LD      $@"
	$(Q)$(LD) $(USER_LDFLAGS) -o $@ $(BENCH_TINY_OBJS)
$(BENCH_UOUT)/bench/%.elf: $(BENCH_UOBJ)/bench/%.elf $(BENCH_UOUT)/.compiler
	@mkdir -p $(@D)
	$(Q)strip --strip-debug -o $@ $<

BENCH_ELFS := $(addprefix $(BENCH_UOUT)/bench/,main.elf server.elf tiny.elf)
$(BENCH_MANIFEST): system/bench.capnp schema/capos.capnp $(GEN_IDS) $(BENCH_ELFS)
	@echo "  CAPNP   $@"
	$(Q)capnp eval -b -I$(BUILD) -I$(BUILD)/gen system/bench.capnp manifest > $@.tmp && mv $@.tmp $@
$(BENCH_SMOKE_MANIFEST): system/bench.capnp schema/capos.capnp $(GEN_IDS) $(BENCH_ELFS)
	@echo "  CAPNP   $@"
	$(Q)capnp eval -b -I$(BUILD) -I$(BUILD)/gen system/bench.capnp smoke > $@.tmp && mv $@.tmp $@
all: $(BENCH_MANIFEST) $(BENCH_SMOKE_MANIFEST)

# ---- Linux guest --------------------------------------------------------
BENCH_LINUX_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -Iuser/bench
BENCH_LINUX_SRCS := tools/bench/linux/bench.c tools/bench/linux/uring.c \
        tools/bench/linux/pair.c
$(BENCH_LINUX)/bench: $(BENCH_LINUX_SRCS) tools/bench/linux/lbench.h \
        user/bench/bench.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@ (static)"
	$(Q)gcc $(BENCH_LINUX_CFLAGS) -static -o $@ $(BENCH_LINUX_SRCS)
$(BENCH_LINUX)/tiny: tools/bench/linux/tiny.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@ (static, no libc)"
	$(Q)gcc $(BENCH_LINUX_CFLAGS) -static -nostdlib -fno-stack-protector \
	    -fno-pie -no-pie -Wl,--build-id=none -o $@ $<
$(BENCH_LINUX)/initramfs.cpio: $(BENCH_LINUX)/bench $(BENCH_LINUX)/tiny \
        tools/bench/mkinitramfs.sh
	@echo "  CPIO    $@"
	$(Q)tools/bench/mkinitramfs.sh $@ $(BENCH_LINUX)/bench $(BENCH_LINUX)/tiny
$(BENCH_LINUX)/vmlinuz: tools/bench/fetch-linux.sh
	$(Q)tools/bench/fetch-linux.sh $(BENCH_LINUX)

# ---- targets ------------------------------------------------------------
BENCH_RUN := python3 tools/bench/run.py --capos-kernel $(BENCH_KERNEL) \
        --linux-kernel $(BENCH_LINUX)/vmlinuz \
        --linux-initrd $(BENCH_LINUX)/initramfs.cpio

.PHONY: bench
bench: deps $(BENCH_KERNEL) $(BENCH_MANIFEST) $(BENCH_LINUX)/vmlinuz \
        $(BENCH_LINUX)/initramfs.cpio
	@$(BENCH_RUN) --capos-manifest $(BENCH_MANIFEST) --out $(BENCH_DIR) \
	    $(if $(filter 1,$(KVM)),--kvm)

TEST_SUITES += bench-smoke
.PHONY: suite-bench-smoke
suite-bench-smoke: $(BENCH_KERNEL) $(BENCH_SMOKE_MANIFEST) $(BENCH_LINUX)/bench \
        $(BENCH_LINUX)/tiny
	@$(SUITE) bench-smoke $(BENCH_RUN) --smoke \
	    --capos-manifest $(BENCH_SMOKE_MANIFEST) \
	    --linux-native $(BENCH_LINUX)/bench --out $(BENCH_DIR)/smoke
