/*
 * test_cap_table.c - the capability table: CapId encoding, every lookup
 * and insert error, exact quota accounting, stale ids after reuse,
 * generation exhaustion and slot retirement (full 2^20 loop and a lowered
 * limit), references, epoch revocation, release_all and iteration.  The
 * random churn is in test_cap_churn.c.
 */
#include "cap_test.h"

static struct cap_entry slots[CAP_SLOTS_MAX];

/* A table over the shared storage. */
static void tinit(struct cap_table *t, uint32_t cap, uint32_t quota)
{
    cap_table_init(t, slots, cap, quota);
}

/* Insert a transferable cap to o with IFACE_A; returns its id. */
static cap_id_t ins(struct test_ctx *t, struct cap_table *ct, struct kobj *o)
{
    cap_id_t id = CAP_ID_INVALID;

    EXPECT_EQ(cap_insert(ct, o, IFACE_A, CAP_HOLD_GRANT, CAP_F_TRANSFERABLE,
                         &id), ERR_OK);
    return id;
}

/* Lookup error only. */
static err_t look(struct cap_table *ct, cap_id_t id, uint64_t iface)
{
    struct cap_entry *e;

    return cap_lookup(ct, id, iface, &e);
}

TEST(cap_id_encoding)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct fake_obj f;
    cap_id_t id;

    EXPECT_EQ(CAP_GEN_MAX, 0xffffe);
    EXPECT_EQ(cap_id_index(0x12345678), 0x678);
    EXPECT_EQ(cap_id_gen(0x12345678), 0x12345);
    fake_init(&f);
    tinit(&ct, CAP_SLOTS_MAX, CAP_SLOTS_MAX);
    EXPECT_EQ(ct.capacity, CAP_SLOTS_MAX);
    for (uint32_t i = 0; i < CAP_SLOTS_MAX; i++) {
        id = ins(t, &ct, &f.k);
        EXPECT_EQ(cap_id_index(id), i);
        EXPECT_EQ(cap_id_gen(id), 1);
    }
    EXPECT_EQ(look(&ct, 0, 0), ERR_BADCAP);
    EXPECT_EQ(look(&ct, UINT32_MAX, 0), ERR_BADCAP);
    EXPECT_EQ(look(&ct, 0x00000fff, 0), ERR_BADCAP);  /* gen 0 */
    EXPECT_EQ(look(&ct, 0x00001fff, 0), ERR_OK);
    EXPECT_EQ(kobj_refs(&f.k), 1 + CAP_SLOTS_MAX);
    cap_table_release_all(&ct);
    EXPECT_EQ(kobj_refs(&f.k), 1);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}

TEST(cap_init_clamps)
{
    struct cap_table ct;

    cap_table_init(&ct, slots, CAP_SLOTS_MAX + 100, UINT32_MAX);
    EXPECT_EQ(ct.capacity, CAP_SLOTS_MAX);
    EXPECT_EQ(ct.quota, CAP_SLOTS_MAX);
    cap_table_init(&ct, slots, 8, 100);
    EXPECT_EQ(ct.quota, 8);
    cap_table_set_quota(&ct, 1000);
    EXPECT_EQ(ct.quota, 8);
    cap_table_init(&ct, NULL, 8, 8);
    EXPECT_EQ(ct.capacity, 0);
    cap_id_t id;
    struct fake_obj f;
    fake_init(&f);
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, 0, 0, &id), ERR_QUOTA);
    kobj_put(&f.k);
}

TEST(cap_insert_and_lookup)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct cap_entry *e = NULL;
    struct fake_obj f;
    cap_id_t id;

    fake_init(&f);
    tinit(&ct, 16, 16);
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, CAP_HOLD_RESULT, 0, &id), ERR_OK);
    EXPECT_EQ(kobj_refs(&f.k), 2);
    EXPECT_EQ(cap_table_used(&ct), 1);
    ASSERT_EQ(cap_lookup(&ct, id, IFACE_A, &e), ERR_OK);
    EXPECT_TRUE(e->obj == &f.k);
    EXPECT_EQ(e->iface, IFACE_A);
    EXPECT_EQ(e->hold, CAP_HOLD_RESULT);
    EXPECT_EQ(e->flags, 0);
    EXPECT_EQ(e->badge, 0);
    EXPECT_EQ(look(&ct, id, 0), ERR_OK);
    EXPECT_EQ(look(&ct, id, IFACE_B), ERR_WRONGTYPE);
    EXPECT_EQ(cap_release(&ct, id), ERR_OK);
    EXPECT_EQ(kobj_refs(&f.k), 1);
    EXPECT_EQ(cap_table_used(&ct), 0);
    kobj_put(&f.k);
    EXPECT_EQ(f.destroyed, 1);
    EXPECT_NO_LEAK(b);
}

