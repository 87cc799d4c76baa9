/*
 * test_cap_churn.c - 10^5 random capability-table operations (insert,
 * release, lookup of live, stale and garbage ids, move reserve/abort/
 * commit, revoke) checked step by step against a shadow model: no stale id
 * ever resolves, no (slot, generation) pair is issued twice, used and
 * reference counts match exactly.  Run once with the real generation limit
 * and once with a low one so slots retire and ERR_FULL appears.
 */
#include "cap_test.h"

static struct cap_entry slots[CAP_SLOTS_MAX];

/* Lookup error only. */
static err_t look(struct cap_table *ct, cap_id_t id, uint64_t iface)
{
    struct cap_entry *e;

    return cap_lookup(ct, id, iface, &e);
}

#define CH_SLOTS 64u
#define CH_OBJS 4
#define CH_STALE 1024u

struct churn {
    struct cap_table ct;
    struct fake_obj objs[CH_OBJS];
    cap_id_t live[CH_SLOTS];        /* model: ids believed live */
    uint32_t live_obj[CH_SLOTS];    /* model: object of each live id */
    uint32_t live_epoch[CH_SLOTS];  /* model: object epoch at insert */
    uint8_t live_xfer[CH_SLOTS];    /* model: inserted transferable */
    uint32_t nlive;
    uint32_t last_gen[CH_SLOTS];    /* model: highest gen issued per slot */
    cap_id_t stale[CH_STALE];       /* recently released ids */
    uint32_t nstale;
    uint32_t model_refs[CH_OBJS];
    uint32_t retired_seen;
};

static struct churn ch;

/* Model-side lookup result for a live-list position. */
static err_t model_expect(uint32_t pos)
{
    struct kobj *o = &ch.objs[ch.live_obj[pos]].k;

    return kobj_epoch(o) == ch.live_epoch[pos] ? ERR_OK : ERR_REVOKED;
}

static void churn_insert(struct test_ctx *t, struct cap_rng *r)
{
    uint32_t oi = cap_rng_below(r, CH_OBJS);
    uint8_t fl = cap_rng_below(r, 2) ? CAP_F_TRANSFERABLE : 0;
    cap_id_t id;
    err_t err = cap_insert(&ch.ct, &ch.objs[oi].k, IFACE_A, 0, fl, &id);

    if (ch.nlive == ch.ct.quota) {
        EXPECT_EQ(err, ERR_QUOTA);
        return;
    }
    if (ch.nlive + ch.ct.retired == CH_SLOTS) {
        EXPECT_EQ(err, ERR_FULL);
        return;
    }
    ASSERT_EQ(err, ERR_OK);
    /* A (slot, generation) pair is never issued twice. */
    EXPECT_TRUE(cap_id_gen(id) > ch.last_gen[cap_id_index(id)]);
    ch.last_gen[cap_id_index(id)] = cap_id_gen(id);
    ch.live[ch.nlive] = id;
    ch.live_obj[ch.nlive] = oi;
    ch.live_epoch[ch.nlive] = kobj_epoch(&ch.objs[oi].k);
    ch.live_xfer[ch.nlive] = fl;
    ch.nlive++;
    ch.model_refs[oi]++;
}

/* Model: live position pos is gone (released or moved away). */
static void model_forget(uint32_t pos)
{
    ch.model_refs[ch.live_obj[pos]]--;
    ch.stale[ch.nstale++ % CH_STALE] = ch.live[pos];
    ch.nlive--;
    ch.live[pos] = ch.live[ch.nlive];
    ch.live_obj[pos] = ch.live_obj[ch.nlive];
    ch.live_epoch[pos] = ch.live_epoch[ch.nlive];
    ch.live_xfer[pos] = ch.live_xfer[ch.nlive];
}

static void churn_release(struct test_ctx *t, struct cap_rng *r)
{
    uint32_t pos;

    if (ch.nlive == 0)
        return;
    pos = cap_rng_below(r, ch.nlive);
    EXPECT_EQ(cap_release(&ch.ct, ch.live[pos]), ERR_OK);
    model_forget(pos);
}

