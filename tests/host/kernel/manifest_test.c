/*
 * manifest_test.c - host tests of kernel/core/manifest.c: manifests built
 * with the generated builders, each broken in one way, must be refused
 * with the exact error and a message naming what is wrong.
 */
#include <stdio.h>
#include <string.h>
#include <capos.capnp.h>
#include <common/string.h>
#include <common/test.h>
#include <kernel/manifest.h>

static uint64_t arena[8192];
static uint8_t out[sizeof arena + 64] __attribute__((aligned(8)));
static char why[200];
static bool avail_all(uint32_t k) { (void)k; return true; }
static bool avail_none(uint32_t k) { (void)k; return false; }

/* When set, build() applies it to init's entry (its args). */
static void (*entry_mutate)(capos_service_entry_b e);

/* A valid manifest: binary "init", init with one console grant.  mutate
 * (may be NULL) changes the grant before serialization. */
static size_t build(void (*mutate)(capos_cap_grant_b g))
{
    struct capnp_builder b;
    size_t n = 0;
    capnp_builder_init(&b, arena, 8192);
    capos_system_manifest_b m = capos_system_manifest_init_root(&b);
    capos_system_manifest_set_schema_version(m, 1);
    capos_binary_b bin = capos_binary_blist_at(capos_system_manifest_init_binaries(m, 1), 0);
    capos_binary_set_name(bin, "init", 4);
    capos_binary_set_data(bin, "\177ELF", 4);
    capos_service_entry_b init =
        capos_init_config_init_init(capos_system_manifest_init_init_config(m));
    capos_service_entry_set_name(init, "init", 4);
    capos_service_entry_set_binary(init, "init", 4);
    capos_cap_grant_b g = capos_cap_grant_blist_at(capos_service_entry_init_grants(init, 1), 0);
    capos_cap_grant_set_name(g, "console", 7);
    capos_cap_grant_set_interface_id(g, CAPOS_CONSOLE_INTERFACE_ID);
    capos_cap_grant_source_set_kernel(capos_cap_grant_init_source(g),
                                      CAPOS_KERNEL_CAP_CONSOLE);
    if (mutate)
        mutate(g);
    if (entry_mutate)
        entry_mutate(init);
    capos_kernel_params_set_timer_hz(capos_system_manifest_init_kernel_params(m), 100);
    capnp_builder_serialize(&b, out, sizeof out, &n);
    return n;
}

static void unknown_kind(capos_cap_grant_b g)
{
    capos_cap_grant_source_set_kernel(capos_cap_grant_init_source(g),
                                      (capos_kernel_cap_t)99);
}

static void wrong_iface(capos_cap_grant_b g)
{
    capos_cap_grant_set_interface_id(g, CAPOS_TIMER_INTERFACE_ID);
}

static void empty_name(capos_cap_grant_b g)
{
    capos_cap_grant_set_name(g, "", 0);
}

TEST(manifest_valid_opens)
{
    struct manifest m;
    manifest_kernel_cap_available = avail_all;
    size_t n = build(NULL);
    ASSERT_EQ(manifest_open(&m, out, n, why, sizeof why), ERR_OK);
    struct capnp_data elf;
    struct capnp_text name = {"init", 4};
    EXPECT_TRUE(manifest_binary(&m, name, &elf));
    EXPECT_EQ(elf.len, 4);
}

TEST(manifest_rejects_each_broken_grant)
{
    struct manifest m;
    manifest_kernel_cap_available = avail_all;
    EXPECT_EQ(manifest_open(&m, out, build(unknown_kind), why, sizeof why),
              ERR_BADFORMAT);
    EXPECT_TRUE(strstr(why, "unknown kernel capability 99") != NULL);
    EXPECT_EQ(manifest_open(&m, out, build(wrong_iface), why, sizeof why),
              ERR_WRONGTYPE);
    EXPECT_TRUE(strstr(why, "is not console's") != NULL);
    EXPECT_EQ(manifest_open(&m, out, build(empty_name), why, sizeof why),
              ERR_BADFORMAT);
    manifest_kernel_cap_available = avail_none;
    EXPECT_EQ(manifest_open(&m, out, build(NULL), why, sizeof why), ERR_NOSYS);
    EXPECT_TRUE(strstr(why, "not implemented by this kernel") != NULL);
}

TEST(manifest_rejects_garbage_and_truncation)
{
    struct manifest m;
    manifest_kernel_cap_available = avail_all;
    size_t n = build(NULL);
    for (size_t cut = 0; cut < n; cut += 8)
        EXPECT_NE(manifest_open(&m, out, cut, why, sizeof why), ERR_OK);
    memset(out, 0xa5, 64);
    EXPECT_EQ(manifest_open(&m, out, 64, why, sizeof why), ERR_BADFORMAT);
}

/* init's args: n texts of len bytes each, filled with c. */
static void set_args(capos_service_entry_b e, uint32_t n, uint32_t len, char c)
{
    static char buf[300];
    memset(buf, c, sizeof buf);
    struct capnp_list_builder l = capos_service_entry_init_args(e, n);
    for (uint32_t i = 0; i < n; i++) {
        struct capnp_ptr_builder pb = capnp_list_builder_ptr(&l, i);
        capnp_ptr_set_text(&pb, buf, len);
    }
}
static void args_most(capos_service_entry_b e) { set_args(e, 32, 32, 'a'); }
static void args_too_many(capos_service_entry_b e) { set_args(e, 33, 1, 'a'); }
static void args_too_long(capos_service_entry_b e) { set_args(e, 1, 256, 'a'); }
static void args_max_len(capos_service_entry_b e) { set_args(e, 4, 255, 'a'); }
static void args_too_big(capos_service_entry_b e) { set_args(e, 5, 205, 'a'); }
static void args_nul(capos_service_entry_b e) { set_args(e, 2, 3, '\0'); }
static void args_not_text(capos_service_entry_b e)
{
    capnp_init_list(&e.s, 4u, CAPNP_ELEM_BYTE, 8);
}

