/*
 * test_kobj_reap.c - deferred destruction: kobj_put_deferred never runs a
 * destroy hook, kobj_reap runs the queued ones in order, and a hook that
 * drops the last reference of another object gets it destroyed after it
 * returns (iterative: a chain of any length uses constant stack).
 */
#include "cap_test.h"

#define CHAIN 10000

struct chain_obj {
    struct kobj k;
    struct chain_obj *next;     /* reference owned by this object */
    int order;
};

static int depth, max_depth, destroyed_in_order;
static int next_order;

static void chain_destroy(struct kobj *o)
{
    struct chain_obj *c = (struct chain_obj *)o;

    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (c->order == next_order)
        destroyed_in_order++;
    next_order++;
    if (c->next)
        kobj_put(&c->next->k);  /* queued: runs after this hook */
    depth--;
}

static const struct kobj_ops chain_ops = {
    .name = "test", .type = KOBJ_TEST, .destroy = chain_destroy};

TEST(kobj_put_deferred_waits_for_reap)
{
    struct cap_leak b = cap_leak_begin();
    struct fake_obj f, g;

    fake_init(&f);
    fake_init(&g);
    kobj_put_deferred(&f.k);
    kobj_put_deferred(&g.k);
    EXPECT_EQ(f.destroyed, 0);
    EXPECT_EQ(g.destroyed, 0);
    EXPECT_TRUE(kobj_reap_pending());
    EXPECT_EQ(kobj_live(KOBJ_TEST), b.live + 2);   /* live until destroyed */
    kobj_reap();
    EXPECT_EQ(f.destroyed, 1);
    EXPECT_EQ(g.destroyed, 1);
    EXPECT_TRUE(!kobj_reap_pending());
    kobj_reap();                                    /* empty: no-op */
    EXPECT_NO_LEAK(b);
}

TEST(kobj_put_deferred_not_last_keeps_object)
{
    struct cap_leak b = cap_leak_begin();
    struct fake_obj f;

    fake_init(&f);
    kobj_get(&f.k);
    kobj_put_deferred(&f.k);
    EXPECT_TRUE(!kobj_reap_pending());
    EXPECT_EQ(kobj_refs(&f.k), 1);
    kobj_put(&f.k);
    EXPECT_EQ(f.destroyed, 1);
    EXPECT_NO_LEAK(b);
}

TEST(kobj_nested_destroy_is_iterative_and_ordered)
{
    static struct chain_obj objs[CHAIN];
    struct cap_leak b = cap_leak_begin();

    for (int i = 0; i < CHAIN; i++) {
        kobj_init(&objs[i].k, &chain_ops);
        objs[i].order = i;
        objs[i].next = i + 1 < CHAIN ? &objs[i + 1] : NULL;
    }
    depth = max_depth = destroyed_in_order = next_order = 0;
    kobj_put(&objs[0].k);       /* each hook drops the next one's last ref */
    EXPECT_EQ(next_order, CHAIN);
    EXPECT_EQ(destroyed_in_order, CHAIN);
    EXPECT_EQ(max_depth, 1);    /* never a hook inside a hook */
    EXPECT_TRUE(!kobj_reap_pending());
    EXPECT_NO_LEAK(b);
}
