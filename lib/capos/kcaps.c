/* SPDX-License-Identifier: MIT */
/*
 * kcaps.c - copy-out conveniences over the generated stubs for
 * BootPackage.readManifest and CapabilityManager.list (see capos/kcaps.h):
 * the results are read in a reply of their own and copied into the
 * caller's plain C buffers.
 */
#include <capos/capos.h>
#include <common/string.h>

#define BOOT_CHUNK_MAX 4096u
#define CAPMGR_RESULT_WORDS 1024

/* Result buffers too large for the stack; one thread, so static. */
static CAPOS_REPLY(boot_rep, BOOT_CHUNK_MAX / 8 + 48);
static CAPOS_REPLY(capmgr_rep, CAPMGR_RESULT_WORDS);

/* BootPackage.readManifest of at most min(max, BOOT_CHUNK_MAX) bytes. */
err_t capos_boot_read_manifest(struct capos_boot_package boot, uint64_t offset,
                               void *buf, uint32_t max, uint32_t *got)
{
    struct capnp_data d = {0};
    err_t e;

    if (max > BOOT_CHUNK_MAX)
        max = BOOT_CHUNK_MAX;
    e = capos_boot_package_read_manifest(boot, offset, max, &d, &boot_rep);
    if (e != ERR_OK)
        return e;
    if (d.len > max)
        return ERR_BADFORMAT;
    memcpy(buf, d.ptr, d.len);
    *got = d.len;
    return ERR_OK;
}

/* Copy one CapabilityInfo into out. */
static void copy_info(struct capos_cap_info *out, capos_capability_info_r r)
{
    struct capnp_text name = capos_capability_info_get_name(r);

    out->cap_id = capos_capability_info_get_cap_id(r);
    out->interface_id = capos_capability_info_get_interface_id(r);
    strlcpy(out->name, name.str ? name.str : "", sizeof(out->name));
}

/* CapabilityManager.list. */
err_t capos_capmgr_list(struct capos_capability_manager mgr,
                        struct capos_cap_info *out, uint32_t max,
                        uint32_t *count)
{
    capos_capability_info_rlist l;
    uint32_t n;
    err_t e = capos_capability_manager_list(mgr, &l, &capmgr_rep);

    if (e != ERR_OK)
        return e;
    n = capos_capability_info_rlist_len(l);
    for (uint32_t i = 0; i < n && i < max; i++)
        copy_info(&out[i], capos_capability_info_rlist_get(l, i));
    if (capnp_msg_error(&capmgr_rep.res.msg) != CAPNP_OK)
        return ERR_BADFORMAT;
    *count = n;
    return ERR_OK;
}
