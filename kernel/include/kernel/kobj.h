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
};

/* Initialise o with one reference (the creator's), epoch 0; counts it live. */
void kobj_init(struct kobj *o, const struct kobj_ops *ops);

/* Take one more reference; o must already hold one (refs > 0). */
void kobj_get(struct kobj *o);

/* Drop one reference; the last one calls ops->destroy and uncounts o. */
void kobj_put(struct kobj *o);

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