TEST(cap_insert_errors_take_no_reference)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct fake_obj f;
    cap_id_t id = 0xdead;

    fake_init(&f);
    tinit(&ct, 4, 4);
    EXPECT_EQ(cap_insert(&ct, NULL, IFACE_A, 0, 0, &id), ERR_INVAL);
    EXPECT_EQ(cap_insert(&ct, &f.k, 0, 0, 0, &id), ERR_INVAL);
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, CAP_HOLD__COUNT, 0, &id),
              ERR_INVAL);
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, 0, 0x02, &id), ERR_INVAL);
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, 0, 0x80, &id), ERR_INVAL);
    kobj_kill(&f.k);
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, 0, 0, &id), ERR_REVOKED);
    EXPECT_EQ(id, 0xdead);
    EXPECT_EQ(kobj_refs(&f.k), 1);
    EXPECT_EQ(cap_table_used(&ct), 0);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}

TEST(cap_lookup_every_error)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct cap_grant g;
    struct fake_obj f;
    cap_id_t live, moving, freed, pend;

    fake_init(&f);
    tinit(&ct, 8, 8);
    live = ins(t, &ct, &f.k);
    moving = ins(t, &ct, &f.k);
    freed = ins(t, &ct, &f.k);
    EXPECT_EQ(cap_release(&ct, freed), ERR_OK);
    EXPECT_EQ(cap_insert_reserve(&ct, 1, &pend), ERR_OK);
    EXPECT_EQ(cap_move_reserve(&ct, moving, &g), ERR_OK);

    EXPECT_EQ(look(&ct, live, IFACE_A), ERR_OK);
    EXPECT_EQ(look(&ct, 8u | 1u << CAP_INDEX_BITS, 0), ERR_BADCAP);
    EXPECT_EQ(look(&ct, 0xfffu | 1u << CAP_INDEX_BITS, 0), ERR_BADCAP);
    EXPECT_EQ(look(&ct, live + (1u << CAP_INDEX_BITS), 0), ERR_BADCAP);
    EXPECT_EQ(look(&ct, cap_id_index(live), 0), ERR_BADCAP);
    EXPECT_EQ(look(&ct, freed, 0), ERR_BADCAP);           /* stale */
    EXPECT_EQ(look(&ct, freed + (1u << CAP_INDEX_BITS), 0), ERR_BADCAP);
    EXPECT_EQ(look(&ct, pend, 0), ERR_BADCAP);            /* not yet */
    EXPECT_EQ(look(&ct, moving, 0), ERR_BUSY);
    EXPECT_EQ(look(&ct, live, IFACE_B), ERR_WRONGTYPE);
    kobj_revoke(&f.k);
    EXPECT_EQ(look(&ct, live, IFACE_A), ERR_REVOKED);
    EXPECT_EQ(look(&ct, live, IFACE_B), ERR_REVOKED);     /* revoke first */
    EXPECT_EQ(look(&ct, moving, 0), ERR_BUSY);            /* busy first */

    cap_move_abort(&ct, moving);
    cap_grant_drop(&g);
    cap_insert_abort(&ct, pend);
    cap_table_release_all(&ct);
    EXPECT_EQ(ct.faults, 0);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}

