/*
 * test_cap_transfer.c - two-phase capability transfer between two tables:
 * move reserve/commit/abort, copy, permission and revocation checks,
 * multi-cap receiver reservation with rollback, a whole IPC-style
 * transaction that fails half way and leaves both tables unchanged, and
 * misuse of the commit/abort calls.
 */
#include "cap_test.h"
#include <abi/ring.h>

static struct cap_entry s_slots[16], r_slots[16];

struct two {
    struct cap_table s, r;        /* sender, receiver */
    struct fake_obj a, b;
};

static void two_init(struct two *w, uint32_t rquota)
{
    cap_table_init(&w->s, s_slots, 16, 16);
    cap_table_init(&w->r, r_slots, 16, rquota);
    fake_init(&w->a);
    fake_init(&w->b);
}

static void two_fini(struct test_ctx *t, struct two *w)
{
    EXPECT_EQ(w->s.faults, 0);
    EXPECT_EQ(w->r.faults, 0);
    cap_table_release_all(&w->s);
    cap_table_release_all(&w->r);
    EXPECT_EQ(kobj_refs(&w->a.k), 1);
    EXPECT_EQ(kobj_refs(&w->b.k), 1);
    kobj_put(&w->a.k);
    kobj_put(&w->b.k);
}

static cap_id_t put_cap(struct test_ctx *t, struct cap_table *ct,
                        struct kobj *o, uint8_t flags)
{
    cap_id_t id = 0;

    EXPECT_EQ(cap_insert(ct, o, IFACE_A, CAP_HOLD_GRANT, flags, &id), ERR_OK);
    return id;
}

static err_t look(struct cap_table *ct, cap_id_t id, struct cap_entry **e)
{
    struct cap_entry *dummy;

    return cap_lookup(ct, id, 0, e ? e : &dummy);
}

/* A digest of a table's observable state: ids, objects, epochs, flags. */
static uint64_t digest(const struct cap_table *ct)
{
    uint64_t h = 1469598103934665603ull ^ ct->used;
    const struct cap_entry *e;
    uint32_t cur = 0;
    cap_id_t id;

    while (cap_table_next(ct, &cur, &id, &e)) {
        uint64_t v[5] = {id, (uint64_t)(uintptr_t)e->obj, e->iface,
                         (uint64_t)e->epoch << 16 | e->state << 8 | e->flags,
                         e->hold};
        for (int i = 0; i < 5; i++)
            h = (h ^ v[i]) * 1099511628211ull;
    }
    return h;
}

TEST(xfer_move_commit)
{
    struct cap_leak lb = cap_leak_begin();
    struct two w;
    struct cap_grant g, g2;
    struct cap_entry *e;
    cap_id_t src, dst;

    two_init(&w, 16);
    src = put_cap(t, &w.s, &w.a.k, CAP_F_TRANSFERABLE);
    EXPECT_EQ(cap_move_reserve(&w.s, src, &g), ERR_OK);
    EXPECT_TRUE(g.obj == &w.a.k);
    EXPECT_EQ(g.iface, IFACE_A);
    EXPECT_EQ(kobj_refs(&w.a.k), 3);       /* creator, entry, grant */
    /* Reserved: unusable, unreleasable, not sendable twice. */
    EXPECT_EQ(look(&w.s, src, NULL), ERR_BUSY);
    EXPECT_EQ(cap_release(&w.s, src), ERR_BUSY);
    EXPECT_EQ(cap_move_reserve(&w.s, src, &g2), ERR_BUSY);
    EXPECT_EQ(cap_copy_prepare(&w.s, src, &g2), ERR_BUSY);
    EXPECT_EQ(kobj_refs(&w.a.k), 3);
    EXPECT_EQ(cap_insert_reserve(&w.r, 1, &dst), ERR_OK);
    cap_insert_commit(&w.r, dst, &g, CAP_HOLD_MOVE);
    EXPECT_TRUE(g.obj == NULL);
    cap_move_commit(&w.s, src);
    EXPECT_EQ(look(&w.s, src, NULL), ERR_BADCAP);
    EXPECT_EQ(cap_table_used(&w.s), 0);
    ASSERT_EQ(look(&w.r, dst, &e), ERR_OK);
    EXPECT_TRUE(e->obj == &w.a.k);
    EXPECT_EQ(e->hold, CAP_HOLD_MOVE);
    EXPECT_EQ(e->flags, CAP_F_TRANSFERABLE);
    EXPECT_EQ(kobj_refs(&w.a.k), 2);       /* creator, receiver entry */
    two_fini(t, &w);
    EXPECT_NO_LEAK(lb);
}

