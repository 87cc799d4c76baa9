/*
 * proc.h - user processes.
 *
 * A process is an address space, a capability table, a ring and (for now)
 * one thread.  Its struct is also the ProcessHandle kernel object: it lives
 * until the process has exited and the last ProcessHandle cap is released.
 * Everything else (frames, page tables, cap slots, the thread) is released
 * at exit, and all of it is counted so tests can prove nothing leaks.
 *
 * Locking: p->lock protects the cap table, the ring state, quotas and the
 * wait lists of p.  Lock order: process lock, then sched_lock, then pmm/heap.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <abi/errors.h>
#include <kernel/cap_table.h>
#include <kernel/kobj.h>
#include <kernel/ring_core.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <kernel/vm.h>

#define PROC_NAME_MAX 32
#define PROC_CAP_SLOTS 256          /* table capacity per process */

struct thread;
struct proc_waiter;
struct vm_mapping;
struct ep_call;

struct cap_name {
    uint32_t id;
    char name[28];
};

struct proc_quota {
    uint32_t cap_slots;             /* max live caps */
    uint64_t frames;                /* max frames (data + page tables) */
    uint32_t waits;                 /* max outstanding deferred completions */
};

enum proc_state { PROC_ALIVE, PROC_EXITED };

struct process {
    struct kobj obj;                /* the ProcessHandle object; first */
    uint32_t pid;
    char name[PROC_NAME_MAX];
    struct spinlock lock;
    enum proc_state state;
    int64_t exit_code;
    char exit_reason[96];
    struct vmspace vm;
    struct cap_table caps;
    struct cap_entry *cap_slots;
    struct ring_kstate ring;
    void *ring_kva;                 /* kernel view of the ring page */
    uint32_t cq_reserved;           /* CQ slots promised to deferred ops */
    struct thread *thread;
    struct proc_quota quota;
    uint32_t waits_used;
    struct proc_waiter *waiters;    /* ProcessHandle.wait callers */
    uint64_t fs_base;
    struct cap_name *cap_names;     /* CapSet names of boot grants */
    uint32_t ncap_names;
    struct vm_mapping *mappings;    /* MemoryObject mappings (kernel/obj/memobj.c) */
    uint64_t frames_charged;        /* frames charged by memory caps */
    struct ep_call *calls;          /* outstanding IPC calls made by p */
    struct ep_call *served;         /* calls p received, not yet answered */
    /* An exit asked for from inside a kernel operation (lock): */
    bool exit_requested;
    int64_t exit_req_code;
    const char *exit_req_reason;    /* static string */
    struct process *next_all;       /* all-process list (proc_list_lock) */
};

/* Default quotas for a new process. */
extern const struct proc_quota proc_default_quota;

/*
 * Create a process from an ELF image: address space, segments, stack, ring
 * and CapSet page, cap table and a thread (not yet runnable).  On error
 * nothing is left allocated and *detail names the failed check.  The
 * caller gets its own reference (kobj_put it when done); the process holds
 * another until it exits.
 */
err_t proc_create(const char *name, const void *elf, size_t elf_len,
                  const struct proc_quota *q, struct process **out,
                  const char **detail) __attribute__((warn_unused_result));
/* Write the CapSet page (a capnp CapSet message of `len` bytes). */
err_t proc_set_capset(struct process *p, const void *msg, size_t len);
/* Charge p one outstanding wait and reserve one completion slot for a
 * deferred operation; ERR_QUOTA.  Uncharge returns the wait (and the slot
 * if `slot`: the completion was never posted). */
err_t proc_wait_charge(struct process *p);
void proc_wait_uncharge(struct process *p, bool slot);
/* Make the process's thread runnable. */
void proc_start(struct process *p);
/* End p (the current process or one being torn down); records code and
 * reason, releases everything but the struct.  Does not return if p is
 * the caller. */
void proc_exit(struct process *p, int64_t code, const char *reason);
/* Ask for p (the current process) to exit with code and reason once its
 * cap_enter has finished the operation running now: no kernel operation
 * is ever abandoned half way (its params copy, result arena, transfers and
 * completions are all undone first).  The first request wins; the rest of
 * the batch does not run. */
void proc_exit_request(struct process *p, int64_t code, const char *reason);
/* Carry out a pending exit request of p (the current process): does not
 * return if there is one. */
void proc_exit_if_requested(struct process *p);
/* Load p's address space on this CPU (NULL: kernel only). */
void proc_activate(struct process *p);
/* The process running on this CPU (NULL in kernel threads). */
static inline struct process *proc_current(void)
{
    struct thread *t = thread_current();
    return t ? t->proc : NULL;
}
/* Processes created and not yet freed (leak checks). */
uint64_t proc_live_count(void);

/* Called by the kernel when init exits (set by boot code). */
extern void (*proc_init_exit_hook)(struct process *p);
