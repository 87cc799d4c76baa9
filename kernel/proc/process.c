/*
 * process.c - process creation from an ELF image, exit and teardown.
 *
 * Creation builds everything before anything can run: the address space
 * with each PT_LOAD segment copied into fresh frames (W^X already checked
 * by elf_parse), a stack with an unmapped guard page below it, a TLS block
 * for PT_TLS, the ring page and the CapSet page, and the cap table.  Any
 * failure unwinds through proc_free, so a rejected image leaves nothing.
 *
 * Exit releases caps, deferred waits, the address space and the thread;
 * the struct itself is the ProcessHandle object and lives until the last
 * reference (the kernel's "alive" reference or a ProcessHandle cap) goes.
 */
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/paging.h>
#include <abi/layout.h>
#include <abi/ring.h>
#include <common/fmt.h>
#include <common/string.h>
#include <kernel/elf.h>
#include <kernel/endpoint.h>
#include <kernel/kmem.h>
#include <kernel/kstack.h>
#include <kernel/memcaps.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/procwait.h>
#include <kernel/sched.h>
#include <kernel/thread.h>

#define USER_TLS_VADDR 0x00007ffe00000000ull

const struct proc_quota proc_default_quota = {
    .frames = 16384, .cap_slots = 64, .processes = 64, .threads = 64,
    .waits = 16};
const struct proc_quota proc_child_quota = {
    .frames = 1024, .cap_slots = 64, .processes = 1, .threads = 1,
    .waits = 16};

/* Kernel records of a process charged as frames: its kernel stack, its
 * struct, cap table, thread and FXSAVE area (a page each at least). */
#define PROC_RECORD_FRAMES                                                  \
    (KSTACK_PAGES +                                                         \
     (sizeof(struct process) + PROC_CAP_SLOTS * sizeof(struct cap_entry) +  \
      sizeof(struct thread) + 512 + PAGE_SIZE - 1) / PAGE_SIZE + 1)

void (*proc_init_exit_hook)(struct process *p);

static uint32_t next_pid = 1;
static uint64_t procs_live;
/* Every process struct, for kill's walk of a subtree.  A leaf lock but
 * for sched_lock, taken inside it by proc_kill. */
static struct spinlock proc_list_lock = SPINLOCK_INIT("proc_list");
static struct process *proc_all;

static void proc_list_add(struct process *p)
{
    uint64_t f = spin_lock_irqsave(&proc_list_lock);
    p->next_all = proc_all;
    proc_all = p;
    spin_unlock_irqrestore(&proc_list_lock, f);
}

static void proc_list_remove(struct process *p)
{
    uint64_t f = spin_lock_irqsave(&proc_list_lock);
    for (struct process **pp = &proc_all; *pp; pp = &(*pp)->next_all)
        if (*pp == p) {
            *pp = p->next_all;
            break;
        }
    spin_unlock_irqrestore(&proc_list_lock, f);
}

static void proc_destroy(struct kobj *o);
static const struct kobj_ops process_ops = {
    .name = "process", .type = KOBJ_PROCESS, .destroy = proc_destroy};

uint64_t proc_live_count(void)
{
    return procs_live;
}

/* Release everything but the struct (idempotent). */
static void proc_release_resources(struct process *p)
{
    endpoint_proc_exit(p);
    if (p->cap_slots) {
        cap_table_release_all(&p->caps);
        kfree(p->cap_slots);
        p->cap_slots = NULL;
        kobj_reap();            /* destroy hooks run with no lock held */
    }
    procwait_cancel_all(p);
    memobj_proc_exit(p);        /* before vm_destroy: drops mapped objects */
    kfree(p->cap_names);
    p->cap_names = NULL;
    p->ncap_names = 0;
    vm_destroy(&p->vm);
    p->ring_kva = NULL;
}

