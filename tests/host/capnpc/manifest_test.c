/* SPDX-License-Identifier: MIT */
/*
 * manifest_test.c - the boot manifest round trip: test_manifest.capnp is
 * serialized by `capnp eval -b` (mk/capnpc.mk) and every field is read back
 * with the generated capos.capnp.h readers, as the kernel and init do.
 */
#include <common/test.h>
#include <string.h>

#include "capos.capnp.h"

extern const unsigned char capnpc_manifest_bin[];
extern const unsigned long capnpc_manifest_bin_len;

static uint64_t buf[1024];

static bool text_eq(struct capnp_text t, const char *s)
{
    return t.len == strlen(s) && memcmp(t.str, s, t.len) == 0;
}

/* Parse the embedded manifest with kernel-style options (no far ptrs). */
static capos_system_manifest_r load(struct capnp_msg *m, unsigned long len)
{
    struct capnp_read_opts o = {.flags = CAPNP_READ_NO_FAR,
                                .traversal_limit = 4 * 1024};

    memcpy(buf, capnpc_manifest_bin, capnpc_manifest_bin_len);
    capnp_msg_init(m, buf, len, &o);
    return capos_system_manifest_read_root(m);
}

TEST(capnpc_manifest_roundtrip_binaries)
{
    static const char dummy[] = "DUMMY\0\1\2ELF-ish test payload\n";
    struct capnp_msg m;
    capos_system_manifest_r r = load(&m, capnpc_manifest_bin_len);

    EXPECT_EQ(capos_system_manifest_get_schema_version(r),
              CAPOS_MANIFEST_SCHEMA_VERSION);
    capos_binary_rlist bins = capos_system_manifest_get_binaries(r);
    ASSERT_EQ(capos_binary_rlist_len(bins), 2);
    capos_binary_r b0 = capos_binary_rlist_get(bins, 0);
    EXPECT_TRUE(text_eq(capos_binary_get_name(b0), "init"));
    struct capnp_data d = capos_binary_get_data(b0);
    EXPECT_EQ(d.len, sizeof dummy - 1);
    EXPECT_TRUE(memcmp(d.ptr, dummy, sizeof dummy - 1) == 0);
    d = capos_binary_get_data(capos_binary_rlist_get(bins, 1));
    EXPECT_TRUE(d.len == 4 && memcmp(d.ptr, "\177ELF", 4) == 0);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

TEST(capnpc_manifest_roundtrip_init_and_services)
{
    struct capnp_msg m;
    capos_system_manifest_r r = load(&m, capnpc_manifest_bin_len);
    capos_init_config_r ic = capos_system_manifest_get_init_config(r);
    capos_service_entry_r init = capos_init_config_get_init(ic);

    EXPECT_TRUE(text_eq(capos_service_entry_get_name(init), "init"));
    EXPECT_TRUE(text_eq(capos_service_entry_get_binary(init), "init"));
    EXPECT_EQ(capos_service_entry_get_restart(init), CAPOS_RESTART_POLICY_NEVER);
    capos_cap_grant_rlist g = capos_service_entry_get_grants(init);
    ASSERT_EQ(capos_cap_grant_rlist_len(g), 2);
    capos_cap_grant_r g1 = capos_cap_grant_rlist_get(g, 1);
    EXPECT_TRUE(text_eq(capos_cap_grant_get_name(g1), "spawner"));
    EXPECT_EQ(capos_cap_grant_get_interface_id(g1),
              CAPOS_PROCESS_SPAWNER_INTERFACE_ID);
    capos_cap_grant_source_r s1 = capos_cap_grant_get_source(g1);
    EXPECT_EQ(capos_cap_grant_source_which(s1), CAPOS_CAP_GRANT_SOURCE_KERNEL);
    EXPECT_EQ(capos_cap_grant_source_get_kernel(s1),
              CAPOS_KERNEL_CAP_PROCESS_SPAWNER);
    EXPECT_EQ(capos_cap_grant_get_interface_id(capos_cap_grant_rlist_get(g, 0)),
              CAPOS_CONSOLE_INTERFACE_ID);

    capos_service_entry_rlist sv = capos_init_config_get_services(ic);
    ASSERT_EQ(capos_service_entry_rlist_len(sv), 1);
    capos_service_entry_r echo = capos_service_entry_rlist_get(sv, 0);
    EXPECT_TRUE(text_eq(capos_service_entry_get_name(echo), "echo"));
    EXPECT_EQ(capos_service_entry_get_restart(echo),
              CAPOS_RESTART_POLICY_ON_FAILURE);
    g = capos_service_entry_get_grants(echo);
    ASSERT_EQ(capos_cap_grant_rlist_len(g), 3);
    capos_cap_grant_source_r s0 =
        capos_cap_grant_get_source(capos_cap_grant_rlist_get(g, 0));
    EXPECT_EQ(capos_cap_grant_source_get_kernel(s0), CAPOS_KERNEL_CAP_ENDPOINT);
    capos_cap_grant_source_r sl =
        capos_cap_grant_get_source(capos_cap_grant_rlist_get(g, 1));
    EXPECT_EQ(capos_cap_grant_source_which(sl), CAPOS_CAP_GRANT_SOURCE_SERVICE);
    capos_cap_grant_source_service_r ss = capos_cap_grant_source_get_service(sl);
    EXPECT_TRUE(text_eq(capos_cap_grant_source_service_get_service(ss), "init"));
    EXPECT_TRUE(text_eq(capos_cap_grant_source_service_get_export(ss), "console"));
    capos_cap_grant_r self = capos_cap_grant_rlist_get(g, 2);
    capos_cap_grant_source_r sc = capos_cap_grant_get_source(self);
    EXPECT_EQ(capos_cap_grant_source_which(sc), CAPOS_CAP_GRANT_SOURCE_CLIENT_OF);
    EXPECT_TRUE(text_eq(capos_cap_grant_source_get_client_of(sc), "ep"));
    EXPECT_EQ(capos_cap_grant_get_interface_id(self),
              CAPOS_CLIENT_ENDPOINT_INTERFACE_ID);
    capos_service_export_rlist ex = capos_service_entry_get_exports(echo);
    ASSERT_EQ(capos_service_export_rlist_len(ex), 1);
    capos_service_export_r e0 = capos_service_export_rlist_get(ex, 0);
    EXPECT_TRUE(text_eq(capos_service_export_get_name(e0), "echo"));
    EXPECT_TRUE(text_eq(capos_service_export_get_grant(e0), "ep"));
    EXPECT_EQ(capos_service_export_get_interface_id(e0),
              CAPOS_CONSOLE_INTERFACE_ID);
    struct capnp_list args = capos_service_entry_get_args(echo);
    ASSERT_EQ(capnp_list_len(&args), 2);
    struct capnp_ptr a1 = capnp_list_ptr(&args, 1);
    EXPECT_TRUE(text_eq(capnp_ptr_read_text(&a1, (struct capnp_text){0, 0}),
                        "--name=echo"));
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

TEST(capnpc_manifest_roundtrip_kernel_params)
{
    struct capnp_msg m;
    capos_system_manifest_r r = load(&m, capnpc_manifest_bin_len);
    capos_kernel_params_r kp = capos_system_manifest_get_kernel_params(r);

    EXPECT_EQ(capos_kernel_params_get_log_level(kp), CAPOS_LOG_LEVEL_DEBUG);
    EXPECT_TRUE(text_eq(capos_kernel_params_get_test_filter(kp), "cap_*"));
    EXPECT_TRUE(text_eq(capos_kernel_params_get_motd(kp), "hi"));
    EXPECT_EQ(capos_kernel_params_get_timer_hz(kp), 250);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

TEST(capnpc_manifest_defaults_when_absent)
{
    capos_kernel_params_r kp = {{0}};

    EXPECT_EQ(capos_kernel_params_get_log_level(kp), CAPOS_LOG_LEVEL_INFO);
    EXPECT_EQ(capos_kernel_params_get_timer_hz(kp), 100);
    EXPECT_EQ(capos_kernel_params_get_motd(kp).len, 0);
}

TEST(capnpc_manifest_truncated_is_rejected)
{
    struct capnp_msg m;

    /* Cut inside the first segment: the framing no longer fits. */
    load(&m, capnpc_manifest_bin_len / 2);
    EXPECT_NE(capnp_msg_error(&m), CAPNP_OK);
    capos_system_manifest_r r = capos_system_manifest_read_root(&m);
    EXPECT_EQ(capos_binary_rlist_len(capos_system_manifest_get_binaries(r)), 0);
}