TEST(cap_release_errors)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct cap_grant g;
    struct fake_obj f;
    cap_id_t a, m, p;

    fake_init(&f);
    tinit(&ct, 4, 4);
    a = ins(t, &ct, &f.k);
    m = ins(t, &ct, &f.k);
    EXPECT_EQ(cap_release(&ct, 0), ERR_BADCAP);
    EXPECT_EQ(cap_release(&ct, UINT32_MAX), ERR_BADCAP);
    EXPECT_EQ(cap_release(&ct, a ^ (1u << CAP_INDEX_BITS)), ERR_BADCAP);
    EXPECT_EQ(cap_move_reserve(&ct, m, &g), ERR_OK);
    EXPECT_EQ(cap_release(&ct, m), ERR_BUSY);
    EXPECT_EQ(cap_insert_reserve(&ct, 1, &p), ERR_OK);
    EXPECT_EQ(cap_release(&ct, p), ERR_BADCAP);
    kobj_revoke(&f.k);
    EXPECT_EQ(cap_release(&ct, a), ERR_OK);   /* revoked caps release */
    EXPECT_EQ(cap_release(&ct, a), ERR_BADCAP);
    cap_move_abort(&ct, m);
    cap_grant_drop(&g);
    EXPECT_EQ(cap_release(&ct, m), ERR_OK);
    cap_insert_abort(&ct, p);
    EXPECT_EQ(cap_table_used(&ct), 0);
    EXPECT_EQ(kobj_refs(&f.k), 1);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}

TEST(cap_quota_exact)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct fake_obj f;
    cap_id_t ids[8], r[4], x;

    fake_init(&f);
    tinit(&ct, 8, 5);
    for (int i = 0; i < 5; i++)
        ids[i] = ins(t, &ct, &f.k);
    EXPECT_EQ(cap_table_used(&ct), 5);
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, 0, 0, &x), ERR_QUOTA);
    EXPECT_EQ(cap_insert_reserve(&ct, 1, r), ERR_QUOTA);
    EXPECT_EQ(kobj_refs(&f.k), 6);
    EXPECT_EQ(cap_release(&ct, ids[0]), ERR_OK);
    EXPECT_EQ(cap_insert_reserve(&ct, 2, r), ERR_QUOTA);
    EXPECT_EQ(cap_table_used(&ct), 4);
    EXPECT_EQ(cap_insert_reserve(&ct, 1, r), ERR_OK);   /* pending counts */
    EXPECT_EQ(cap_table_used(&ct), 5);
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, 0, 0, &x), ERR_QUOTA);
    cap_insert_abort(&ct, r[0]);
    ids[0] = ins(t, &ct, &f.k);
    cap_table_set_quota(&ct, 3);                        /* below used */
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, 0, 0, &x), ERR_QUOTA);
    EXPECT_EQ(cap_insert_reserve(&ct, 1, r), ERR_QUOTA);
    EXPECT_EQ(look(&ct, ids[4], 0), ERR_OK);            /* still usable */
    cap_table_set_quota(&ct, 8);
    for (int i = 5; i < 8; i++)
        ids[i] = ins(t, &ct, &f.k);
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, 0, 0, &x), ERR_QUOTA);
    EXPECT_EQ(cap_table_used(&ct), 8);
    cap_table_release_all(&ct);
    EXPECT_EQ(cap_table_used(&ct), 0);
    EXPECT_EQ(kobj_refs(&f.k), 1);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}

TEST(cap_stale_id_after_reuse)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct fake_obj f, g;
    cap_id_t old, cur;
    struct cap_entry *e;

    fake_init(&f);
    fake_init(&g);
    tinit(&ct, 1, 1);
    old = ins(t, &ct, &f.k);
    EXPECT_EQ(cap_release(&ct, old), ERR_OK);
    cur = ins(t, &ct, &g.k);
    EXPECT_EQ(cap_id_index(old), cap_id_index(cur));
    EXPECT_EQ(cap_id_gen(cur), cap_id_gen(old) + 1);
    EXPECT_EQ(look(&ct, old, 0), ERR_BADCAP);
    EXPECT_EQ(cap_release(&ct, old), ERR_BADCAP);       /* no double free */
    struct cap_grant gr;
    EXPECT_EQ(cap_copy_prepare(&ct, old, &gr), ERR_BADCAP);
    EXPECT_EQ(cap_move_reserve(&ct, old, &gr), ERR_BADCAP);
    ASSERT_EQ(cap_lookup(&ct, cur, 0, &e), ERR_OK);
    EXPECT_TRUE(e->obj == &g.k);
    EXPECT_EQ(cap_release(&ct, cur), ERR_OK);
    EXPECT_EQ(kobj_refs(&f.k), 1);
    EXPECT_EQ(kobj_refs(&g.k), 1);
    kobj_put(&f.k);
    kobj_put(&g.k);
    EXPECT_NO_LEAK(b);
}