static void proc_destroy(struct kobj *o)
{
    struct process *p = (struct process *)o;
    proc_release_resources(p);
    quota_exit(p);              /* a process that never ran */
    proc_list_remove(p);
    if (p->qparent)
        kobj_put(&p->qparent->obj);
    if (p->thread)
        thread_free(p->thread);
    kfree(p);
    procs_live--;
}

/* Copy one PT_LOAD segment into freshly mapped pages. */
static err_t load_segment(struct process *p, const uint8_t *file,
                          const struct elf_segment *s)
{
    uint32_t prot = VM_READ | (s->prot & ELF_PROT_W ? VM_WRITE : 0) |
                    (s->prot & ELF_PROT_X ? VM_EXEC : 0);
    uint64_t start = s->vaddr & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t end = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    for (uint64_t va = start; va < end; va += PAGE_SIZE) {
        uint64_t pa;
        err_t r = vm_map_anon(&p->vm, va, prot, &pa);
        if (r)
            return r;
        /* Bytes of the file that land in this page. */
        uint64_t lo = va > s->vaddr ? va : s->vaddr;
        uint64_t hi = va + PAGE_SIZE;
        if (hi > s->vaddr + s->filesz)
            hi = s->vaddr + s->filesz;
        if (lo < hi)
            memcpy((uint8_t *)phys_to_virt(pa) + (lo - va),
                   file + s->offset + (lo - s->vaddr), hi - lo);
    }
    return ERR_OK;
}

/* Static TLS (x86_64 variant II, as linkers compute local-exec offsets):
 * the TCB sits where the linker put the end of the TLS segment rounded up
 * to p_align, i.e. round_up(p_vaddr + p_memsz, p_align) - p_vaddr bytes
 * after the image start, and the image starts at p_vaddr's offset within
 * its alignment, so the TCB is p_align-aligned; fs:0 holds the TCB's own
 * address.  Offsets into a block of *size bytes (TCB word included). */
