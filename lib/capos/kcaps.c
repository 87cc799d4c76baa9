/* SPDX-License-Identifier: MIT */
/*
 * kcaps.c - typed wrappers for Timer, BootPackage, CapabilityManager and
 * ProcessHandle (see capos/kcaps.h).  Each builds its params with the
 * generated builders and reads the result with the generated readers; a
 * reader error (malformed result) is ERR_BADFORMAT.
 */
#include <capos.capnp.h>
#include <capos/kcaps.h>
#include <common/string.h>

#include "kcall.h"

#define PARAM_WORDS 8
#define BOOT_CHUNK_MAX 4096u
#define CAPMGR_RESULT_WORDS 1024

/* Result buffers too large for the stack; one thread, so static. */
static uint64_t boot_result[BOOT_CHUNK_MAX / 8 + 16];
static uint64_t capmgr_result[CAPMGR_RESULT_WORDS];

/* ERR_BADFORMAT if reading msg recorded an error. */
static err_t read_status(const struct capnp_msg *msg)
{
    return capnp_msg_error(msg) == CAPNP_OK ? ERR_OK : ERR_BADFORMAT;
}

/* Timer.now. */
err_t capos_timer_now(uint32_t cap, uint64_t *ns)
{
    uint64_t pw[PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    uint64_t v;
    err_t e;

    capos_timer_now_params_init_root(capos_msg_begin(&m, pw, PARAM_WORDS));
    e = kcall(cap, CAPOS_TIMER_METHOD_NOW, &m, rw, sizeof(rw), &res);
    if (e != ERR_OK)
        return e;
    v = capos_timer_now_results_get_ns(capos_timer_now_results_read_root(&res));
    if ((e = read_status(&res)) == ERR_OK)
        *ns = v;
    return e;
}

/* Timer.sleep. */
err_t capos_timer_sleep(uint32_t cap, uint64_t ns)
{
    uint64_t pw[PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    capos_timer_sleep_params_b p = capos_timer_sleep_params_init_root(
        capos_msg_begin(&m, pw, PARAM_WORDS));

    capos_timer_sleep_params_set_ns(p, ns);
    return kcall(cap, CAPOS_TIMER_METHOD_SLEEP, &m, rw, sizeof(rw), NULL);
}

/* BootPackage.manifestSize. */
err_t capos_boot_manifest_size(uint32_t cap, uint64_t *size)
{
    uint64_t pw[PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    uint64_t v;
    err_t e;

    capos_boot_package_manifest_size_params_init_root(
        capos_msg_begin(&m, pw, PARAM_WORDS));
    e = kcall(cap, CAPOS_BOOT_PACKAGE_METHOD_MANIFEST_SIZE, &m, rw,
              sizeof(rw), &res);
    if (e != ERR_OK)
        return e;
    v = capos_boot_package_manifest_size_results_get_size(
        capos_boot_package_manifest_size_results_read_root(&res));
    if ((e = read_status(&res)) == ERR_OK)
        *size = v;
    return e;
}

/* BootPackage.readManifest of at most min(max, BOOT_CHUNK_MAX) bytes. */
err_t capos_boot_read_manifest(uint32_t cap, uint64_t offset, void *buf,
                               uint32_t max, uint32_t *got)
{
    uint64_t pw[PARAM_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    struct capnp_data d;
    capos_boot_package_read_manifest_params_b p =
        capos_boot_package_read_manifest_params_init_root(
            capos_msg_begin(&m, pw, PARAM_WORDS));
    err_t e;

    if (max > BOOT_CHUNK_MAX)
        max = BOOT_CHUNK_MAX;
    capos_boot_package_read_manifest_params_set_offset(p, offset);
    capos_boot_package_read_manifest_params_set_max_bytes(p, max);
    e = kcall(cap, CAPOS_BOOT_PACKAGE_METHOD_READ_MANIFEST, &m, boot_result,
              sizeof(boot_result), &res);
    if (e != ERR_OK)
        return e;
    d = capos_boot_package_read_manifest_results_get_data(
        capos_boot_package_read_manifest_results_read_root(&res));
    if ((e = read_status(&res)) != ERR_OK)
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
err_t capos_capmgr_list(uint32_t cap, struct capos_cap_info *out,
                        uint32_t max, uint32_t *count)
{
    uint64_t pw[PARAM_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    capos_capability_info_rlist l;
    uint32_t n;
    err_t e;

    capos_capability_manager_list_params_init_root(
        capos_msg_begin(&m, pw, PARAM_WORDS));
    e = kcall(cap, CAPOS_CAPABILITY_MANAGER_METHOD_LIST, &m, capmgr_result,
              sizeof(capmgr_result), &res);
    if (e != ERR_OK)
        return e;
    l = capos_capability_manager_list_results_get_capabilities(
        capos_capability_manager_list_results_read_root(&res));
    n = capos_capability_info_rlist_len(l);
    for (uint32_t i = 0; i < n && i < max; i++)
        copy_info(&out[i], capos_capability_info_rlist_get(l, i));
    if ((e = read_status(&res)) == ERR_OK)
        *count = n;
    return e;
}

/* ProcessHandle.wait. */
err_t capos_process_wait(uint32_t cap, int64_t *code)
{
    uint64_t pw[PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    int64_t v;
    err_t e;

    capos_process_handle_wait_params_init_root(
        capos_msg_begin(&m, pw, PARAM_WORDS));
    e = kcall(cap, CAPOS_PROCESS_HANDLE_METHOD_WAIT, &m, rw, sizeof(rw), &res);
    if (e != ERR_OK)
        return e;
    v = capos_process_handle_wait_results_get_exit_code(
        capos_process_handle_wait_results_read_root(&res));
    if ((e = read_status(&res)) == ERR_OK)
        *code = v;
    return e;
}

/* ProcessHandle.kill. */
err_t capos_process_kill(uint32_t cap)
{
    uint64_t pw[PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;

    capos_process_handle_kill_params_init_root(
        capos_msg_begin(&m, pw, PARAM_WORDS));
    return kcall(cap, CAPOS_PROCESS_HANDLE_METHOD_KILL, &m, rw, sizeof(rw),
                 &res);
}

/* ProcessHandle.pid. */
err_t capos_process_pid(uint32_t cap, uint32_t *pid)
{
    uint64_t pw[PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    uint32_t v;
    err_t e;

    capos_process_handle_pid_params_init_root(
        capos_msg_begin(&m, pw, PARAM_WORDS));
    e = kcall(cap, CAPOS_PROCESS_HANDLE_METHOD_PID, &m, rw, sizeof(rw), &res);
    if (e != ERR_OK)
        return e;
    v = capos_process_handle_pid_results_get_pid(
        capos_process_handle_pid_results_read_root(&res));
    if ((e = read_status(&res)) == ERR_OK)
        *pid = v;
    return e;
}
