/*
 * boot_init.c - validate the boot manifest, build processes from its
 * service entries, start init (or, in test mode, run each service as a
 * leak-checked test process).
 *
 * The kernel itself only grants kernel capabilities; capabilities exported
 * by services are wired by init through ProcessSpawner (IPC issue).
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/pci.h>
#include <common/fmt.h>
#include <common/string.h>
#include <kernel/boot_init.h>
#include <kernel/cpu.h>
#include <kernel/bootinfo.h>
#include <kernel/capset.h>
#include <kernel/endpoint.h>
#include <kernel/kmem.h>
#include <kernel/kobjs.h>
#include <kernel/manifest.h>
#include <kernel/memcaps.h>
#include <kernel/devices.h>
#include <kernel/notification.h>
#include <kernel/pmm.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/procwait.h>
#include <kernel/thread.h>

static struct manifest boot_manifest;

/* Kernel caps this kernel can grant (the rest come with later issues). */
static bool kcap_available(uint32_t k)
{
    return k == CAPOS_KERNEL_CAP_CONSOLE || k == CAPOS_KERNEL_CAP_TIMER ||
           k == CAPOS_KERNEL_CAP_BOOT_PACKAGE ||
           k == CAPOS_KERNEL_CAP_CAPABILITY_MANAGER ||
           k == CAPOS_KERNEL_CAP_FRAME_ALLOCATOR ||
           k == CAPOS_KERNEL_CAP_VIRTUAL_MEMORY ||
           k == CAPOS_KERNEL_CAP_PROCESS_SPAWNER ||
           k == CAPOS_KERNEL_CAP_THREAD_CONTROL ||
           k == CAPOS_KERNEL_CAP_ENDPOINT ||
           k == CAPOS_KERNEL_CAP_NOTIFICATION_FACTORY ||
           k == CAPOS_KERNEL_CAP_DEVICE_MANAGER ||
           k == CAPOS_KERNEL_CAP_SERIAL;
}

static struct kobj *kcap_obj(uint32_t k)
{
    switch (k) {
    case CAPOS_KERNEL_CAP_CONSOLE: return console_obj();
    case CAPOS_KERNEL_CAP_TIMER: return timer_obj();
    case CAPOS_KERNEL_CAP_BOOT_PACKAGE: return bootpkg_obj(NULL, 0);
    case CAPOS_KERNEL_CAP_CAPABILITY_MANAGER: return capmgr_obj();
    case CAPOS_KERNEL_CAP_FRAME_ALLOCATOR: return framealloc_obj();
    case CAPOS_KERNEL_CAP_VIRTUAL_MEMORY: return vmem_obj();
    case CAPOS_KERNEL_CAP_PROCESS_SPAWNER: return spawner_obj();
    case CAPOS_KERNEL_CAP_THREAD_CONTROL: return threadctl_obj();
    case CAPOS_KERNEL_CAP_NOTIFICATION_FACTORY: return notification_factory_obj();
    case CAPOS_KERNEL_CAP_DEVICE_MANAGER: return devmgr_obj();
    case CAPOS_KERNEL_CAP_SERIAL: return serialport_obj();
    default: return NULL;
    }
}

/* Find the manifest module: named "manifest", else the only module. */
static const struct boot_module *find_manifest(const struct boot_info *bi)
{
    for (uint32_t i = 0; i < bi->nmods; i++)
        if (!strcmp(bi->mods[i].name, "manifest"))
            return &bi->mods[i];
    return bi->nmods == 1 ? &bi->mods[0] : NULL;
}

/* Open and validate the manifest module or panic; false if there is none. */
static bool open_manifest(const struct boot_info *bi)
{
    const struct boot_module *mod = find_manifest(bi);
    if (!mod)
        return false;
    char why[160];
    const void *buf = phys_to_virt(mod->base);
    manifest_kernel_cap_available = kcap_available;
    err_t r = manifest_open(&boot_manifest, buf, mod->len, why, sizeof why);
    if (r)
        panic("boot: bad manifest (%s): %s", err_name(r), why);
    bootpkg_obj(buf, mod->len);
    printk("boot: manifest %llu bytes validated\n", (unsigned long long)mod->len);
    return true;
}

