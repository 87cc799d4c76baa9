/* SPDX-License-Identifier: MIT */
/*
 * caps.c - the POSIX layer's capability calls over lib/capos (see caps.h):
 * the generated typed clients (capos.capnp.rpc.h) and lib/capos's
 * conveniences (kcaps.h, spawn.h).
 */
#include <capos/capos.h>

#include "caps.h"


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
    c->spawner = caps_lookup("spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID);
}

err_t posix_cap_console_write(uint32_t cap, const void *buf, size_t n)
{
    return capos_console_write_all((struct capos_console){cap}, buf, n);
}

err_t posix_cap_timer_now(uint32_t cap, uint64_t *ns)
{
    return capos_timer_now((struct capos_timer){cap}, ns, NULL);
}

err_t posix_cap_timer_sleep(uint32_t cap, uint64_t ns)
{
    return capos_timer_sleep((struct capos_timer){cap}, ns, NULL);
}

err_t posix_cap_vm_reserve(uint32_t cap, uint64_t size, uint64_t *addr)
{
    return capos_virtual_memory_reserve((struct capos_virtual_memory){cap}, 0,
                                        size, addr, NULL);
}

err_t posix_cap_vm_commit(uint32_t cap, uint64_t addr, uint64_t size,
                          uint32_t prot)
{
    return capos_virtual_memory_commit((struct capos_virtual_memory){cap},
                                       addr, size, prot, NULL);
}

err_t posix_cap_vm_decommit(uint32_t cap, uint64_t addr, uint64_t size)
{
    return capos_virtual_memory_decommit((struct capos_virtual_memory){cap},
                                         addr, size, NULL);
}

err_t posix_cap_vm_protect(uint32_t cap, uint64_t addr, uint64_t size,
                           uint32_t prot)
{
    return capos_virtual_memory_protect((struct capos_virtual_memory){cap},
                                        addr, size, prot, NULL);
}

err_t posix_cap_boot_size(uint32_t cap, uint64_t *size)
{
    return capos_boot_package_manifest_size((struct capos_boot_package){cap},
                                            size, NULL);
}

err_t posix_cap_boot_read(uint32_t cap, uint64_t off, void *buf, uint32_t max,
                          uint32_t *got)
{
    return capos_boot_read_manifest((struct capos_boot_package){cap}, off, buf,
                                    max, got);
}

/* The caps a spawned POSIX program gets: the parent's own, by name. */
static const struct {
    const char *name;
    uint64_t iface;
} spawn_caps[] = {
    {"console", CAPOS_CONSOLE_INTERFACE_ID},
    {"timer", CAPOS_TIMER_INTERFACE_ID},
    {"vm", CAPOS_VIRTUAL_MEMORY_INTERFACE_ID},
    {"thread", CAPOS_THREAD_CONTROL_INTERFACE_ID},
    {"boot", CAPOS_BOOT_PACKAGE_INTERFACE_ID},
};
#define SPAWN_CAPS (sizeof spawn_caps / sizeof spawn_caps[0])

err_t posix_cap_spawn(uint32_t spawner, const char *name, const char *binary,
                      const char *const *args, uint32_t nargs,
                      uint32_t *handle, uint32_t *pid)
{
    struct capos_spawn_grant g[SPAWN_CAPS];
    uint32_t n = 0;
    err_t e;
    for (uint32_t i = 0; i < SPAWN_CAPS; i++) {
        g[n] = (struct capos_spawn_grant){.name = spawn_caps[i].name,
                                          .iface = spawn_caps[i].iface,
                                          .mode = XFER_COPY};
        if (capos_capset_find(g[n].name, g[n].iface, &g[n].cap) == ERR_OK)
            n++;
    }
    e = capos_spawner_spawn_args(spawner, name, binary, g, n, args, nargs,
                                 handle);
    if (e != ERR_OK)
        return e;
    e = capos_process_handle_pid((struct capos_process_handle){*handle}, pid,
                                 NULL);
    if (e != ERR_OK)
        capos_release(*handle);
    return e;
}

err_t posix_cap_wait(uint32_t handle, int64_t *code)
{
    err_t e = capos_process_handle_wait((struct capos_process_handle){handle},
                                        code, NULL);
    capos_release(handle);
    return e;
}

err_t posix_cap_set_fs_base(uint32_t cap, uint64_t base)
{
    return capos_thread_control_set_fs_base((struct capos_thread_control){cap},
                                            base, NULL);
}

uint64_t posix_cap_pid(void)
{
    return capos_rt_pid();
}

_Noreturn void posix_cap_exit(int64_t code)
{
    capos_rt_exit(code);
}
