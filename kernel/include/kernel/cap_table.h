/*
 * cap_table.h - the per-process capability table: a flat array of slots
 * named by generation-tagged CapIds, with quota, epoch revocation and
 * two-phase transfer.  Portable; no locks and no allocation inside: the
 * caller supplies the slot storage and holds the owning process's lock
 * around every call.  No function runs a destroy hook: references dropped
 * are queued (kobj_put_deferred) and the caller must kobj_reap() once it
 * holds no lock.  Design notes are in kernel/cap/cap_table.c and
 * docs/capabilities.md.
 */
#pragma once

#include <abi/errors.h>
#include <kernel/kobj.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * CapId (u32) = generation << CAP_INDEX_BITS | slot index.
 * Generations run 1..CAP_GEN_MAX; generation 0 and the all-ones generation
 * are never issued, so CapId 0 and 0xffffffff are never valid.
 */
typedef uint32_t cap_id_t;

#define CAP_INDEX_BITS 12u
#define CAP_SLOTS_MAX (1u << CAP_INDEX_BITS)               /* 4096 */
#define CAP_INDEX_MASK (CAP_SLOTS_MAX - 1u)
#define CAP_GEN_BITS (32u - CAP_INDEX_BITS)                  /* 20 */
#define CAP_GEN_MAX ((1u << CAP_GEN_BITS) - 2u)              /* 0xffffe */
#define CAP_ID_INVALID 0u
#define CAP_NIL UINT32_MAX  /* end of the free list */

/* Slot index of a CapId. */
static inline uint32_t cap_id_index(cap_id_t id)
{
    return id & CAP_INDEX_MASK;
}

/* Generation of a CapId. */
static inline uint32_t cap_id_gen(cap_id_t id)
{
    return id >> CAP_INDEX_BITS;
}

/* How the holder obtained a cap (hold metadata, for list and audits). */
enum cap_hold {
    CAP_HOLD_GRANT = 0, /* manifest / boot grant by the kernel or spawner */
    CAP_HOLD_RESULT,    /* result cap of a CALL */
    CAP_HOLD_COPY,      /* received by a copy transfer */
    CAP_HOLD_MOVE,      /* received by a move transfer */
    CAP_HOLD__COUNT
};

/* Entry flags (u8). */
#define CAP_F_TRANSFERABLE 0x01u /* may be sent by copy or move */
#define CAP_F__CALLER 0x01u      /* the bits cap_insert accepts */

/* Slot states. */
enum cap_slot_state {
    CAP_SLOT_FREE = 0,  /* on the free list */
    CAP_SLOT_LIVE,      /* holds a cap */
    CAP_SLOT_MOVING,    /* holds a cap reserved by an in-flight move */
    CAP_SLOT_PENDING,   /* reserved for an incoming transfer, empty */
    CAP_SLOT_RETIRED,   /* generations exhausted, never used again */
};

/* One slot; every field is guarded by the owning process's lock. */
struct cap_entry {
    struct kobj *obj;   /* owns one reference when LIVE or MOVING */
    uint64_t iface;     /* Cap'n Proto interface id; never 0 when live */
    uint64_t badge;     /* opaque session/badge word, carried by transfers */
    uint32_t epoch;     /* obj's epoch when this authority was created */
    uint32_t gen;       /* generation of the current (or next) CapId */
    uint32_t next;      /* free-list link (slot index) while FREE */
    uint8_t state;      /* enum cap_slot_state */
    uint8_t hold;       /* enum cap_hold */
    uint8_t flags;      /* CAP_F_* */
    uint8_t rsvd;
};

/* A table; guarded by the owning process's lock. */
struct cap_table {
    struct cap_entry *slots; /* caller storage, capacity entries */
    uint32_t capacity;       /* slots, <= CAP_SLOTS_MAX */
    uint32_t quota;          /* max used, <= capacity */
    uint32_t used;           /* LIVE + MOVING + PENDING slots */
    uint32_t retired;        /* RETIRED slots (never reused) */
    uint32_t free_head;      /* FIFO free list of slot indices, or CAP_NIL */
    uint32_t free_tail;
    uint32_t gen_max;        /* CAP_GEN_MAX; tests lower it (test hook) */
    uint32_t faults;         /* transfer-API misuse seen (kernel bugs) */
};

