/*
 * cap_test.h - helpers shared by the host tests of kobj, the capability
 * table and the ring core: a deterministic PRNG, a fake kernel object type
 * that counts destroys, and a live-object leak check.
 */
#pragma once

#include <common/string.h>
#include <common/test.h>
#include <kernel/cap_table.h>
#include <kernel/kobj.h>
#include <stdint.h>

#define IFACE_A UINT64_C(0xa1b2c3d4e5f60001)
#define IFACE_B UINT64_C(0xa1b2c3d4e5f60002)

/* xorshift64*: deterministic, seedable. */
struct cap_rng {
    uint64_t s;
};

static inline uint64_t cap_rng_next(struct cap_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * UINT64_C(0x2545F4914F6CDD1D);
}

/* Value in [0, n), n > 0. */
static inline uint32_t cap_rng_below(struct cap_rng *r, uint32_t n)
{
    return (uint32_t)(cap_rng_next(r) % n);
}

/* A test object: counts its destroy calls instead of freeing. */
struct fake_obj {
    struct kobj k;
    int destroyed;
};

static inline void fake_destroy(struct kobj *o)
{
    ((struct fake_obj *)o)->destroyed++;
}

static const struct kobj_ops fake_ops = {
    .name = "test", .type = KOBJ_TEST, .destroy = fake_destroy};

/* Init a fake object with the creator's reference. */
static inline void fake_init(struct fake_obj *f)
{
    f->destroyed = 0;
    kobj_init(&f->k, &fake_ops);
}

/* Leak check: live KOBJ_TEST objects and kobj faults equal a baseline. */
struct cap_leak {
    uint64_t live;
    uint64_t faults;
};

static inline struct cap_leak cap_leak_begin(void)
{
    return (struct cap_leak){kobj_live(KOBJ_TEST), kobj_faults()};
}

#define EXPECT_NO_LEAK(b)                                                   \
    do {                                                                    \
        EXPECT_EQ(kobj_live(KOBJ_TEST), (b).live);                          \
        EXPECT_EQ(kobj_faults(), (b).faults);                               \
    } while (0)
