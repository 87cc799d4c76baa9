/*
 * kobj.h - the base of every kernel object: type ops, an atomic reference
 * count and an atomic revocation epoch.  Portable, no locks: refs and epoch
 * are only touched with __atomic builtins because capabilities in many
 * processes (each under its own process lock) point at the same object.
 * Design notes are in kernel/cap/kobj.c and docs/capabilities.md.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Object types; index of the per-type live counters.  Append only. */
enum kobj_type {
    KOBJ_UNKNOWN = 0,  /* counts objects whose ops carry an invalid type */
    KOBJ_CONSOLE,
    KOBJ_TIMER,
    KOBJ_BOOTPKG,
    KOBJ_CAPMGR,
    KOBJ_PROCESS,
    KOBJ_ENDPOINT,
    KOBJ_MEMOBJ,
    KOBJ_VMEM,
    KOBJ_FRAMEALLOC,
    KOBJ_SPAWNER,
    KOBJ_THREAD,
    KOBJ_TEST,         /* host and in-kernel tests */
    KOBJ_EPCLIENT,     /* client facet of an endpoint */
    KOBJ_NOTIFICATION,
    KOBJ_NOTIFYFACTORY,
    KOBJ_DEVMGR,
    KOBJ_PCIDEV,
    KOBJ_INTERRUPT,
    KOBJ_SERIAL,       /* the serial line (kernel/obj/serialport.c) */
    KOBJ__COUNT
};

/*
 * Epoch value that can never be left: kobj_revoke saturates here instead of
 * wrapping, so a cap created at epoch e can never become valid again after
 * 2^32 revokes.  An object at this epoch refuses new caps (ERR_REVOKED).
 */
#define KOBJ_EPOCH_DEAD UINT32_MAX

struct kobj;

/* Per-type operations; one static const instance per object type. */
struct kobj_ops {
    const char *name;                 /* "endpoint", for logs */
    uint32_t type;                    /* enum kobj_type */
    void (*destroy)(struct kobj *o);  /* last put; may be NULL (static) */
};

/* Embedded as the first member of every object. */
struct kobj {
    const struct kobj_ops *ops;  /* immutable after kobj_init */
    uint32_t refs;               /* atomic; the object dies at 0 */
    uint32_t epoch;              /* atomic; bumped by kobj_revoke */
    struct kobj *reap_next;      /* reap list link once refs reached 0 */
};

/*
 * Objects whose last reference went and whose destroy hook has not run
 * yet, in order; `busy` while kobj_reap runs hooks.  One per thread (the
 * kernel installs kobj_set_reaper), a static one before threads exist and
 * on the host.
 */
struct kobj_reaper {
    struct kobj *head, *tail;
    bool busy;
};

/* Install fn: the reaper of the running context (NULL = the static one). */
void kobj_set_reaper(struct kobj_reaper *(*fn)(void));

/* Initialise o with one reference (the creator's), epoch 0; counts it live. */
void kobj_init(struct kobj *o, const struct kobj_ops *ops);

/* Take one more reference; o must already hold one (refs > 0). */
void kobj_get(struct kobj *o);

/* Drop one reference; the last one calls ops->destroy and uncounts o
 * (then every object queued meanwhile, see kobj_reap).  The caller must
 * hold no lock: destroy hooks take locks and complete calls.  Inside a
 * destroy hook the destroy is queued and runs when the hook returns, so
 * nested teardown is iterative, never recursive. */
void kobj_put(struct kobj *o);

/* Drop one reference without ever running a destroy hook: the last one
 * queues o on this context's reaper.  For code holding a lock; it must
 * call kobj_reap() once it holds none. */
void kobj_put_deferred(struct kobj *o);

/* Run the destroy hooks of every queued object, in order, including those
 * queued by the hooks themselves; no-op inside a hook (the outer kobj_reap
 * finishes the list).  The caller must hold no lock. */
void kobj_reap(void);

/* True if this context has destroys queued (leak and lock checks). */
bool kobj_reap_pending(void);

/* Current references (a snapshot; for tests and introspection only). */
uint32_t kobj_refs(const struct kobj *o);

/* Current epoch (acquire load). */
uint32_t kobj_epoch(const struct kobj *o);

/*
 * Revoke every capability to o created before now: epoch++ in O(1); each
 * such cap fails with ERR_REVOKED on its next use.  Saturates at
 * KOBJ_EPOCH_DEAD, which revokes all caps forever.
 */
void kobj_revoke(struct kobj *o);

/* Revoke every cap to o now and forever (epoch = KOBJ_EPOCH_DEAD). */
void kobj_kill(struct kobj *o);

/* True if o's epoch is KOBJ_EPOCH_DEAD (no cap to o can be created). */
bool kobj_dead(const struct kobj *o);

/* Objects of `type` initialised and not yet destroyed (leak checks). */
uint64_t kobj_live(uint32_t type);

/* kobj_get on a dead object or kobj_put below zero seen so far (bugs). */
uint64_t kobj_faults(void);