/*
 * What travels in a transfer: the authority plus one object reference owned
 * by the grant until cap_insert_commit consumes it or cap_grant_drop drops
 * it.
 */
struct cap_grant {
    struct kobj *obj;
    uint64_t iface;
    uint64_t badge;
    uint32_t epoch;     /* the source entry's epoch: revocation follows */
    uint8_t flags;
};

/* Init t over storage[capacity]; capacity and quota are clamped. */
void cap_table_init(struct cap_table *t, struct cap_entry *storage,
                    uint32_t capacity, uint32_t quota);

/* Change the quota (clamped to capacity); below used blocks new inserts. */
void cap_table_set_quota(struct cap_table *t, uint32_t quota);

/*
 * Insert a fresh cap to o (takes its own reference) at o's current epoch.
 * ERR_INVAL (o NULL, iface 0, bad hold or flags), ERR_REVOKED (o killed),
 * ERR_QUOTA (used == quota), ERR_FULL (no usable slot).
 */
err_t cap_insert(struct cap_table *t, struct kobj *o, uint64_t iface,
                 uint8_t hold, uint8_t flags, cap_id_t *id_out)
    __attribute__((warn_unused_result));

/*
 * Resolve id for use; iface 0 accepts any interface.  *out stays valid only
 * under the lock (kobj_get the object to keep it longer).  ERR_BADCAP (bad
 * index, generation or empty slot), ERR_BUSY (reserved by a move),
 * ERR_REVOKED (object epoch moved on), ERR_WRONGTYPE (iface differs).
 */
err_t cap_lookup(struct cap_table *t, cap_id_t id, uint64_t iface,
                 struct cap_entry **out) __attribute__((warn_unused_result));

/*
 * Drop cap id (RELEASE): puts its reference and retires the CapId.  Works
 * on revoked caps.  ERR_BADCAP, ERR_BUSY (a move is in flight).
 */
err_t cap_release(struct cap_table *t, cap_id_t id)
    __attribute__((warn_unused_result));

/* Process exit: drop every cap (MOVING too) and empty every slot. */
void cap_table_release_all(struct cap_table *t);

/* Slots in use (LIVE + MOVING + PENDING). */
uint32_t cap_table_used(const struct cap_table *t);

/*
 * Iterate LIVE and MOVING entries in slot order: start with *cursor = 0;
 * returns false when done.  Read-only.
 */
bool cap_table_next(const struct cap_table *t, uint32_t *cursor,
                    cap_id_t *id, const struct cap_entry **entry);

/* ---- transfer (IPC): two-phase, all-or-nothing ---------------------- */

/*
 * Sender, move: reserve id (state MOVING) and fill *g with a new reference.
 * ERR_BADCAP, ERR_BUSY, ERR_REVOKED, ERR_PERM (not transferable).
 */
err_t cap_move_reserve(struct cap_table *t, cap_id_t id,
                       struct cap_grant *g) __attribute__((warn_unused_result));

/* Sender, move succeeded: free the reserved slot (drops its reference). */
void cap_move_commit(struct cap_table *t, cap_id_t id);

/* Sender, move failed: the slot becomes LIVE again, unchanged. */
void cap_move_abort(struct cap_table *t, cap_id_t id);

/*
 * Sender, copy: fill *g with a new reference; the sender keeps its cap.
 * ERR_BADCAP, ERR_BUSY, ERR_REVOKED, ERR_PERM (not transferable).
 */
err_t cap_copy_prepare(struct cap_table *t, cap_id_t id,
                       struct cap_grant *g) __attribute__((warn_unused_result));

/* Drop the reference of a grant that will not be committed. */
void cap_grant_drop(struct cap_grant *g);

/*
 * Receiver: reserve n empty slots (state PENDING) and return their future
 * CapIds in ids[n]; all or nothing.  ERR_INVAL (n > CAP_SLOTS_MAX),
 * ERR_QUOTA (used + n > quota), ERR_FULL (fewer than n usable slots).
 */
err_t cap_insert_reserve(struct cap_table *t, uint32_t n, cap_id_t *ids)
    __attribute__((warn_unused_result));

/* Receiver: fill reserved slot id from g, consuming g's reference. */
void cap_insert_commit(struct cap_table *t, cap_id_t id,
                       struct cap_grant *g, uint8_t hold);

/* Receiver: give reserved slot id back (its CapId is never valid). */
void cap_insert_abort(struct cap_table *t, cap_id_t id);
