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
#include <capos.capnp.h>
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

/* Limits of a process and its subtree (docs/capabilities.md, "Quotas"):
 * frames, processes and threads are carved out of the parent's quota at
 * spawn; cap_slots and waits are the process's own limits. */
struct proc_quota {
    uint64_t frames;                /* everything: image, page tables,
                                       kernel records, memory caps,
                                       children's quotas */
    uint32_t cap_slots;             /* max live caps of its own table */
    uint32_t processes;             /* itself + descendants alive */
    uint32_t threads;               /* its threads + descendants' */
    uint32_t waits;                 /* max outstanding deferred completions */
};

/* The resources carved along the quota tree (kernel/proc/quota.c). */
enum quota_kind { QUOTA_FRAMES, QUOTA_PROCESSES, QUOTA_THREADS, QUOTA__COUNT };

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
    /* Quota tree (kernel/proc/quota.c; atomics: a MemoryObject may
     * refund from any context). */
    struct process *qparent;        /* quota carved from (a reference), or NULL */
    uint64_t charged[QUOTA__COUNT]; /* used by p and carved to children */
    uint64_t frames_own;            /* of charged[FRAMES]: freed at exit
                                       (image, records, page tables) */
    bool quota_returned;            /* exited: refunds go up to qparent */
    bool killed;                    /* ProcessHandle.kill: exit at the next
                                       return towards user mode */
    struct ep_call *calls;          /* outstanding IPC calls made by p */
    struct ep_call *served;         /* calls p received, not yet answered */
    /* An exit asked for from inside a kernel operation (lock): */
    bool exit_requested;
    int64_t exit_req_code;
    const char *exit_req_reason;    /* static string */
    struct process *next_all;       /* all-process list (proc_list_lock) */
};

/* Default quotas: of a test process or init without a manifest quota
 * (proc_default_quota), and of a spawned child for each 0 field of the
 * requested quota (proc_child_quota). */
extern const struct proc_quota proc_default_quota;
extern const struct proc_quota proc_child_quota;
#define PROC_WAITS_MAX 64           /* a quota's waits at most */
#define PROC_KILLED_CODE (-(128 + 9))

/* A Quota struct of a message, as is (0 fields stay 0). */
void quota_read(capos_quota_r r, struct proc_quota *q);
/* Fill the 0 fields of *q from *def; RANGE if cap_slots or waits are over
 * their limits (PROC_CAP_SLOTS, PROC_WAITS_MAX). */
err_t quota_complete(struct proc_quota *q, const struct proc_quota *def);
/* Charge n of resource k to p (p's and its subtree's use); QUOTA if that
 * exceeds p->quota.  Lock-free. */
err_t quota_charge(struct process *p, enum quota_kind k, uint64_t n)
    __attribute__((warn_unused_result));
/* Give n of k back: to p, or, once p has exited, to the nearest live
 * ancestor it was carved from (nowhere past the root).  Lock-free. */
void quota_refund(struct process *p, enum quota_kind k, uint64_t n);
/* Carve q out of parent's quota (frames, processes, threads); QUOTA. */
err_t quota_carve(struct process *parent, const struct proc_quota *q)
    __attribute__((warn_unused_result));
/* Give back a quota carved for a child that was never created. */
void quota_uncarve(struct process *parent, const struct proc_quota *q);
/* p has released its resources: its own uses end; what it does not still
 * owe for (memory objects alive elsewhere, live children) goes back up.
 * Idempotent. */
void quota_exit(struct process *p);

/*
 * Create a process from an ELF image: address space, segments, stack, ring
 * and CapSet page, cap table and a thread (not yet runnable).  On error
 * nothing is left allocated and *detail names the failed check.  The
 * caller gets its own reference (kobj_put it when done); the process holds
 * another until it exits.  With a parent, q (complete) is carved out of
 * the parent's quota first (QUOTA) and returned when the child exits.
 */
err_t proc_create(const char *name, const void *elf, size_t elf_len,
                  const struct proc_quota *q, struct process *parent,
                  struct process **out, const char **detail)
    __attribute__((warn_unused_result));
/* Write the CapSet page (a capnp CapSet message of `len` bytes). */
err_t proc_set_capset(struct process *p, const void *msg, size_t len);
/* Charge p one outstanding wait and reserve one completion slot for a
 * deferred operation; ERR_QUOTA.  Uncharge returns the wait (and the slot
 * if `slot`: the completion was never posted). */
err_t proc_wait_charge(struct process *p);
void proc_wait_uncharge(struct process *p, bool slot);
/* Mark p and its descendants (every process carved from its quota)
 * killed and wake them wherever they block: each exits with
 * PROC_KILLED_CODE before running user code again. */
void proc_kill(struct process *p);
/* If the current process was killed, end it (does not return then). */
void proc_exit_if_killed(void);
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