TEST(xfer_move_abort_restores_sender)
{
    struct cap_leak lb = cap_leak_begin();
    struct two w;
    struct cap_grant g;
    cap_id_t src;
    uint64_t d0;

    two_init(&w, 16);
    src = put_cap(t, &w.s, &w.a.k, CAP_F_TRANSFERABLE);
    d0 = digest(&w.s);
    EXPECT_EQ(cap_move_reserve(&w.s, src, &g), ERR_OK);
    cap_move_abort(&w.s, src);
    cap_grant_drop(&g);
    cap_grant_drop(&g);                     /* idempotent */
    EXPECT_EQ(digest(&w.s), d0);
    EXPECT_EQ(look(&w.s, src, NULL), ERR_OK);
    EXPECT_EQ(kobj_refs(&w.a.k), 2);
    two_fini(t, &w);
    EXPECT_NO_LEAK(lb);
}

TEST(xfer_copy_keeps_sender_cap)
{
    struct cap_leak lb = cap_leak_begin();
    struct two w;
    struct cap_grant g;
    struct cap_entry *e;
    cap_id_t src, dst;

    two_init(&w, 16);
    src = put_cap(t, &w.s, &w.a.k, CAP_F_TRANSFERABLE);
    ASSERT_EQ(look(&w.s, src, &e), ERR_OK);
    e->badge = 0x5e55;
    EXPECT_EQ(cap_copy_prepare(&w.s, src, &g), ERR_OK);
    EXPECT_EQ(g.badge, 0x5e55);
    EXPECT_EQ(look(&w.s, src, NULL), ERR_OK);   /* not reserved */
    EXPECT_EQ(cap_insert_reserve(&w.r, 1, &dst), ERR_OK);
    cap_insert_commit(&w.r, dst, &g, CAP_HOLD_COPY);
    ASSERT_EQ(look(&w.r, dst, &e), ERR_OK);
    EXPECT_EQ(e->hold, CAP_HOLD_COPY);
    EXPECT_EQ(e->badge, 0x5e55);
    EXPECT_EQ(look(&w.s, src, NULL), ERR_OK);
    EXPECT_EQ(kobj_refs(&w.a.k), 3);
    two_fini(t, &w);
    EXPECT_NO_LEAK(lb);
}

TEST(xfer_requires_transferable_and_unrevoked)
{
    struct cap_leak lb = cap_leak_begin();
    struct two w;
    struct cap_grant g = {0};
    cap_id_t fixed, old;

    two_init(&w, 16);
    fixed = put_cap(t, &w.s, &w.a.k, 0);
    old = put_cap(t, &w.s, &w.b.k, CAP_F_TRANSFERABLE);
    EXPECT_EQ(cap_move_reserve(&w.s, fixed, &g), ERR_PERM);
    EXPECT_EQ(cap_copy_prepare(&w.s, fixed, &g), ERR_PERM);
    EXPECT_EQ(look(&w.s, fixed, NULL), ERR_OK);     /* not left reserved */
    kobj_revoke(&w.b.k);
    EXPECT_EQ(cap_move_reserve(&w.s, old, &g), ERR_REVOKED);
    EXPECT_EQ(cap_copy_prepare(&w.s, old, &g), ERR_REVOKED);
    EXPECT_EQ(cap_move_reserve(&w.s, 0, &g), ERR_BADCAP);
    EXPECT_TRUE(g.obj == NULL);
    EXPECT_EQ(kobj_refs(&w.a.k), 2);
    EXPECT_EQ(kobj_refs(&w.b.k), 2);
    two_fini(t, &w);
    EXPECT_NO_LEAK(lb);
}

/* A revoke while the grant is in flight still revokes the delivered cap. */
TEST(xfer_revoke_in_flight_follows_the_cap)
{
    struct cap_leak lb = cap_leak_begin();
    struct two w;
    struct cap_grant g;
    cap_id_t src, dst;

    two_init(&w, 16);
    src = put_cap(t, &w.s, &w.a.k, CAP_F_TRANSFERABLE);
    EXPECT_EQ(cap_copy_prepare(&w.s, src, &g), ERR_OK);
    kobj_revoke(&w.a.k);
    EXPECT_EQ(cap_insert_reserve(&w.r, 1, &dst), ERR_OK);
    cap_insert_commit(&w.r, dst, &g, CAP_HOLD_COPY);
    EXPECT_EQ(look(&w.r, dst, NULL), ERR_REVOKED);
    EXPECT_EQ(look(&w.s, src, NULL), ERR_REVOKED);
    two_fini(t, &w);
    EXPECT_NO_LEAK(lb);
}