TEST(manifest_checks_args)
{
    struct manifest m;
    manifest_kernel_cap_available = avail_all;
    static const struct {
        void (*fn)(capos_service_entry_b e);
        err_t want;
        const char *why;
    } cases[] = {
        {args_most, ERR_OK, NULL},
        {args_max_len, ERR_OK, NULL},
        {args_too_many, ERR_RANGE, "more than 32 arguments"},
        {args_too_long, ERR_RANGE, "over 255 bytes"},
        {args_too_big, ERR_RANGE, "over 1,024 bytes"},
        {args_nul, ERR_BADFORMAT, "holds a NUL byte"},
        {args_not_text, ERR_BADFORMAT, "not a list of texts"},
    };
    for (uint32_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        entry_mutate = cases[i].fn;
        size_t n = build(NULL);
        EXPECT_EQ(manifest_open(&m, out, n, why, sizeof why), cases[i].want);
        if (cases[i].why)
            EXPECT_TRUE(strstr(why, cases[i].why) != NULL);
    }
    entry_mutate = NULL;
}

/* A manifest: binary "init" and binary "svc" (elf_len bytes), init and
 * nsvc services all running "svc"; with `alias`, the data of every binary
 * after the first points at the first one's. */
static size_t build_shared(uint32_t nsvc, uint32_t elf_len, uint32_t nbins,
                           bool alias)
{
    static uint8_t elf[16384];
    struct capnp_builder b;
    size_t n = 0;
    capnp_builder_init(&b, arena, 8192);
    capos_system_manifest_b m = capos_system_manifest_init_root(&b);
    capos_system_manifest_set_schema_version(m, 1);
    capos_binary_blist bl = capos_system_manifest_init_binaries(m, nbins);
    for (uint32_t i = 0; i < nbins; i++) {
        char name[16];
        capos_binary_b bin = capos_binary_blist_at(bl, i);
        snprintf(name, sizeof name, "b%u", i);
        capos_binary_set_name(bin, i ? name : "svc", i ? strlen(name) : 3);
        capos_binary_set_data(bin, elf, i ? 1 : elf_len);
    }
    capos_init_config_b ic = capos_system_manifest_init_init_config(m);
    capos_service_entry_b init = capos_init_config_init_init(ic);
    capos_service_entry_set_name(init, "init", 4);
    capos_service_entry_set_binary(init, "svc", 3);
    capos_service_entry_blist sl = capos_init_config_init_services(ic, nsvc);
    for (uint32_t i = 0; i < nsvc; i++) {
        char name[16];
        capos_service_entry_b e = capos_service_entry_blist_at(sl, i);
        snprintf(name, sizeof name, "svc%u", i);
        capos_service_entry_set_name(e, name, strlen(name));
        capos_service_entry_set_binary(e, "svc", 3);
        set_args(e, 2, 8, 'a');
    }
    capos_kernel_params_set_timer_hz(capos_system_manifest_init_kernel_params(m), 100);
    capnp_builder_serialize(&b, out, sizeof out, &n);
    if (!alias)
        return n;
    /* Re-point binary i's data pointer (pointer 1) at binary 0's data. */
    struct capnp_msg msg;
    struct capnp_read_opts o = {.traversal_limit = 1u << 30};
    if (capnp_msg_init(&msg, out, n, &o) != CAPNP_OK)
        return 0;
    capos_binary_rlist rl =
        capos_system_manifest_get_binaries(capos_system_manifest_read_root(&msg));
    uint64_t *p0 = (uint64_t *)capos_binary_rlist_get(rl, 0).s.ptrs + 1;
    uint64_t *target = p0 + 1 + (int32_t)(uint32_t)*p0 / 4;
    for (uint32_t i = 1; i < nbins; i++) {
        uint64_t *pi = (uint64_t *)capos_binary_rlist_get(rl, i).s.ptrs + 1;
        int64_t off = target - (pi + 1);
        *pi = (*p0 & ~0xffffffffull) | ((uint32_t)(off * 4) | 1);
    }
    return n;
}

TEST(manifest_services_share_a_binary)
{
    struct manifest m;
    manifest_kernel_cap_available = avail_all;
    size_t n = build_shared(MANIFEST_MAX_SERVICES, 16384, 1, false);
    ASSERT_EQ(manifest_open(&m, out, n, why, sizeof why), ERR_OK);
    struct capnp_data elf;
    struct capnp_text name = {"svc", 3};
    for (uint32_t i = 0; i < 200; i++) {
        manifest_rewind(&m);
        EXPECT_TRUE(manifest_binary(&m, name, &elf));
    }
    EXPECT_EQ(elf.len, 16384);
    EXPECT_EQ(capnp_msg_error(&m.msg), CAPNP_OK);
}

TEST(manifest_over_budget_names_the_budget)
{
    struct manifest m;
    manifest_kernel_cap_available = avail_all;
    size_t n = build_shared(1, 16384, MANIFEST_MAX_BINARIES, true);
    EXPECT_EQ(manifest_open(&m, out, n, why, sizeof why), ERR_RANGE);
    EXPECT_TRUE(strstr(why, "reads over") != NULL);
    EXPECT_TRUE(strstr(why, "aliased or cyclic pointers") != NULL);
}
