/*
 * registry.c - which interfaces each kernel object type serves.
 *
 * One row per object type (designated initialisers); a cap names an
 * interface id, and a CALL proceeds only if the object's type serves it.
 */
#include <kernel/endpoint.h>
#include <kernel/kobjs.h>
#include <kernel/memcaps.h>

static const struct kiface *const kifaces[KOBJ__COUNT][2] = {
    [KOBJ_CONSOLE] = {&console_iface},
    [KOBJ_TIMER] = {&timer_iface},
    [KOBJ_BOOTPKG] = {&bootpkg_iface},
    [KOBJ_CAPMGR] = {&capmgr_iface},
    [KOBJ_PROCESS] = {&process_handle_iface},
    [KOBJ_FRAMEALLOC] = {&frame_allocator_iface},
    [KOBJ_MEMOBJ] = {&memory_object_iface},
    [KOBJ_VMEM] = {&virtual_memory_iface},
    [KOBJ_SPAWNER] = {&spawner_iface},
    [KOBJ_THREAD] = {&threadctl_iface},
    [KOBJ_ENDPOINT] = {&endpoint_iface},
    [KOBJ_NOTIFICATION] = {&notification_iface},
    [KOBJ_NOTIFYFACTORY] = {&notification_factory_iface},
    [KOBJ_DEVMGR] = {&devmgr_iface},
    [KOBJ_PCIDEV] = {&pcidev_iface},
    [KOBJ_INTERRUPT] = {&interrupt_iface},
    [KOBJ_SERIAL] = {&serial_iface},
};

const struct kiface *kiface_find(uint32_t type, uint64_t iface_id)
{
    if (type >= KOBJ__COUNT)
        return NULL;
    for (unsigned i = 0; i < 2; i++)
        if (kifaces[type][i] && kifaces[type][i]->id == iface_id)
            return kifaces[type][i];
    return NULL;
}