TEST(xfer_insert_reserve_all_or_nothing)
{
    struct cap_leak lb = cap_leak_begin();
    struct two w;
    cap_id_t ids[RING_MAX_XFER], x;
    uint64_t d0;

    two_init(&w, 4);
    put_cap(t, &w.r, &w.b.k, 0);
    put_cap(t, &w.r, &w.b.k, 0);
    d0 = digest(&w.r);
    EXPECT_EQ(cap_insert_reserve(&w.r, 3, ids), ERR_QUOTA);
    EXPECT_EQ(cap_table_used(&w.r), 2);
    EXPECT_EQ(digest(&w.r), d0);
    EXPECT_EQ(cap_insert_reserve(&w.r, CAP_SLOTS_MAX + 1, ids), ERR_INVAL);
    EXPECT_EQ(cap_insert_reserve(&w.r, 0, ids), ERR_OK);
    EXPECT_EQ(cap_insert_reserve(&w.r, 2, ids), ERR_OK);
    EXPECT_EQ(cap_table_used(&w.r), 4);
    EXPECT_EQ(cap_insert(&w.r, &w.a.k, IFACE_A, 0, 0, &x), ERR_QUOTA);
    EXPECT_EQ(look(&w.r, ids[0], NULL), ERR_BADCAP);    /* not yet valid */
    cap_insert_abort(&w.r, ids[0]);
    cap_insert_abort(&w.r, ids[1]);
    EXPECT_EQ(cap_table_used(&w.r), 2);
    EXPECT_EQ(digest(&w.r), d0);
    /* Aborted ids never become valid, even after their slots are reused. */
    put_cap(t, &w.r, &w.a.k, 0);
    put_cap(t, &w.r, &w.a.k, 0);
    EXPECT_EQ(look(&w.r, ids[0], NULL), ERR_BADCAP);
    EXPECT_EQ(look(&w.r, ids[1], NULL), ERR_BADCAP);
    two_fini(t, &w);
    EXPECT_NO_LEAK(lb);
}

/*
 * An IPC-style CALL carrying {move c0, copy c1, move c2}: c2 is not
 * transferable, so the prepare phase fails on the third descriptor and the
 * caller unwinds; both tables and all reference counts are unchanged.
 */
TEST(xfer_transaction_fails_midway_changes_nothing)
{
    struct cap_leak lb = cap_leak_begin();
    struct two w;
    struct cap_grant g[3];
    cap_id_t c[3];
    uint64_t ds, dr;
    err_t err;
    int n;

    two_init(&w, 16);
    c[0] = put_cap(t, &w.s, &w.a.k, CAP_F_TRANSFERABLE);
    c[1] = put_cap(t, &w.s, &w.b.k, CAP_F_TRANSFERABLE);
    c[2] = put_cap(t, &w.s, &w.b.k, 0);
    put_cap(t, &w.r, &w.a.k, 0);
    ds = digest(&w.s);
    dr = digest(&w.r);
    for (n = 0, err = ERR_OK; n < 3 && !err; n += !err) {
        err = n == 1 ? cap_copy_prepare(&w.s, c[n], &g[n])
                     : cap_move_reserve(&w.s, c[n], &g[n]);
    }
    EXPECT_EQ(err, ERR_PERM);
    EXPECT_EQ(n, 2);
    while (n-- > 0) {                       /* unwind in reverse */
        if (n != 1)
            cap_move_abort(&w.s, c[n]);
        cap_grant_drop(&g[n]);
    }
    EXPECT_EQ(digest(&w.s), ds);
    EXPECT_EQ(digest(&w.r), dr);
    EXPECT_EQ(kobj_refs(&w.a.k), 3);
    EXPECT_EQ(kobj_refs(&w.b.k), 3);
    two_fini(t, &w);
    EXPECT_NO_LEAK(lb);
}