/* The full generation range of one slot: 2^20 - 2 uses, then retired. */
TEST(cap_generation_exhaustion_retires_slot)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct fake_obj f;
    cap_id_t id, first = 0, last = 0;
    uint32_t uses = 0, prev_gen = 0;
    err_t err = ERR_OK;

    fake_init(&f);
    tinit(&ct, 1, 1);
    while (uses <= CAP_GEN_MAX &&
           (err = cap_insert(&ct, &f.k, IFACE_A, 0, 0, &id)) == ERR_OK) {
        if (cap_id_gen(id) != prev_gen + 1)
            EXPECT_EQ(cap_id_gen(id), prev_gen + 1);
        prev_gen = cap_id_gen(id);
        first = uses++ ? first : id;
        last = id;
        if (cap_release(&ct, id) != ERR_OK)
            EXPECT_EQ(cap_release(&ct, id), ERR_OK);
    }
    EXPECT_EQ(err, ERR_FULL);
    EXPECT_EQ(uses, CAP_GEN_MAX);
    EXPECT_EQ(cap_id_gen(first), 1);
    EXPECT_EQ(cap_id_gen(last), CAP_GEN_MAX);
    EXPECT_NE(last, UINT32_MAX);
    EXPECT_EQ(ct.retired, 1);
    EXPECT_EQ(ct.slots[0].state, CAP_SLOT_RETIRED);
    EXPECT_EQ(cap_table_used(&ct), 0);
    EXPECT_EQ(look(&ct, last, 0), ERR_BADCAP);
    EXPECT_EQ(look(&ct, first, 0), ERR_BADCAP);
    EXPECT_EQ(kobj_refs(&f.k), 1);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}

/* Lowered limit (test hook): retired slots shrink the table -> ERR_FULL. */
TEST(cap_retirement_with_small_generation_limit)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct fake_obj f;
    cap_id_t ids[4], r[2];
    uint32_t inserted = 0;

    fake_init(&f);
    tinit(&ct, 4, 4);
    ct.gen_max = 2;
    for (int guard = 0; guard < 100; guard++) {
        cap_id_t id;
        if (cap_insert(&ct, &f.k, IFACE_A, 0, 0, &id) != ERR_OK)
            break;
        inserted++;
        EXPECT_TRUE(cap_id_gen(id) >= 1 && cap_id_gen(id) <= 2);
        EXPECT_EQ(cap_release(&ct, id), ERR_OK);
    }
    EXPECT_EQ(inserted, 8);
    EXPECT_EQ(ct.retired, 4);
    EXPECT_EQ(cap_insert_reserve(&ct, 1, r), ERR_FULL);

    tinit(&ct, 4, 4);       /* mixed: two retire, quota not reached */
    ct.gen_max = 1;
    ids[0] = ins(t, &ct, &f.k);
    ids[1] = ins(t, &ct, &f.k);
    EXPECT_EQ(cap_release(&ct, ids[0]), ERR_OK);
    EXPECT_EQ(cap_release(&ct, ids[1]), ERR_OK);
    EXPECT_EQ(ct.retired, 2);
    EXPECT_EQ(cap_insert_reserve(&ct, 3, r), ERR_FULL);
    EXPECT_EQ(cap_table_used(&ct), 0);
    EXPECT_EQ(cap_insert_reserve(&ct, 2, r), ERR_OK);
    cap_insert_abort(&ct, r[0]);            /* abort also spends the gen */
    cap_insert_abort(&ct, r[1]);
    EXPECT_EQ(ct.retired, 4);
    EXPECT_EQ(kobj_refs(&f.k), 1);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}

TEST(cap_free_list_is_fifo)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct fake_obj f;
    cap_id_t a, c;

    fake_init(&f);
    tinit(&ct, 3, 3);
    a = ins(t, &ct, &f.k);
    EXPECT_EQ(cap_release(&ct, a), ERR_OK);
    c = ins(t, &ct, &f.k);              /* slot 1, not the just-freed 0 */
    EXPECT_EQ(cap_id_index(c), 1);
    cap_table_release_all(&ct);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}

