/* SPDX-License-Identifier: MIT */
/*
 * caps.c - the POSIX layer's capability calls over lib/capos (see caps.h).
 * VirtualMemory and ThreadControl have no lib/capos wrapper yet: their
 * params are built here with the generated builders, as kcaps.c does.
 */
#include <capos/capos.h>

#include "caps.h"

#define PARAM_WORDS 16
#define RESULT_WORDS 32

/* One cap by name and interface, or CAPS_NONE. */
static uint32_t caps_lookup(const char *name, uint64_t iface)
{
    uint32_t id;
    return capos_capset_find(name, iface, &id) == ERR_OK ? id : CAPS_NONE;
}

/* Find the POSIX layer's caps. */
void posix_caps_find(struct posix_caps *c)
{
    c->console = caps_lookup("console", CAPOS_CONSOLE_INTERFACE_ID);
    c->timer = caps_lookup("timer", CAPOS_TIMER_INTERFACE_ID);
    c->vm = caps_lookup("vm", CAPOS_VIRTUAL_MEMORY_INTERFACE_ID);
    c->thread = caps_lookup("thread", CAPOS_THREAD_CONTROL_INTERFACE_ID);
    c->boot = caps_lookup("boot", CAPOS_BOOT_PACKAGE_INTERFACE_ID);
}

err_t posix_cap_console_write(uint32_t cap, const void *buf, size_t n)
{
    return capos_console_write(CAPOS_HANDLE(capos_console, cap), buf, n, NULL);
}

err_t posix_cap_timer_now(uint32_t cap, uint64_t *ns)
{
    return capos_timer_now(CAPOS_HANDLE(capos_timer, cap), ns, NULL);
}

err_t posix_cap_timer_sleep(uint32_t cap, uint64_t ns)
{
    return capos_timer_sleep(CAPOS_HANDLE(capos_timer, cap), ns, NULL);
}

/* Frame m, call, and open the result into *res when asked. */
static err_t caps_call(uint32_t cap, uint16_t method, struct capos_msgbuf *m,
                       uint64_t *rw, struct capnp_msg *res)
{
    struct ring_cqe cqe;
    err_t e = capos_msg_finish(m);
    if (e != ERR_OK)
        return e;
    e = capos_call(cap, method, m->words, m->len, rw,
                   RESULT_WORDS * sizeof(uint64_t), &cqe);
    if (e != ERR_OK || !res)
        return e;
    if ((uint64_t)cqe.result > RESULT_WORDS * sizeof(uint64_t))
        return ERR_BADFORMAT;
    return capos_msg_read(res, rw, (size_t)cqe.result);
}

err_t posix_cap_vm_reserve(uint32_t cap, uint64_t size, uint64_t *addr)
{
    uint64_t pw[PARAM_WORDS], rw[RESULT_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    capos_virtual_memory_reserve_params_b p =
        capos_virtual_memory_reserve_params_init_root(
            capos_msg_begin(&m, pw, PARAM_WORDS));
    capos_virtual_memory_reserve_params_set_hint(p, 0);
    capos_virtual_memory_reserve_params_set_size(p, size);
    err_t e = caps_call(cap, CAPOS_VIRTUAL_MEMORY_METHOD_RESERVE, &m, rw, &res);
    if (e != ERR_OK)
        return e;
    uint64_t a = capos_virtual_memory_reserve_results_get_addr(
        capos_virtual_memory_reserve_results_read_root(&res));
    if (capnp_msg_error(&res) != CAPNP_OK)
        return ERR_BADFORMAT;
    *addr = a;
    return ERR_OK;
}

err_t posix_cap_vm_commit(uint32_t cap, uint64_t addr, uint64_t size,
                          uint32_t prot)
{
    uint64_t pw[PARAM_WORDS], rw[RESULT_WORDS];
    struct capos_msgbuf m;
    capos_virtual_memory_commit_params_b p =
        capos_virtual_memory_commit_params_init_root(
            capos_msg_begin(&m, pw, PARAM_WORDS));
    capos_virtual_memory_commit_params_set_addr(p, addr);
    capos_virtual_memory_commit_params_set_size(p, size);
    capos_virtual_memory_commit_params_set_prot(p, prot);
    return caps_call(cap, CAPOS_VIRTUAL_MEMORY_METHOD_COMMIT, &m, rw, NULL);
}

err_t posix_cap_vm_decommit(uint32_t cap, uint64_t addr, uint64_t size)
{
    uint64_t pw[PARAM_WORDS], rw[RESULT_WORDS];
    struct capos_msgbuf m;
    capos_virtual_memory_decommit_params_b p =
        capos_virtual_memory_decommit_params_init_root(
            capos_msg_begin(&m, pw, PARAM_WORDS));
    capos_virtual_memory_decommit_params_set_addr(p, addr);
    capos_virtual_memory_decommit_params_set_size(p, size);
    return caps_call(cap, CAPOS_VIRTUAL_MEMORY_METHOD_DECOMMIT, &m, rw, NULL);
}

err_t posix_cap_vm_protect(uint32_t cap, uint64_t addr, uint64_t size,
                           uint32_t prot)
{
    uint64_t pw[PARAM_WORDS], rw[RESULT_WORDS];
    struct capos_msgbuf m;
    capos_virtual_memory_protect_params_b p =
        capos_virtual_memory_protect_params_init_root(
            capos_msg_begin(&m, pw, PARAM_WORDS));
    capos_virtual_memory_protect_params_set_addr(p, addr);
    capos_virtual_memory_protect_params_set_size(p, size);
    capos_virtual_memory_protect_params_set_prot(p, prot);
    return caps_call(cap, CAPOS_VIRTUAL_MEMORY_METHOD_PROTECT, &m, rw, NULL);
}

err_t posix_cap_boot_size(uint32_t cap, uint64_t *size)
{
    return capos_boot_package_manifest_size(CAPOS_HANDLE(capos_boot_package, cap), size, NULL);
}

err_t posix_cap_boot_read(uint32_t cap, uint64_t off, void *buf, uint32_t max,
                          uint32_t *got)
{
    return capos_boot_read_manifest(CAPOS_HANDLE(capos_boot_package, cap), off, buf, max, got);
}

err_t posix_cap_set_fs_base(uint32_t cap, uint64_t base)
{
    uint64_t pw[PARAM_WORDS], rw[RESULT_WORDS];
    struct capos_msgbuf m;
    capos_thread_control_set_fs_base_params_set_base(
        capos_thread_control_set_fs_base_params_init_root(
            capos_msg_begin(&m, pw, PARAM_WORDS)), base);
    return caps_call(cap, CAPOS_THREAD_CONTROL_METHOD_SET_FS_BASE, &m, rw,
                     NULL);
}

uint64_t posix_cap_pid(void)
{
    return capos_rt_pid();
}

_Noreturn void posix_cap_exit(int64_t code)
{
    capos_rt_exit(code);
}