/* Same message, the receiver is over quota: everything is unwound. */
TEST(xfer_transaction_receiver_quota_rolls_back)
{
    struct cap_leak lb = cap_leak_begin();
    struct two w;
    struct cap_grant g[2];
    cap_id_t c[2], dst[2];
    uint64_t ds;

    two_init(&w, 1);
    c[0] = put_cap(t, &w.s, &w.a.k, CAP_F_TRANSFERABLE);
    c[1] = put_cap(t, &w.s, &w.b.k, CAP_F_TRANSFERABLE);
    ds = digest(&w.s);
    EXPECT_EQ(cap_move_reserve(&w.s, c[0], &g[0]), ERR_OK);
    EXPECT_EQ(cap_move_reserve(&w.s, c[1], &g[1]), ERR_OK);
    EXPECT_EQ(cap_insert_reserve(&w.r, 2, dst), ERR_QUOTA);
    EXPECT_EQ(cap_table_used(&w.r), 0);
    for (int i = 0; i < 2; i++) {
        cap_move_abort(&w.s, c[i]);
        cap_grant_drop(&g[i]);
    }
    EXPECT_EQ(digest(&w.s), ds);
    /* Now with room: the whole message lands. */
    cap_table_set_quota(&w.r, 2);
    for (int i = 0; i < 2; i++)
        EXPECT_EQ(cap_move_reserve(&w.s, c[i], &g[i]), ERR_OK);
    EXPECT_EQ(cap_insert_reserve(&w.r, 2, dst), ERR_OK);
    for (int i = 0; i < 2; i++) {
        cap_insert_commit(&w.r, dst[i], &g[i], CAP_HOLD_MOVE);
        cap_move_commit(&w.s, c[i]);
    }
    EXPECT_EQ(cap_table_used(&w.s), 0);
    EXPECT_EQ(cap_table_used(&w.r), 2);
    EXPECT_EQ(kobj_refs(&w.a.k), 2);
    EXPECT_EQ(kobj_refs(&w.b.k), 2);
    two_fini(t, &w);
    EXPECT_NO_LEAK(lb);
}

/* Sending to oneself uses one table for both sides. */
TEST(xfer_move_within_one_table)
{
    struct cap_leak lb = cap_leak_begin();
    struct two w;
    struct cap_grant g;
    cap_id_t src, dst;

    two_init(&w, 16);
    src = put_cap(t, &w.s, &w.a.k, CAP_F_TRANSFERABLE);
    EXPECT_EQ(cap_move_reserve(&w.s, src, &g), ERR_OK);
    EXPECT_EQ(cap_insert_reserve(&w.s, 1, &dst), ERR_OK);
    EXPECT_NE(cap_id_index(dst), cap_id_index(src));
    cap_insert_commit(&w.s, dst, &g, CAP_HOLD_MOVE);
    cap_move_commit(&w.s, src);
    EXPECT_EQ(look(&w.s, src, NULL), ERR_BADCAP);
    EXPECT_EQ(look(&w.s, dst, NULL), ERR_OK);
    EXPECT_EQ(cap_table_used(&w.s), 1);
    EXPECT_EQ(kobj_refs(&w.a.k), 2);
    two_fini(t, &w);
    EXPECT_NO_LEAK(lb);
}

/* Wrong-state commit/abort calls are counted and change nothing. */
TEST(xfer_misuse_is_counted)
{
    struct cap_leak lb = cap_leak_begin();
    struct two w;
    struct cap_grant g;
    cap_id_t live, pend;
    uint64_t ds;

    two_init(&w, 16);
    live = put_cap(t, &w.s, &w.a.k, CAP_F_TRANSFERABLE);
    EXPECT_EQ(cap_insert_reserve(&w.s, 1, &pend), ERR_OK);
    ds = digest(&w.s);
    cap_move_commit(&w.s, live);            /* not reserved */
    cap_move_abort(&w.s, live);
    cap_insert_abort(&w.s, live);           /* not pending */
    cap_move_commit(&w.s, pend);
    EXPECT_EQ(w.s.faults, 4);
    EXPECT_EQ(digest(&w.s), ds);
    EXPECT_EQ(cap_copy_prepare(&w.s, live, &g), ERR_OK);
    cap_insert_commit(&w.s, live, &g, CAP_HOLD_COPY);   /* not pending */
    EXPECT_EQ(w.s.faults, 5);
    EXPECT_TRUE(g.obj == NULL);             /* grant dropped, not leaked */
    EXPECT_EQ(kobj_refs(&w.a.k), 2);
    EXPECT_EQ(cap_copy_prepare(&w.s, live, &g), ERR_OK);
    cap_insert_commit(&w.s, pend, &g, CAP_HOLD__COUNT); /* bad hold */
    EXPECT_EQ(w.s.faults, 6);
    EXPECT_EQ(kobj_refs(&w.a.k), 2);
    w.s.faults = 0;
    cap_insert_abort(&w.s, pend);
    two_fini(t, &w);
    EXPECT_NO_LEAK(lb);
}
