/*
 * bootpkg.c - the BootPackage capability: read access to the boot manifest.
 *
 * The manifest module stays reserved in physical memory for the lifetime of
 * the system; readers copy chunks of at most BOOTPKG_READ_MAX bytes.
 */
#include <capos.capnp.h>
#include <kernel/kobjs.h>

struct bootpkg {
    struct kobj obj;
    const uint8_t *data;
    size_t len;
};

static const struct kobj_ops bootpkg_ops = {.name = "bootpkg",
                                            .type = KOBJ_BOOTPKG};
static struct bootpkg bootpkg;

struct kobj *bootpkg_obj(const void *manifest, size_t len)
{
    if (!bootpkg.obj.ops) {
        kobj_init(&bootpkg.obj, &bootpkg_ops);
        bootpkg.data = manifest;
        bootpkg.len = len;
    }
    return &bootpkg.obj;
}

static int bootpkg_size(void *ctx, capos_boot_package_manifest_size_params_r params,
                        capos_boot_package_manifest_size_results_b results)
{
    (void)ctx;
    (void)params;
    capos_boot_package_manifest_size_results_set_size(results, bootpkg.len);
    return ERR_OK;
}

static int bootpkg_read(void *ctx, capos_boot_package_read_manifest_params_r params,
                        capos_boot_package_read_manifest_results_b results)
{
    uint64_t off = capos_boot_package_read_manifest_params_get_offset(params);
    uint32_t max = capos_boot_package_read_manifest_params_get_max_bytes(params);
    if (off > bootpkg.len)
        return call_fail(ctx, ERR_RANGE, "offset beyond the manifest");
    uint64_t n = bootpkg.len - off;
    if (n > max)
        n = max;
    if (n > BOOTPKG_READ_MAX)
        n = BOOTPKG_READ_MAX;
    capos_boot_package_read_manifest_results_set_data(results, bootpkg.data + off,
                                                      (uint32_t)n);
    return ERR_OK;
}

static const capos_boot_package_server_t bootpkg_server = {
    .manifest_size = bootpkg_size,
    .read_manifest = bootpkg_read,
};

static int bootpkg_dispatch(struct call_ctx *c, uint16_t m,
                            struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_boot_package_dispatch(&bootpkg_server, c, m, params, res);
}

const struct kiface bootpkg_iface = {
    .id = CAPOS_BOOT_PACKAGE_INTERFACE_ID, .name = "BootPackage",
    .dispatch = bootpkg_dispatch};
