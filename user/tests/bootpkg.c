/*
 * bootpkg.c - BOOT0001..: BootPackage reads the manifest in chunks; the
 * bytes parse as a SystemManifest naming this very test; an offset beyond
 * the end is RANGE; Console rejects an oversized write whole (INVAL).
 */
#include "t.h"

static uint8_t manifest[4u << 20] __attribute__((aligned(8)));

static void read_all(uint32_t boot)
{
    uint64_t size = 0;
    CHECK_EQ(capos_boot_package_manifest_size(CAPOS_HANDLE(capos_boot_package, boot), &size, NULL), ERR_OK);
    CHECK(size > 0 && size <= sizeof manifest);
    if (size > sizeof manifest)
        return;
    uint64_t off = 0;
    while (off < size) {
        uint32_t got = 0;
        CHECK_EQ(capos_boot_read_manifest(CAPOS_HANDLE(capos_boot_package, boot), off, manifest + off, 3000, &got),
                 ERR_OK);
        if (got == 0)
            break;
        off += got;
    }
    CHECK_EQ(off, size);
    struct capnp_msg msg;
    CHECK_EQ(capos_msg_read(&msg, manifest, size), ERR_OK);
    capos_system_manifest_r root = capos_system_manifest_read_root(&msg);
    CHECK_EQ(capos_system_manifest_get_schema_version(root), 1);
    capos_service_entry_rlist sl = capos_init_config_get_services(
        capos_system_manifest_get_init_config(root));
    int found = 0;
    for (uint32_t i = 0; i < capos_service_entry_rlist_len(sl); i++) {
        struct capnp_text n =
            capos_service_entry_get_name(capos_service_entry_rlist_get(sl, i));
        found += n.len == 8 && !memcmp(n.str, "BOOT0001", 8);
    }
    CHECK_EQ(found, 1);
    uint32_t got = 0;
    CHECK_EQ(capos_boot_read_manifest(CAPOS_HANDLE(capos_boot_package, boot), size + 1, manifest, 16, &got), ERR_RANGE);
    CHECK_EQ(capos_boot_read_manifest(CAPOS_HANDLE(capos_boot_package, boot), size, manifest, 16, &got), ERR_OK);
    CHECK_EQ(got, 0);
}

static char big[5000];
static uint64_t params[700];
static uint8_t res[256] __attribute__((aligned(8)));

/* One raw Console.write of 5000 bytes (the runtime would split it). */
static void oversized_write(uint32_t con)
{
    struct capos_msgbuf m;
    struct capnp_builder *b = capos_msg_begin(&m, params, 700);
    memset(big, 'x', sizeof big);
    capos_console_write_params_set_data(capos_console_write_params_init_root(b),
                                        big, sizeof big);
    CHECK_EQ(capos_msg_finish(&m), ERR_OK);
    struct ring_cqe c = raw(raw_call(con, CAPOS_CONSOLE_METHOD_WRITE,
                                     (uintptr_t)params, m.len, (uintptr_t)res,
                                     sizeof res));
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_INVAL);
}

int main(void)
{
    read_all(t_cap("boot"));
    uint32_t con = t_cap("console");
    oversized_write(con);
    CHECK_EQ(capos_console_puts_line(CAPOS_HANDLE(capos_console, con), "BOOT0001: console ok"), ERR_OK);
    return t_result();
}
