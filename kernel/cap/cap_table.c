/*
 * cap_table.c - per-process capability table.
 *
 * Theory of operation
 *
 * A table is a flat array of at most CAP_SLOTS_MAX slots supplied by the
 * caller.  A CapId is (generation << 12 | index).  A slot moves through
 *
 *     FREE --take--> LIVE <--> MOVING          (reserve / abort a move)
 *       ^  \                  |
 *       |   `--take--> PENDING --commit--> LIVE
 *       |                 |                 |
 *       `---- vacate -----+-----------------'   (release, move commit,
 *                                                 insert abort, exit)
 *
 * and every vacate bumps the slot's generation, so each (index, generation)
 * pair is handed out at most once: a stale CapId can never name a later
 * occupant.  When a slot has used its last generation (gen_max, normally
 * CAP_GEN_MAX = 2^20 - 2) it becomes RETIRED for good instead of wrapping,
 * and is counted in `retired`.  Free slots form a FIFO list, so generations
 * are spent evenly over all slots and a released CapId stays dead as long
 * as possible before its slot is reused at all.
 *
 * A live entry owns one reference to its object and remembers the object's
 * epoch when the authority was created; kobj_revoke makes every older entry
 * fail with ERR_REVOKED (the entry still occupies its slot until released).
 * The interface id is the permission: a lookup naming another interface
 * fails with ERR_WRONGTYPE.  There are no rights bits apart from
 * CAP_F_TRANSFERABLE.
 *
 * Quota: `used` counts LIVE, MOVING and PENDING slots; no operation lets it
 * exceed `quota` (ERR_QUOTA); ERR_FULL means the quota allows more but no
 * usable slot is left (retired slots shrink the table).
 *
 * Transfers are two-phase so a multi-cap message either fully lands or
 * leaves both tables as they were.  The sender prepares each descriptor
 * (cap_copy_prepare, or cap_move_reserve which marks the slot MOVING so it
 * cannot be used, released or sent twice); each yields a struct cap_grant
 * that owns its own object reference and carries the source entry's epoch
 * (revoking during the flight still revokes the delivered cap).  The
 * receiver reserves all n slots at once (cap_insert_reserve, quota-checked),
 * then the IPC layer commits each grant (cap_insert_commit, cap_move_commit)
 * or undoes everything (cap_insert_abort, cap_move_abort, cap_grant_drop).
 * Only prepare/reserve can fail; commit and abort cannot.
 *
 * Locking: no lock inside.  Every function runs under the lock of the
 * process owning t; a transfer takes one process's lock at a time.  No
 * function here ever runs a destroy hook: every reference it drops goes
 * through kobj_put_deferred, and the caller runs kobj_reap() once it holds
 * no lock (a destroy hook takes locks and completes calls).  Slot storage
 * is never freed while t is in use.
 */
#include <kernel/cap_table.h>

/* Compose the CapId of slot idx at generation gen. */
static cap_id_t make_id(uint32_t idx, uint32_t gen)
{
    return gen << CAP_INDEX_BITS | idx;
}

/* Append slot idx to the free list tail. */
static void free_push(struct cap_table *t, uint32_t idx)
{
    t->slots[idx].next = CAP_NIL;
    if (t->free_tail == CAP_NIL)
        t->free_head = idx;
    else
        t->slots[t->free_tail].next = idx;
    t->free_tail = idx;
}

/* Pop the free list head (which must exist) into state st; returns it. */
static uint32_t free_take(struct cap_table *t, uint8_t st)
{
    uint32_t idx = t->free_head;
    struct cap_entry *e = &t->slots[idx];

    t->free_head = e->next;
    if (t->free_head == CAP_NIL)
        t->free_tail = CAP_NIL;
    e->next = CAP_NIL;
    e->state = st;
    t->used++;
    return idx;
}

/* Usable free slots. */
static uint32_t free_count(const struct cap_table *t)
{
    return t->capacity - t->used - t->retired;
}

/* Empty slot idx, bump its generation and free or retire it. */
static void vacate(struct cap_table *t, uint32_t idx)
{
    struct cap_entry *e = &t->slots[idx];

    e->obj = NULL;
    e->iface = 0;
    e->badge = 0;
    e->epoch = 0;
    e->hold = 0;
    e->flags = 0;
    t->used--;
    if (e->gen >= t->gen_max) {
        e->state = CAP_SLOT_RETIRED;
        t->retired++;
        return;
    }
    e->gen++;
    e->state = CAP_SLOT_FREE;
    free_push(t, idx);
}

