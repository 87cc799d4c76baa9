/*
 * test_kobj.c - kernel object base: reference counting, destroy on last
 * put, live counters per type, revocation epochs and their saturation,
 * and misuse counting.
 */
#include "cap_test.h"

static int static_destroys;

static void counting_destroy(struct kobj *o)
{
    (void)o;
    static_destroys++;
}

TEST(kobj_refcount_destroys_on_last_put)
{
    struct cap_leak b = cap_leak_begin();
    struct fake_obj f;

    fake_init(&f);
    EXPECT_EQ(kobj_refs(&f.k), 1);
    EXPECT_EQ(kobj_live(KOBJ_TEST), b.live + 1);
    kobj_get(&f.k);
    kobj_get(&f.k);
    EXPECT_EQ(kobj_refs(&f.k), 3);
    kobj_put(&f.k);
    kobj_put(&f.k);
    EXPECT_EQ(f.destroyed, 0);
    EXPECT_EQ(kobj_live(KOBJ_TEST), b.live + 1);
    kobj_put(&f.k);
    EXPECT_EQ(f.destroyed, 1);
    EXPECT_NO_LEAK(b);
}

TEST(kobj_live_counters_per_type)
{
    static const struct kobj_ops ep_ops = {"endpoint", KOBJ_ENDPOINT,
                                           counting_destroy};
    static const struct kobj_ops bad_ops = {"bad", 9999, counting_destroy};
    static const struct kobj_ops static_ops = {"console", KOBJ_CONSOLE, NULL};
    struct kobj a, b, c, d;
    uint64_t ep0 = kobj_live(KOBJ_ENDPOINT), unk0 = kobj_live(KOBJ_UNKNOWN);
    uint64_t con0 = kobj_live(KOBJ_CONSOLE), test0 = kobj_live(KOBJ_TEST);

    static_destroys = 0;
    kobj_init(&a, &ep_ops);
    kobj_init(&b, &ep_ops);
    kobj_init(&c, &bad_ops);
    kobj_init(&d, &static_ops);
    EXPECT_EQ(kobj_live(KOBJ_ENDPOINT), ep0 + 2);
    EXPECT_EQ(kobj_live(KOBJ_UNKNOWN), unk0 + 1);
    EXPECT_EQ(kobj_live(KOBJ_CONSOLE), con0 + 1);
    EXPECT_EQ(kobj_live(KOBJ_TEST), test0);
    EXPECT_EQ(kobj_live(KOBJ__COUNT), 0);
    EXPECT_EQ(kobj_live(UINT32_MAX), 0);
    kobj_put(&a);
    kobj_put(&c);
    kobj_put(&d);           /* NULL destroy: only uncounted */
    EXPECT_EQ(static_destroys, 2);
    EXPECT_EQ(kobj_live(KOBJ_ENDPOINT), ep0 + 1);
    EXPECT_EQ(kobj_live(KOBJ_UNKNOWN), unk0);
    EXPECT_EQ(kobj_live(KOBJ_CONSOLE), con0);
    kobj_put(&b);
    EXPECT_EQ(kobj_live(KOBJ_ENDPOINT), ep0);
    EXPECT_EQ(static_destroys, 3);
}

TEST(kobj_revoke_bumps_epoch_and_saturates)
{
    struct cap_leak b = cap_leak_begin();
    struct fake_obj f;

    fake_init(&f);
    EXPECT_EQ(kobj_epoch(&f.k), 0);
    kobj_revoke(&f.k);
    kobj_revoke(&f.k);
    EXPECT_EQ(kobj_epoch(&f.k), 2);
    EXPECT_FALSE(kobj_dead(&f.k));
    f.k.epoch = KOBJ_EPOCH_DEAD - 1;
    kobj_revoke(&f.k);
    EXPECT_EQ(kobj_epoch(&f.k), KOBJ_EPOCH_DEAD);
    EXPECT_TRUE(kobj_dead(&f.k));
    kobj_revoke(&f.k);      /* never wraps back to 0 */
    EXPECT_EQ(kobj_epoch(&f.k), KOBJ_EPOCH_DEAD);
    kobj_put(&f.k);
    EXPECT_NO_LEAK(b);
}

TEST(kobj_kill_is_final)
{
    struct cap_leak b = cap_leak_begin();
    struct fake_obj f;

    fake_init(&f);
    kobj_kill(&f.k);
    EXPECT_TRUE(kobj_dead(&f.k));
    kobj_revoke(&f.k);
    EXPECT_EQ(kobj_epoch(&f.k), KOBJ_EPOCH_DEAD);
    kobj_put(&f.k);
    EXPECT_EQ(f.destroyed, 1);
    EXPECT_NO_LEAK(b);
}

TEST(kobj_misuse_is_counted_not_fatal)
{
    struct fake_obj f;
    uint64_t f0 = kobj_faults(), live0 = kobj_live(KOBJ_TEST);

    fake_init(&f);
    kobj_put(&f.k);
    EXPECT_EQ(f.destroyed, 1);
    kobj_put(&f.k);         /* below zero: counted, no second destroy */
    EXPECT_EQ(f.destroyed, 1);
    EXPECT_EQ(kobj_refs(&f.k), 0);
    kobj_get(&f.k);         /* resurrection: counted, refused */
    EXPECT_EQ(kobj_refs(&f.k), 0);
    EXPECT_EQ(kobj_faults(), f0 + 2);
    EXPECT_EQ(kobj_live(KOBJ_TEST), live0);
}