/* The kernel object for a kernel-cap grant: a fresh endpoint or a
 * singleton (one new reference either way), or NULL. */
static struct kobj *kcap_new(uint32_t k)
{
    if (k == CAPOS_KERNEL_CAP_ENDPOINT)
        return endpoint_create();
    struct kobj *o = kcap_obj(k);
    if (o)
        kobj_get(o);
    return o;
}

/* A fresh open of the PCI function m names (one reference), or NULL if
 * there is none or it is open already (the test then fails visibly). */
static struct kobj *device_new(capos_device_match_r m)
{
    uint16_t vendor = capos_device_match_get_vendor_id(m);
    uint16_t device = capos_device_match_get_device_id(m);
    uint32_t want = capos_device_match_get_index(m), seen = 0;
    for (uint32_t i = 0; i < pci_count(); i++) {
        const struct pci_func *pf = pci_get(i);
        struct pcidev *d;
        if (pf->vendor == vendor && pf->device == device && seen++ == want)
            return pcidev_open(i, &d) ? NULL : &d->obj;
    }
    return NULL;
}

/* Grant every cap of entry s to p and write p's CapSet page. */
static err_t grant_all(struct process *p, capos_service_entry_r s)
{
    capos_cap_grant_rlist gl = capos_service_entry_get_grants(s);
    uint32_t n = capos_cap_grant_rlist_len(gl);
    struct capset_item items[MANIFEST_MAX_GRANTS];
    err_t r = ERR_OK;
    for (uint32_t i = 0; i < n && !r; i++) {
        capos_cap_grant_r g = capos_cap_grant_rlist_get(gl, i);
        capos_cap_grant_source_r src = capos_cap_grant_get_source(g);
        struct capnp_text name = capos_cap_grant_get_name(g);
        uint32_t which = capos_cap_grant_source_which(src);
        if (which != CAPOS_CAP_GRANT_SOURCE_KERNEL &&
            which != CAPOS_CAP_GRANT_SOURCE_DEVICE)
            return ERR_NOSYS;       /* service wiring is init's job */
        struct kobj *o = which == CAPOS_CAP_GRANT_SOURCE_DEVICE
                             ? device_new(capos_cap_grant_source_get_device(src))
                             : kcap_new(capos_cap_grant_source_get_kernel(src));
        items[i] = (struct capset_item){.name = name.str, .name_len = name.len,
                                        .iface = capos_cap_grant_get_interface_id(g)};
        r = o ? cap_insert(&p->caps, o, items[i].iface, CAP_HOLD_GRANT,
                           CAP_F_TRANSFERABLE, &items[i].cap_id)
              : ERR_NOMEM;
        if (o)
            kobj_put(o);            /* the table holds its own */
    }
    struct capnp_list args = capos_service_entry_get_args(s);
    return r ? r : capset_install(p, items, n, &args);
}

bool boot_manifest_binary(struct capnp_text name, struct capnp_data *elf)
{
    if (!boot_manifest.len)
        return false;
    manifest_rewind(&boot_manifest);
    return manifest_binary(&boot_manifest, name, elf);
}