/* Slot named by id if its generation matches and its state is st. */
static struct cap_entry *resolve(struct cap_table *t, cap_id_t id,
                                 uint8_t st)
{
    uint32_t idx = cap_id_index(id);
    struct cap_entry *e;

    if (idx >= t->capacity)
        return NULL;
    e = &t->slots[idx];
    if (e->gen != cap_id_gen(id) || e->state != st)
        return NULL;
    return e;
}

/* Set up t over storage[capacity] with every slot free at generation 1. */
void cap_table_init(struct cap_table *t, struct cap_entry *storage,
                    uint32_t capacity, uint32_t quota)
{
    if (!storage || capacity > CAP_SLOTS_MAX)
        capacity = storage ? CAP_SLOTS_MAX : 0;
    t->slots = storage;
    t->capacity = capacity;
    t->quota = quota < capacity ? quota : capacity;
    t->used = 0;
    t->retired = 0;
    t->free_head = t->free_tail = CAP_NIL;
    t->gen_max = CAP_GEN_MAX;
    t->faults = 0;
    for (uint32_t i = 0; i < capacity; i++) {
        storage[i] = (struct cap_entry){.gen = 1, .state = CAP_SLOT_FREE};
        free_push(t, i);
    }
}

/* New quota, clamped to capacity. */
void cap_table_set_quota(struct cap_table *t, uint32_t quota)
{
    t->quota = quota < t->capacity ? quota : t->capacity;
}

/* ERR_QUOTA or ERR_FULL if n more slots cannot be taken, else ERR_OK. */
static err_t check_room(const struct cap_table *t, uint32_t n)
{
    if (t->used >= t->quota || n > t->quota - t->used)
        return ERR_QUOTA;
    if (n > free_count(t))
        return ERR_FULL;
    return ERR_OK;
}

/* Insert a fresh cap to o at its current epoch; takes a reference. */
err_t cap_insert(struct cap_table *t, struct kobj *o, uint64_t iface,
                 uint8_t hold, uint8_t flags, cap_id_t *id_out)
{
    struct cap_entry *e;
    uint32_t idx;
    err_t err;

    if (!o || iface == 0 || hold >= CAP_HOLD__COUNT ||
        (flags & ~CAP_F__CALLER))
        return ERR_INVAL;
    if (kobj_dead(o))
        return ERR_REVOKED;
    err = check_room(t, 1);
    if (err)
        return err;
    idx = free_take(t, CAP_SLOT_LIVE);
    e = &t->slots[idx];
    kobj_get(o);
    e->obj = o;
    e->iface = iface;
    e->badge = 0;
    e->epoch = kobj_epoch(o);
    e->hold = hold;
    e->flags = flags;
    *id_out = make_id(idx, e->gen);
    return ERR_OK;
}

/* Resolve id for use (see header for the error order). */
err_t cap_lookup(struct cap_table *t, cap_id_t id, uint64_t iface,
                 struct cap_entry **out)
{
    struct cap_entry *e = resolve(t, id, CAP_SLOT_LIVE);

    if (!e)
        return resolve(t, id, CAP_SLOT_MOVING) ? ERR_BUSY : ERR_BADCAP;
    if (kobj_epoch(e->obj) != e->epoch)
        return ERR_REVOKED;
    if (iface != 0 && e->iface != iface)
        return ERR_WRONGTYPE;
    *out = e;
    return ERR_OK;
}

/* Drop cap id; revoked caps can be released too. */
err_t cap_release(struct cap_table *t, cap_id_t id)
{
    struct cap_entry *e = resolve(t, id, CAP_SLOT_LIVE);
    struct kobj *o;

    if (!e)
        return resolve(t, id, CAP_SLOT_MOVING) ? ERR_BUSY : ERR_BADCAP;
    o = e->obj;
    vacate(t, cap_id_index(id));
    kobj_put_deferred(o);   /* destroy only after the caller unlocks */
    return ERR_OK;
}

/* Empty every occupied slot, dropping the references of held caps. */
void cap_table_release_all(struct cap_table *t)
{
    for (uint32_t i = 0; i < t->capacity; i++) {
        struct cap_entry *e = &t->slots[i];
        struct kobj *o = e->obj;

        if (e->state == CAP_SLOT_FREE || e->state == CAP_SLOT_RETIRED)
            continue;
        vacate(t, i);
        if (o)
            kobj_put_deferred(o);
    }
}