static void churn_probe(struct test_ctx *t, struct cap_rng *r)
{
    uint32_t n = ch.nstale < CH_STALE ? ch.nstale : CH_STALE;
    cap_id_t id;

    if (ch.nlive) {
        uint32_t pos = cap_rng_below(r, ch.nlive);
        EXPECT_EQ(look(&ch.ct, ch.live[pos], IFACE_A), model_expect(pos));
    }
    if (n) {                       /* a stale id never resolves */
        id = ch.stale[cap_rng_below(r, n)];
        EXPECT_EQ(look(&ch.ct, id, 0), ERR_BADCAP);
        EXPECT_EQ(cap_release(&ch.ct, id), ERR_BADCAP);
    }
    id = (cap_id_t)cap_rng_next(r);  /* garbage: resolves iff model-live */
    err_t want = ERR_BADCAP;
    for (uint32_t i = 0; i < ch.nlive; i++)
        if (ch.live[i] == id)
            want = model_expect(i);
    EXPECT_EQ(look(&ch.ct, id, 0), want);
}

static void churn_move(struct test_ctx *t, struct cap_rng *r)
{
    struct cap_grant g;
    uint32_t pos;

    if (ch.nlive == 0)
        return;
    pos = cap_rng_below(r, ch.nlive);
    err_t want = model_expect(pos);
    if (want == ERR_OK && !ch.live_xfer[pos])
        want = ERR_PERM;
    err_t err = cap_move_reserve(&ch.ct, ch.live[pos], &g);
    ASSERT_EQ(err, want);
    if (err)
        return;
    EXPECT_EQ(look(&ch.ct, ch.live[pos], 0), ERR_BUSY);
    cap_grant_drop(&g);             /* the receiver side is not modelled */
    if (cap_rng_below(r, 2)) {
        cap_move_abort(&ch.ct, ch.live[pos]);
        return;
    }
    cap_move_commit(&ch.ct, ch.live[pos]);
    model_forget(pos);
}

static void churn_run(struct test_ctx *t, uint64_t seed, uint32_t gen_max,
                      uint32_t ops)
{
    struct cap_rng r = {seed};

    memset(&ch, 0, sizeof(ch));
    for (int i = 0; i < CH_OBJS; i++)
        fake_init(&ch.objs[i]);
    cap_table_init(&ch.ct, slots, CH_SLOTS, 48);
    ch.ct.gen_max = gen_max;
    for (uint32_t i = 0; i < ops && !t->failures; i++) {
        uint32_t op = cap_rng_below(&r, 100);
        if (op < 40)
            churn_insert(t, &r);
        else if (op < 75)
            churn_release(t, &r);
        else if (op < 92)
            churn_probe(t, &r);
        else if (op < 99)
            churn_move(t, &r);
        else
            kobj_revoke(&ch.objs[cap_rng_below(&r, CH_OBJS)].k);
        EXPECT_EQ(cap_table_used(&ch.ct), ch.nlive);
    }
    for (int i = 0; i < CH_OBJS; i++)
        EXPECT_EQ(kobj_refs(&ch.objs[i].k), 1 + ch.model_refs[i]);
    EXPECT_EQ(ch.ct.faults, 0);
    ch.retired_seen = ch.ct.retired;
    cap_table_release_all(&ch.ct);
    for (int i = 0; i < CH_OBJS; i++) {
        EXPECT_EQ(kobj_refs(&ch.objs[i].k), 1);
        kobj_put(&ch.objs[i].k);
    }
}

TEST(cap_churn_shadow_model)
{
    struct cap_leak b = cap_leak_begin();

    churn_run(t, 0x9e3779b97f4a7c15ull, CAP_GEN_MAX, 100000);
    EXPECT_EQ(ch.retired_seen, 0);
    EXPECT_NO_LEAK(b);
}

TEST(cap_churn_shadow_model_with_retirement)
{
    struct cap_leak b = cap_leak_begin();

    churn_run(t, 12345, 400, 100000);
    EXPECT_TRUE(ch.retired_seen > 0);    /* the FULL path was exercised */
    EXPECT_NO_LEAK(b);
}