TEST(cap_revoke_by_epoch)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct fake_obj f;
    cap_id_t before, after;

    fake_init(&f);
    tinit(&ct, 4, 4);
    before = ins(t, &ct, &f.k);
    kobj_revoke(&f.k);
    after = ins(t, &ct, &f.k);
    EXPECT_EQ(look(&ct, before, IFACE_A), ERR_REVOKED);
    EXPECT_EQ(look(&ct, after, IFACE_A), ERR_OK);
    struct cap_grant g;
    EXPECT_EQ(cap_copy_prepare(&ct, before, &g), ERR_REVOKED);
    EXPECT_EQ(cap_move_reserve(&ct, before, &g), ERR_REVOKED);
    kobj_kill(&f.k);
    EXPECT_EQ(look(&ct, after, IFACE_A), ERR_REVOKED);
    EXPECT_EQ(cap_insert(&ct, &f.k, IFACE_A, 0, 0, &after), ERR_REVOKED);
    EXPECT_EQ(kobj_refs(&f.k), 3);      /* revoked entries still hold refs */
    cap_table_release_all(&ct);
    EXPECT_EQ(kobj_refs(&f.k), 1);
    kobj_put(&f.k);
    EXPECT_EQ(f.destroyed, 1);
    EXPECT_NO_LEAK(b);
}

TEST(cap_release_all_drops_every_reference)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct fake_obj objs[5];
    struct cap_grant g;
    cap_id_t ids[40], pend[3];

    for (int i = 0; i < 5; i++)
        fake_init(&objs[i]);
    tinit(&ct, 64, 64);
    for (int i = 0; i < 40; i++)
        ids[i] = ins(t, &ct, &objs[i % 5].k);
    for (int i = 0; i < 40; i += 3)
        EXPECT_EQ(cap_release(&ct, ids[i]), ERR_OK);
    EXPECT_EQ(cap_move_reserve(&ct, ids[1], &g), ERR_OK);
    EXPECT_EQ(cap_insert_reserve(&ct, 3, pend), ERR_OK);
    kobj_revoke(&objs[2].k);
    cap_table_release_all(&ct);
    EXPECT_EQ(cap_table_used(&ct), 0);
    for (int i = 0; i < 40; i++)
        EXPECT_EQ(look(&ct, ids[i], 0), ERR_BADCAP);
    cap_grant_drop(&g);                  /* the in-flight grant's own ref */
    for (int i = 0; i < 5; i++) {
        EXPECT_EQ(kobj_refs(&objs[i].k), 1);
        kobj_put(&objs[i].k);
        EXPECT_EQ(objs[i].destroyed, 1);
    }
    /* The table is reusable after release_all. */
    struct fake_obj f;
    fake_init(&f);
    ids[0] = ins(t, &ct, &f.k);
    EXPECT_EQ(look(&ct, ids[0], 0), ERR_OK);
    cap_table_release_all(&ct);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}

TEST(cap_iteration_lists_live_and_moving)
{
    struct cap_leak b = cap_leak_begin();
    struct cap_table ct;
    struct fake_obj f;
    struct cap_grant g;
    const struct cap_entry *e;
    cap_id_t ids[6], got[6], id, pend;
    uint32_t cur = 0, n = 0;

    fake_init(&f);
    tinit(&ct, 8, 8);
    for (int i = 0; i < 6; i++)
        ids[i] = ins(t, &ct, &f.k);
    EXPECT_EQ(cap_release(&ct, ids[2]), ERR_OK);
    EXPECT_EQ(cap_move_reserve(&ct, ids[4], &g), ERR_OK);
    EXPECT_EQ(cap_insert_reserve(&ct, 1, &pend), ERR_OK);
    while (n < 6 && cap_table_next(&ct, &cur, &id, &e))
        got[n++] = id;
    EXPECT_EQ(n, 5);
    EXPECT_EQ(got[0], ids[0]);
    EXPECT_EQ(got[1], ids[1]);
    EXPECT_EQ(got[2], ids[3]);
    EXPECT_EQ(got[3], ids[4]);
    EXPECT_EQ(got[4], ids[5]);
    EXPECT_FALSE(cap_table_next(&ct, &cur, &id, &e));
    cap_move_abort(&ct, ids[4]);
    cap_grant_drop(&g);
    cap_insert_abort(&ct, pend);
    cap_table_release_all(&ct);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}