/* Occupied slots. */
uint32_t cap_table_used(const struct cap_table *t)
{
    return t->used;
}

/* Next LIVE or MOVING entry at or after *cursor. */
bool cap_table_next(const struct cap_table *t, uint32_t *cursor,
                    cap_id_t *id, const struct cap_entry **entry)
{
    for (uint32_t i = *cursor; i < t->capacity; i++) {
        const struct cap_entry *e = &t->slots[i];

        if (e->state != CAP_SLOT_LIVE && e->state != CAP_SLOT_MOVING)
            continue;
        *cursor = i + 1;
        *id = make_id(i, e->gen);
        *entry = e;
        return true;
    }
    *cursor = t->capacity;
    return false;
}

/* Shared check of copy and move: usable now and transferable. */
static err_t prepare(struct cap_table *t, cap_id_t id, struct cap_grant *g,
                     struct cap_entry **out)
{
    struct cap_entry *e;
    err_t err = cap_lookup(t, id, 0, &e);

    if (err)
        return err;
    if (!(e->flags & CAP_F_TRANSFERABLE))
        return ERR_PERM;
    kobj_get(e->obj);
    g->obj = e->obj;
    g->iface = e->iface;
    g->badge = e->badge;
    g->epoch = e->epoch;
    g->flags = e->flags & CAP_F_TRANSFERABLE;
    *out = e;
    return ERR_OK;
}

/* Sender side of a move: reserve the slot and fill a grant. */
err_t cap_move_reserve(struct cap_table *t, cap_id_t id, struct cap_grant *g)
{
    struct cap_entry *e;
    err_t err = prepare(t, id, g, &e);

    if (err)
        return err;
    e->state = CAP_SLOT_MOVING;
    return ERR_OK;
}

/* The move landed: free the sender's slot. */
void cap_move_commit(struct cap_table *t, cap_id_t id)
{
    struct cap_entry *e = resolve(t, id, CAP_SLOT_MOVING);
    struct kobj *o;

    if (!e) {
        t->faults++;
        return;
    }
    o = e->obj;
    vacate(t, cap_id_index(id));
    kobj_put_deferred(o);
}

/* The move failed: the sender's cap is usable again. */
void cap_move_abort(struct cap_table *t, cap_id_t id)
{
    struct cap_entry *e = resolve(t, id, CAP_SLOT_MOVING);

    if (!e) {
        t->faults++;
        return;
    }
    e->state = CAP_SLOT_LIVE;
}

/* Sender side of a copy: fill a grant; the sender keeps its cap. */
err_t cap_copy_prepare(struct cap_table *t, cap_id_t id, struct cap_grant *g)
{
    struct cap_entry *e;

    return prepare(t, id, g, &e);
}

/* Drop an uncommitted grant's reference. */
void cap_grant_drop(struct cap_grant *g)
{
    if (g->obj)
        kobj_put_deferred(g->obj);
    g->obj = NULL;
}

/* Reserve n empty slots for an incoming transfer, all or nothing. */
err_t cap_insert_reserve(struct cap_table *t, uint32_t n, cap_id_t *ids)
{
    err_t err;

    if (n > CAP_SLOTS_MAX)
        return ERR_INVAL;
    if (n == 0)
        return ERR_OK;
    err = check_room(t, n);
    if (err)
        return err;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t idx = free_take(t, CAP_SLOT_PENDING);

        ids[i] = make_id(idx, t->slots[idx].gen);
    }
    return ERR_OK;
}

/* Fill a reserved slot from g, consuming g's reference. */
void cap_insert_commit(struct cap_table *t, cap_id_t id,
                       struct cap_grant *g, uint8_t hold)
{
    struct cap_entry *e = resolve(t, id, CAP_SLOT_PENDING);

    if (!e || !g->obj || hold >= CAP_HOLD__COUNT) {
        t->faults++;
        cap_grant_drop(g);  /* never leak the reference */
        return;
    }
    e->obj = g->obj;
    e->iface = g->iface;
    e->badge = g->badge;
    e->epoch = g->epoch;
    e->flags = g->flags;
    e->hold = hold;
    e->state = CAP_SLOT_LIVE;
    g->obj = NULL;
}

/* Give a reserved slot back; its CapId was never valid and never will be. */
void cap_insert_abort(struct cap_table *t, cap_id_t id)
{
    if (!resolve(t, id, CAP_SLOT_PENDING)) {
        t->faults++;
        return;
    }
    vacate(t, cap_id_index(id));
}
