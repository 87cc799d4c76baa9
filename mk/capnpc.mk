# mk/capnpc.mk - schema/, the Cap'n Proto -> C generator (tools/capnpc), the
# generated headers, the boot manifest and their tests.  See docs/capnp.md
# ("Code generator") and docs/schema.md.
#
#   $(GEN_HEADERS)              build/gen/<name>.capnp.h for schema/*.capnp
#   make manifest               $(MANIFEST) = build/manifest.bin (boot module)
#   make capnpc-check           generated headers compile under FREE_CFLAGS
#   make capnpc-bootstrap-update  rewrite tools/capnpc/schema.capnp.h after a
#                               generator change (then commit it)
#   suites: host-capnpc (accessors, manifest round trip, dispatch),
#           capnpc-bootstrap (regenerated bootstrap == committed; fixpoint),
#           capnpc-cli (capnp convert golden test, rejections)
#
# Embedded binaries: system/system.capnp embeds "/user/init.elf", found in
# $(BUILD) or else in a placeholder directory.  Fragments that build ELFs add
# them as prerequisites:  $(MANIFEST): $(BUILD)/user/init.elf

CAPNPC := $(BUILD)/tools/capnpc-capos
CAPNPC_ASAN := $(BUILD)/tools/capnpc-capos-asan
CAPNPC_SRCS := $(sort $(wildcard tools/capnpc/*.c))
CAPNPC_RT_SRCS := $(sort $(wildcard lib/capnp/*.c))
CAPNPC_DEPS := $(CAPNPC_SRCS) $(CAPNPC_RT_SRCS) tools/capnpc/capnpc.h \
        tools/capnpc/schema.capnp.h $(wildcard lib/capnp/include/capnp/*.h)
# The plugin runs inside `capnp compile`; no sanitizers (see CAPNPC_ASAN).
CAPNPC_CFLAGS := $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(HOST_CFLAGS))

$(CAPNPC): $(CAPNPC_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) $(CAPNPC_CFLAGS) -o $@ $(CAPNPC_SRCS) $(CAPNPC_RT_SRCS)

$(CAPNPC_ASAN): $(CAPNPC_DEPS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(CAPNPC_SRCS) $(CAPNPC_RT_SRCS)

# ---- generated headers ------------------------------------------------------
SCHEMA_FILES := $(sort $(wildcard schema/*.capnp))
GEN_HEADERS := $(patsubst schema/%.capnp,$(BUILD)/gen/%.capnp.h,$(SCHEMA_FILES))
# The typed RPC headers (handles, client stubs; user space only), written by
# the same run of the generator.
GEN_RPC_HEADERS := $(patsubst schema/%.capnp,$(BUILD)/gen/%.capnp.rpc.h,$(SCHEMA_FILES))
GEN_HEADERS += $(GEN_RPC_HEADERS)

# Interface ids by name for manifests (`using Id = import "/capos.ids.capnp"`).
GEN_IDS := $(patsubst schema/%.capnp,$(BUILD)/gen/%.ids.capnp,$(SCHEMA_FILES))

$(BUILD)/gen/%.capnp.h $(BUILD)/gen/%.capnp.rpc.h $(BUILD)/gen/%.ids.capnp: \
        schema/%.capnp $(CAPNPC)
	@mkdir -p $(@D)
	capnp compile -o$(abspath $(CAPNPC)):$(@D) $<

# Each generated header compiled alone, freestanding, with the selected CC.
GEN_CHECK_OBJS := $(patsubst $(BUILD)/gen/%.h,$(BUILD)/check/$(COMPILER)/gen/%.o,\
                  $(filter-out %.rpc.h,$(GEN_HEADERS)) $(CAPNPC_T_HEADERS))
$(BUILD)/check/$(COMPILER)/gen/%.o: $(BUILD)/gen/%.h
	@mkdir -p $(@D)
	echo '#include "$*.h"' | $(CC) $(FREE_CFLAGS) -x c -c -o $@ -
# The RPC headers alone, as user programs compile them.
GEN_CHECK_OBJS += $(patsubst $(BUILD)/gen/%.h,$(BUILD)/check/$(COMPILER)/rpc/%.o,\
                  $(GEN_RPC_HEADERS) $(BUILD)/gen/gen_test.capnp.rpc.h)
$(BUILD)/check/$(COMPILER)/rpc/%.o: $(BUILD)/gen/%.h $(GEN_HEADERS)
	@mkdir -p $(@D)
	echo '#include "$*.h"' | $(CC) $(USER_CFLAGS) -x c -c -o $@ -

.PHONY: capnpc capnpc-check capnpc-bootstrap-update manifest
capnpc: $(CAPNPC) $(GEN_HEADERS)
capnpc-check: $(GEN_CHECK_OBJS)
all: capnpc capnpc-check manifest

# ---- bootstrap: the generator's own accessors for schema.capnp ---------------
CAPNPC_BOOT_SCHEMA := /usr/include/capnp/schema.capnp
CAPNPC_BOOT_OUT := $(BUILD)/gen/capnpc-boot
capnpc-bootstrap-update: $(CAPNPC)
	@mkdir -p $(CAPNPC_BOOT_OUT)
	capnp compile -I/usr/include --src-prefix=/usr/include \
	    -o$(abspath $(CAPNPC)):$(CAPNPC_BOOT_OUT) $(CAPNPC_BOOT_SCHEMA)
	cp $(CAPNPC_BOOT_OUT)/schema.capnp.h tools/capnpc/schema.capnp.h

TEST_SUITES += capnpc-bootstrap
.PHONY: suite-capnpc-bootstrap
suite-capnpc-bootstrap: $(CAPNPC)
	@$(SUITE) capnpc-bootstrap tools/capnpc/check-bootstrap.sh $(CAPNPC) \
	    $(BUILD)/gen/capnpc-boot "$(HOSTCC) $(CAPNPC_CFLAGS)" \
	    "$(CAPNPC_SRCS) $(CAPNPC_RT_SRCS)"

# ---- boot manifest ------------------------------------------------------------
MANIFEST := $(BUILD)/manifest.bin
MANIFEST_PLACEHOLDER := $(BUILD)/gen/placeholder
manifest: $(MANIFEST)

$(MANIFEST_PLACEHOLDER)/user/init.elf:
	@mkdir -p $(@D)
	printf 'capOS placeholder: no user/init.elf built yet\n' > $@

# SYSTEM=file boots another manifest (docs/tutorial.md); the default is
# the demo.  Manifests import the generated ids (-I$(BUILD)/gen).
SYSTEM ?= system/system.capnp
$(MANIFEST): $(SYSTEM) system/common.capnp schema/capos.capnp $(GEN_IDS) \
             $(MANIFEST_PLACEHOLDER)/user/init.elf
	@mkdir -p $(@D) $(BUILD)/user
	capnp eval -b -I$(BUILD) -I$(BUILD)/gen -I. -I$(MANIFEST_PLACEHOLDER) \
	    $(SYSTEM) manifest > $@.tmp && mv $@.tmp $@

# ---- tests --------------------------------------------------------------------
CAPNPC_T := tests/host/capnpc
CAPNPC_TGEN := $(BUILD)/gen/capnpc-test

# Test schemas: gen_test (every feature) and one per topic.
CAPNPC_T_SCHEMAS := gen_test groups
CAPNPC_T_HEADERS := $(patsubst %,$(BUILD)/gen/%.capnp.h,$(CAPNPC_T_SCHEMAS))
# The same run writes the RPC header (checked with GEN_CHECK_OBJS).
$(BUILD)/gen/gen_test.capnp.rpc.h: $(BUILD)/gen/gen_test.capnp.h
	@test -f $@ || { rm -f $<; $(MAKE) --no-print-directory $<; }
$(CAPNPC_T_HEADERS): $(BUILD)/gen/%.capnp.h: $(CAPNPC_T)/%.capnp $(CAPNPC)
	@mkdir -p $(@D)
	capnp compile -o$(abspath $(CAPNPC)):$(@D) $<

# Binary fixtures, linked into the host test as byte arrays.
$(CAPNPC_TGEN)/manifest.bin: $(CAPNPC_T)/test_manifest.capnp \
        $(CAPNPC_T)/dummy.bin schema/capos.capnp
	@mkdir -p $(@D)
	capnp eval -b $< manifest > $@.tmp && mv $@.tmp $@
$(CAPNPC_TGEN)/golden.bin: $(CAPNPC_T)/golden.txt $(CAPNPC_T)/gen_test.capnp
	@mkdir -p $(@D)
	capnp convert text:binary $(CAPNPC_T)/gen_test.capnp All \
	    < $< > $@.tmp && mv $@.tmp $@
$(CAPNPC_TGEN)/%_bin.c: $(CAPNPC_TGEN)/%.bin tools/capnpc/bin2c.sh
	tools/capnpc/bin2c.sh capnpc_$*_bin < $< > $@

CAPNPC_TEST_SRCS := $(sort $(wildcard $(CAPNPC_T)/*.c)) \
        $(CAPNPC_TGEN)/manifest_bin.c $(CAPNPC_TGEN)/golden_bin.c \
        $(CAPNPC_RT_SRCS)
$(eval $(call host_test,capnpc,$(filter-out $(CAPNPC_T)/emit_golden.c,\
        $(CAPNPC_TEST_SRCS))))
$(BUILD)/host/capnpc: $(CAPNPC_T_HEADERS) $(BUILD)/gen/capos.capnp.h \
        $(wildcard $(CAPNPC_T)/*.h)

# emit_golden writes the builder's message for the capnp convert test.
$(BUILD)/host/capnpc-emit-golden: $(CAPNPC_T)/emit_golden.c \
        $(CAPNPC_T)/fill_all.h $(BUILD)/gen/gen_test.capnp.h $(CAPNPC_RT_SRCS)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(CAPNPC_T)/emit_golden.c $(CAPNPC_RT_SRCS)

TEST_SUITES += capnpc-cli
.PHONY: suite-capnpc-cli
suite-capnpc-cli: $(CAPNPC_ASAN) $(BUILD)/host/capnpc-emit-golden
	@$(SUITE) capnpc-cli tools/capnpc/check-cli.sh $(CAPNPC_ASAN) \
	    $(BUILD)/host/capnpc-emit-golden $(CAPNPC_TGEN)/cli