static err_t tls_layout(const struct elf_tls *tls, uint64_t *img_off,
                        uint64_t *tcb_off, uint64_t *size)
{
    uint64_t a = tls->align ? tls->align : 1;
    if (a > PAGE_SIZE || tls->memsz > 32 * PAGE_SIZE)
        return ERR_RANGE;
    uint64_t end = (tls->vaddr + tls->memsz + a - 1) & ~(a - 1);
    *img_off = tls->vaddr & (a - 1);
    *tcb_off = *img_off + (end - tls->vaddr);
    *size = (*tcb_off + 16 + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    return ERR_OK;
}

static err_t load_tls(struct process *p, const uint8_t *file,
                      const struct elf_image *img)
{
    const struct elf_tls *tls = &img->tls;
    uint64_t img_off, tcb_off, size;
    if (!tls->present)
        return ERR_OK;
    err_t r = tls_layout(tls, &img_off, &tcb_off, &size);
    uint8_t *k = r ? NULL : kzalloc(size);
    if (r || !k)
        return r ? r : ERR_NOMEM;
    /* tdata comes from the segment's file bytes (inside a PT_LOAD). */
    for (uint32_t i = 0; i < img->nsegs; i++) {
        const struct elf_segment *s = &img->segs[i];
        if (tls->vaddr >= s->vaddr && tls->vaddr + tls->filesz <= s->vaddr + s->filesz)
            memcpy(k + img_off, file + s->offset + (tls->vaddr - s->vaddr),
                   tls->filesz);
    }
    uint64_t tcb = USER_TLS_VADDR + tcb_off;
    memcpy(k + tcb_off, &tcb, sizeof tcb);
    for (uint64_t off = 0; off < size && !r; off += PAGE_SIZE) {
        uint64_t pa;
        r = vm_map_anon(&p->vm, USER_TLS_VADDR + off, VM_READ | VM_WRITE, &pa);
        if (!r)
            memcpy(phys_to_virt(pa), k + off, PAGE_SIZE);
    }
    kfree(k);
    p->fs_base = tcb;
    return r;
}

/* Stack pages below USER_STACK_TOP; the page below them stays unmapped. */
static err_t map_stack(struct process *p)
{
    for (uint64_t va = USER_STACK_TOP - USER_STACK_SIZE; va < USER_STACK_TOP;
         va += PAGE_SIZE) {
        err_t r = vm_map_anon(&p->vm, va, VM_READ | VM_WRITE, NULL);
        if (r)
            return r;
    }
    return ERR_OK;
}

static err_t map_ring_and_capset(struct process *p)
{
    uint64_t pa;
    err_t r = vm_map_anon(&p->vm, RING_VADDR, VM_READ | VM_WRITE, &pa);
    if (r)
        return r;
    p->ring_kva = phys_to_virt(pa);
    ring_kstate_init(&p->ring, p->ring_kva);
    return vm_map_anon(&p->vm, CAPSET_VADDR, VM_READ, NULL);
}

/* Load the image and the fixed pages; *detail names a failed check. */
static err_t proc_build(struct process *p, const void *elf, size_t len,
                        const char **detail)
{
    static const struct elf_limits lim = {.user_min = USER_IMAGE_MIN,
                                          .user_max = USER_IMAGE_MAX,
                                          .max_total = 64ull << 20};
    struct elf_image img;
    err_t r = elf_parse(elf, len, &lim, &img, detail);
    if (r)
        return r;
    *detail = "out of memory";
    if ((r = vm_create(&p->vm)))
        return r;
    for (uint32_t i = 0; i < img.nsegs; i++)
        if ((r = load_segment(p, elf, &img.segs[i])))
            return r;
    if ((r = load_tls(p, elf, &img)) || (r = map_stack(p)) ||
        (r = map_ring_and_capset(p)))
        return r;
    uint64_t own = p->vm.pages + p->vm.tables + PROC_RECORD_FRAMES;
    if (quota_charge(p, QUOTA_PROCESSES, 1) || quota_charge(p, QUOTA_THREADS, 1)) {
        *detail = "the quota holds no process or thread";
        return ERR_QUOTA;
    }
    if (quota_charge(p, QUOTA_FRAMES, own)) {
        *detail = "image exceeds the frame quota";
        return ERR_QUOTA;
    }
    p->frames_own = own;
    p->cap_slots = kzalloc(sizeof(struct cap_entry) * PROC_CAP_SLOTS);
    if (!p->cap_slots)
        return ERR_NOMEM;
    cap_table_init(&p->caps, p->cap_slots, PROC_CAP_SLOTS, p->quota.cap_slots);
    p->thread = thread_create_user(p, img.entry, USER_STACK_TOP, RING_VADDR,
                                   p->pid, CAPSET_VADDR);
    if (!p->thread)
        return ERR_NOMEM;
    p->thread->fs_base = p->fs_base;
    *detail = NULL;
    return ERR_OK;
}

err_t proc_create(const char *name, const void *elf, size_t elf_len,
                  const struct proc_quota *q, struct process *parent,
                  struct process **out, const char **detail)
{
    const char *dummy;
    if (!detail)
        detail = &dummy;
    if (parent && quota_carve(parent, q)) {
        *detail = "the parent's quota cannot hold the child's";
        return ERR_QUOTA;
    }
    struct process *p = kzalloc(sizeof *p);
    if (!p) {
        if (parent)
            quota_uncarve(parent, q);
        *detail = "out of memory";
        return ERR_NOMEM;
    }
    if (parent) {
        kobj_get(&parent->obj);
        p->qparent = parent;
    }
    procs_live++;
    kobj_init(&p->obj, &process_ops);
    proc_list_add(p);
    p->lock = (struct spinlock)SPINLOCK_INIT("process");
    p->pid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
    p->quota = *q;
    strlcpy(p->name, name, sizeof p->name);
    err_t r = proc_build(p, elf, elf_len, detail);
    if (r) {
        kobj_put(&p->obj);
        return r;
    }
    kobj_get(&p->obj);          /* the creator's reference */
    *out = p;
    return ERR_OK;
}

err_t proc_set_capset(struct process *p, const void *msg, size_t len)
{
    if (len > CAPSET_MAX_SIZE)
        return ERR_RANGE;
    uint64_t pte = pt_lookup(p->vm.root, CAPSET_VADDR);
    if (!(pte & PTE_P))
        return ERR_FAULT;
    memcpy(phys_to_virt(pte & PTE_ADDR), msg, len);
    return ERR_OK;
}

err_t proc_wait_charge(struct process *p)
{
    uint64_t f = spin_lock_irqsave(&p->lock);
    err_t r = p->waits_used >= p->quota.waits ? ERR_QUOTA : ERR_OK;
    if (!r) {
        p->waits_used++;
        p->cq_reserved++;
    }
    spin_unlock_irqrestore(&p->lock, f);
    return r;
}

void proc_wait_uncharge(struct process *p, bool slot)
{
    uint64_t f = spin_lock_irqsave(&p->lock);
    if (p->waits_used)
        p->waits_used--;
    if (slot && p->cq_reserved)
        p->cq_reserved--;
    spin_unlock_irqrestore(&p->lock, f);
}

/* True if q is p or was carved from p's quota, at any depth. */
static bool in_subtree(const struct process *q, const struct process *p)
{
    for (; q; q = q->qparent)
        if (q == p)
            return true;
    return false;
}

void proc_kill(struct process *p)
{
    uint64_t f = spin_lock_irqsave(&proc_list_lock);
    for (struct process *q = proc_all; q; q = q->next_all) {
        if (!in_subtree(q, p) || q->state != PROC_ALIVE)
            continue;
        __atomic_store_n(&q->killed, true, __ATOMIC_RELAXED);
        spin_lock(&sched_lock);
        if (q->thread)
            sched_wake_locked(q->thread);   /* a cap_enter wait ends */
        spin_unlock(&sched_lock);
    }
    spin_unlock_irqrestore(&proc_list_lock, f);
}

void proc_exit_if_killed(void)
{
    struct process *p = proc_current();
    if (p && __atomic_load_n(&p->killed, __ATOMIC_RELAXED))
        proc_exit(p, PROC_KILLED_CODE, "killed through its ProcessHandle");
}

void proc_start(struct process *p)
{
    sched_wake(p->thread);
}

void proc_activate(struct process *p)
{
    vm_activate(p ? &p->vm : NULL);
    arch_set_fs_base(p && p->thread ? p->thread->fs_base : 0);
}

void proc_exit_request(struct process *p, int64_t code, const char *reason)
{
    uint64_t f = spin_lock_irqsave(&p->lock);
    if (!p->exit_requested) {
        p->exit_requested = true;
        p->exit_req_code = code;
        p->exit_req_reason = reason;
    }
    spin_unlock_irqrestore(&p->lock, f);
}

void proc_exit_if_requested(struct process *p)
{
    if (p->exit_requested)
        proc_exit(p, p->exit_req_code, p->exit_req_reason);
}

void proc_exit(struct process *p, int64_t code, const char *reason)
{
    assert(p != NULL);
    bool self = proc_current() == p;
    uint64_t f = spin_lock_irqsave(&p->lock);
    if (p->state == PROC_EXITED) {
        spin_unlock_irqrestore(&p->lock, f);
        return;
    }
    p->state = PROC_EXITED;
    p->exit_code = code;
    strlcpy(p->exit_reason, reason ? reason : "exit", sizeof p->exit_reason);
    spin_unlock_irqrestore(&p->lock, f);
    proc_release_resources(p);
    quota_exit(p);
    procwait_notify_exit(p);
    if (proc_init_exit_hook)
        proc_init_exit_hook(p);
    if (self) {
        p->thread = NULL;       /* the scheduler reaps the dying thread */
        kobj_put(&p->obj);      /* the "alive" reference */
        sched_exit_current();
    }
    if (p->thread && p->thread->state == THREAD_BLOCKED) {
        thread_free(p->thread); /* never started */
        p->thread = NULL;
    }
    kobj_put(&p->obj);
}