/* Build (not start) the process of service entry s. */
static err_t spawn_entry(capos_service_entry_r s, struct process **out)
{
    struct capnp_text name = capos_service_entry_get_name(s);
    struct capnp_data elf;
    char cname[MANIFEST_NAME_MAX + 1] = {0};
    manifest_rewind(&boot_manifest);
    memcpy(cname, name.str, name.len);
    manifest_binary(&boot_manifest, capos_service_entry_get_binary(s), &elf);
    const char *detail = NULL;
    struct proc_quota q;
    quota_read(capos_service_entry_get_quota(s), &q);
    err_t r = quota_complete(&q, &proc_default_quota);  /* checked at boot */
    if (!r)
        r = proc_create(cname, elf.ptr, elf.len, &q, NULL, out, &detail);
    if (r) {
        printk("boot: %s: binary rejected: %s (%s)\n", cname,
               detail ? detail : "?", err_name(r));
        return r;
    }
    r = grant_all(*out, s);
    if (r) {
        printk("boot: %s: granting capabilities failed: %s\n", cname,
               err_name(r));
        proc_exit(*out, -1, "grant failed");
        kobj_put(&(*out)->obj);
    }
    return r;
}

static struct process *init_proc;

static void init_exited(struct process *p)
{
    if (p != init_proc)
        return;
    printk("capOS: init exited with code %lld (%s)\n",
           (long long)p->exit_code, p->exit_reason);
    if (p->exit_code == 0)
        printk("capOS: PASS init\n");
    machine_exit(p->exit_code == 0 ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
}

void boot_start_init(const struct boot_info *bi)
{
    if (!open_manifest(bi))
        return;
    capos_init_config_r ic =
        capos_system_manifest_get_init_config(boot_manifest.root);
    struct process *init;
    if (spawn_entry(capos_init_config_get_init(ic), &init))
        panic("boot: cannot start init");
    init_proc = init;
    proc_init_exit_hook = init_exited;
    printk("boot: starting init (pid %u)\n", init->pid);
    proc_start(init);
}

/* ---- test mode: each service of the manifest is one test process ---- */

struct leak_snapshot {
    uint64_t frames, heap, procs, threads, waits;
};

static void leak_snapshot(struct leak_snapshot *s)
{
    struct kheap_stats st;
    kmem_stats(&st);
    *s = (struct leak_snapshot){pmm_free_frames(), st.bytes_inuse,
                                proc_live_count(), thread_live_count(),
                                procwait_live()};
}

static bool proc_has_exited(void *arg)
{
    struct process *p = arg;
    return p->state == PROC_EXITED && !p->thread && !cpu_this()->reap;
}

/* args[0] = description, args[1] = "expect=<exit code>" (default 0) or
 * "expect=reject:<ERR name>" (the binary must be refused with that error;
 * *reject gets the name). */
static int64_t expected_exit(capos_service_entry_r s, struct capnp_text *desc,
                             struct capnp_text *reject)
{
    struct capnp_list args = capos_service_entry_get_args(s);
    struct capnp_ptr p0 = capnp_list_ptr(&args, 0), p1 = capnp_list_ptr(&args, 1);
    static const struct capnp_text none = {"", 0};
    *desc = capnp_list_len(&args) > 0 ? capnp_ptr_read_text(&p0, none) : none;
    *reject = none;
    if (capnp_list_len(&args) < 2)
        return 0;
    struct capnp_text e = capnp_ptr_read_text(&p1, none);
    int64_t v = 0, sign = 1;
    uint32_t i = 7;     /* after "expect=" */
    if (e.len < 8 || memcmp(e.str, "expect=", 7) != 0)
        return 0;
    if (e.len > 14 && memcmp(e.str + 7, "reject:", 7) == 0) {
        *reject = (struct capnp_text){e.str + 14, e.len - 14};
        return 0;
    }
    if (e.str[i] == '-') {
        sign = -1;
        i++;
    }
    for (; i < e.len && e.str[i] >= '0' && e.str[i] <= '9'; i++)
        v = v * 10 + (e.str[i] - '0');
    return sign * v;
}

static void print_leaks(const struct leak_snapshot *b, const struct leak_snapshot *a)
{
    printk("  leak: frames %llu->%llu heap %llu->%llu procs %llu->%llu "
           "threads %llu->%llu waits %llu->%llu\n",
           (unsigned long long)b->frames, (unsigned long long)a->frames,
           (unsigned long long)b->heap, (unsigned long long)a->heap,
           (unsigned long long)b->procs, (unsigned long long)a->procs,
           (unsigned long long)b->threads, (unsigned long long)a->threads,
           (unsigned long long)b->waits, (unsigned long long)a->waits);
}

/* Start s and wait for its exit; returns the spawn error (0 if it ran). */
static err_t run_test_process(capos_service_entry_r s, int64_t *code,
                              char *reason, size_t n)
{
    struct process *p;
    err_t r = spawn_entry(s, &p);
    if (r)
        return r;
    proc_start(p);
    sched_idle_until(proc_has_exited, p);
    *code = p->exit_code;
    strlcpy(reason, p->exit_reason, n);
    kobj_put(&p->obj);
    return ERR_OK;
}

/* args[2] = "reason=<prefix>": the exit reason must start with it; true
 * if there is none or it matches. */
static bool reason_ok(capos_service_entry_r s, const char *reason)
{
    struct capnp_list args = capos_service_entry_get_args(s);
    struct capnp_ptr p2 = capnp_list_ptr(&args, 2);
    static const struct capnp_text none = {"", 0};
    struct capnp_text e = capnp_list_len(&args) > 2
                              ? capnp_ptr_read_text(&p2, none) : none;
    if (e.len < 7 || memcmp(e.str, "reason=", 7) != 0)
        return true;
    bool ok = strlen(reason) >= e.len - 7 &&
              memcmp(reason, e.str + 7, e.len - 7) == 0;
    if (!ok)
        printk("  exit reason \"%s\", expected \"%.*s...\"\n", reason,
               (int)(e.len - 7), e.str + 7);
    return ok;
}

/* Run one test service; true if it passed. */
static bool run_one_test(capos_service_entry_r s)
{
    struct capnp_text name = capos_service_entry_get_name(s), desc, reject;
    int64_t want = expected_exit(s, &desc, &reject), code = 0;
    struct leak_snapshot before, after;
    char reason[96] = "";
    leak_snapshot(&before);
    err_t r = run_test_process(s, &code, reason, sizeof reason);
    leak_snapshot(&after);
    bool leak = memcmp(&before, &after, sizeof before) != 0;
    bool ok;
    if (reject.len) {
        ok = r && manifest_text_eq(reject, err_name(r));
        if (!ok)
            printk("  expected rejection %.*s, got %s\n", (int)reject.len,
                   reject.str, r ? err_name(r) : "a running process");
    } else {
        ok = !r && code == want;
        if (!ok)
            printk("  exit code %lld (%s), expected %lld%s\n", (long long)code,
                   reason, (long long)want, r ? "; could not start" : "");
        ok = reason_ok(s, reason) && ok;
    }
    if (leak)
        print_leaks(&before, &after);
    ok = ok && !leak;
    printk("%s %.*s - %.*s\n", ok ? "PASS" : "FAIL", (int)name.len, name.str,
           (int)desc.len, desc.str);
    return ok;
}

void boot_run_manifest_tests(const struct boot_info *bi)
{
    if (!open_manifest(bi))
        panic("test=manifest needs a manifest module");
    capos_service_entry_rlist sl = capos_init_config_get_services(
        capos_system_manifest_get_init_config(boot_manifest.root));
    int passed = 0, failed = 0;
    for (uint32_t i = 0; i < capos_service_entry_rlist_len(sl); i++) {
        manifest_rewind(&boot_manifest);
        if (run_one_test(capos_service_entry_rlist_get(sl, i)))
            passed++;
        else
            failed++;
    }
    printk("%d passed, %d failed\n", passed, failed);
    if (!failed)
        printk("capOS: PASS manifest\n");
    machine_exit(failed ? QEMU_EXIT_FAILURE : QEMU_EXIT_SUCCESS);
}
