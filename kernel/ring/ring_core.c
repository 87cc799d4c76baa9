/*
 * ring_core.c - kernel side of the capability ring: index arithmetic,
 * single-fetch SQE copies, completion posting and SQE validation.
 *
 * Theory of operation
 *
 * The ring page is shared with a process that may write any byte of it at
 * any time, from another CPU.  So:
 *
 *  - The kernel's indices (sq_head, cq_tail) live in struct ring_kstate in
 *    kernel memory.  The copies in the page header are outputs only; the
 *    masks and abi_version in the page are never read back.
 *  - The user's indices (sq_tail, cq_head) are read once per operation with
 *    an acquire load, then judged by the free-running u32 difference from
 *    the kernel's index: `tail - head` in 0..RING_SQ_ENTRIES is sane, any
 *    other value (far ahead, or behind, which wraps to a huge number) is
 *    corrupt.  Slots are index & (N - 1) with the constant N, so no user
 *    value ever becomes an array index.
 *  - An SQE is copied out with one volatile read of each 64-bit word, then
 *    sq_head is published with a release store (the copy completes before
 *    the process may reuse the slot).  Validation and dispatch look only at
 *    the copy: there is no second fetch to race with.
 *  - A CQE is written word by word, then cq_tail is published with a
 *    release store, so a process that acquire-loads cq_tail sees the whole
 *    entry.
 *
 * Policy: cap_enter checks ring_cq_has_space before each ring_sq_pop and
 * stops consuming when the CQ is full, so a completion is never dropped and
 * cq_overflow stays 0; it moves only if the process rewinds cq_head between
 * the check and the post (its own loss, counted).  A corrupt sq_tail
 * consumes nothing and is counted in sq_dropped; the process recovers by
 * writing a sane tail (it can read sq_head).  At most RING_DRAIN_MAX SQEs
 * are consumed per cap_enter.
 *
 * Locking: none inside; the caller holds the owning process's lock.
 */
#include <stddef.h>
#include <common/string.h>
#include <kernel/ring_core.h>

/* 64-bit word access to ring memory that aliases the ABI structs. */
typedef uint64_t __attribute__((may_alias)) ring_word_t;

#define SQE_WORDS (sizeof(struct ring_sqe) / sizeof(uint64_t))
#define CQE_WORDS (sizeof(struct ring_cqe) / sizeof(uint64_t))

_Static_assert(RING_SQ_OFFSET % 8 == 0 && RING_CQ_OFFSET % 8 == 0,
               "ring arrays are word aligned");
_Static_assert((RING_SQ_ENTRIES & (RING_SQ_ENTRIES - 1)) == 0 &&
               (RING_CQ_ENTRIES & (RING_CQ_ENTRIES - 1)) == 0,
               "ring sizes are powers of two");

/* Zero k and the page, then publish the constants. */
void ring_kstate_init(struct ring_kstate *k, void *page)
{
    struct ring_header *h = ring_hdr(page);

    memset(k, 0, sizeof(*k));
    memset(page, 0, RING_PAGE_SIZE);
    h->sq_mask = RING_SQ_ENTRIES - 1;
    h->cq_mask = RING_CQ_ENTRIES - 1;
    h->abi_version = RING_ABI_VERSION;
}

/* Copy one SQE out of shared memory, reading each word exactly once. */
static void sqe_fetch_once(struct ring_sqe *out, const void *src)
{
    const volatile ring_word_t *s = src;
    ring_word_t *d = (ring_word_t *)out;

    _Static_assert(SQE_WORDS == 8, "unrolled below");
    d[0] = s[0]; d[1] = s[1]; d[2] = s[2]; d[3] = s[3];
    d[4] = s[4]; d[5] = s[5]; d[6] = s[6]; d[7] = s[7];
}

/* Store one CQE into shared memory, a word at a time. */
static void cqe_store(volatile ring_word_t *d, const struct ring_cqe *cqe)
{
    const ring_word_t *w = (const ring_word_t *)cqe;

    _Static_assert(CQE_WORDS == 4, "unrolled below");
    d[0] = w[0]; d[1] = w[1]; d[2] = w[2]; d[3] = w[3];
}

/* The user's sq_tail, read once; *ok = false if it is insane. */
static uint32_t sq_pending(const struct ring_kstate *k, void *page, bool *ok)
{
    uint32_t tail = __atomic_load_n(&ring_hdr(page)->sq_tail,
                                    __ATOMIC_ACQUIRE);
    uint32_t n = tail - k->sq_head;

    *ok = n <= RING_SQ_ENTRIES;
    return *ok ? n : 0;
}

/* Consume the next SQE into *out; false if none or the tail is corrupt. */
bool ring_sq_pop(struct ring_kstate *k, void *page, struct ring_sqe *out)
{
    struct ring_header *h = ring_hdr(page);
    bool ok;
    uint32_t n = sq_pending(k, page, &ok);

    if (!ok) {
        k->sq_corrupt++;
        __atomic_store_n(&h->sq_dropped, k->sq_corrupt, __ATOMIC_RELAXED);
        return false;
    }
    if (n == 0)
        return false;
    sqe_fetch_once(out, &ring_sq(page)[k->sq_head & (RING_SQ_ENTRIES - 1)]);
    k->sq_head++;
    __atomic_store_n(&h->sq_head, k->sq_head, __ATOMIC_RELEASE);
    return true;
}

/* Pop up to max SQEs into out[] with one read of sq_tail and one
 * publication of sq_head; returns the count (0 also for a corrupt tail,
 * which is counted as ring_sq_pop does). */
uint32_t ring_sq_pop_many(struct ring_kstate *k, void *page,
                          struct ring_sqe *out, uint32_t max)
{
    struct ring_header *h = ring_hdr(page);
    bool ok;
    uint32_t n = sq_pending(k, page, &ok);

    if (!ok) {
        k->sq_corrupt++;
        __atomic_store_n(&h->sq_dropped, k->sq_corrupt, __ATOMIC_RELAXED);
        return 0;
    }
    if (n > max)
        n = max;
    for (uint32_t i = 0; i < n; i++)
        sqe_fetch_once(&out[i],
                       &ring_sq(page)[(k->sq_head + i) & (RING_SQ_ENTRIES - 1)]);
    k->sq_head += n;
    if (n)
        __atomic_store_n(&h->sq_head, k->sq_head, __ATOMIC_RELEASE);
    return n;
}

/* SQEs waiting, 0 for a corrupt tail. */
uint32_t ring_sq_pending(const struct ring_kstate *k, void *page)
{
    bool ok;

    return sq_pending(k, page, &ok);
}

/* Unconsumed CQEs per the user's cq_head (read once); *ok if sane. */
static uint32_t cq_used(const struct ring_kstate *k, void *page, bool *ok)
{
    uint32_t head = __atomic_load_n(&ring_hdr(page)->cq_head,
                                    __ATOMIC_ACQUIRE);
    uint32_t n = k->cq_tail - head;

    *ok = n <= RING_CQ_ENTRIES;
    return *ok ? n : RING_CQ_ENTRIES;
}

/* Room for one more CQE?  An insane cq_head counts as full. */
bool ring_cq_has_space(struct ring_kstate *k, void *page)
{
    bool ok;
    uint32_t n = cq_used(k, page, &ok);

    if (!ok)
        k->cq_bad_head++;
    return n < RING_CQ_ENTRIES;
}

/* Write one CQE and publish it; drop and count it if there is no room. */
bool ring_cq_post(struct ring_kstate *k, void *page,
                  const struct ring_cqe *cqe)
{
    struct ring_header *h = ring_hdr(page);

    if (!ring_cq_has_space(k, page)) {
        k->cq_overflow++;
        __atomic_store_n(&h->cq_overflow, k->cq_overflow, __ATOMIC_RELAXED);
        return false;
    }
    cqe_store((volatile ring_word_t *)&ring_cq(page)[k->cq_tail &
                                                     (RING_CQ_ENTRIES - 1)],
              cqe);
    k->cq_tail++;
    __atomic_store_n(&h->cq_tail, k->cq_tail, __ATOMIC_RELEASE);
    return true;
}

/* Post cqe[0..n) in order with one read of cq_head and one publication of
 * cq_tail; those that find no room are dropped and counted (as
 * ring_cq_post does).  Returns how many were posted. */
uint32_t ring_cq_post_many(struct ring_kstate *k, void *page,
                           const struct ring_cqe *cqe, uint32_t n)
{
    struct ring_header *h = ring_hdr(page);
    bool ok;
    uint32_t used = cq_used(k, page, &ok), room, i;

    if (!ok)
        k->cq_bad_head++;
    room = used < RING_CQ_ENTRIES ? RING_CQ_ENTRIES - used : 0;
    for (i = 0; i < n && i < room; i++)
        cqe_store((volatile ring_word_t *)
                      &ring_cq(page)[(k->cq_tail + i) & (RING_CQ_ENTRIES - 1)],
                  &cqe[i]);
    k->cq_tail += i;
    if (i)
        __atomic_store_n(&h->cq_tail, k->cq_tail, __ATOMIC_RELEASE);
    if (i < n) {
        k->cq_overflow += n - i;
        __atomic_store_n(&h->cq_overflow, k->cq_overflow, __ATOMIC_RELAXED);
    }
    return i;
}

/* Completions the process has not consumed (full if cq_head is insane). */
uint32_t ring_cq_available(const struct ring_kstate *k, void *page)
{
    bool ok;

    return cq_used(k, page, &ok);
}

/* ---- SQE validation ------------------------------------------------------ */

/* Field groups an opcode may set; every other group must be zero. */
enum sqe_field {
    SQF_CAP = 1u << 0,     /* cap_id */
    SQF_METHOD = 1u << 1,  /* method_id */
    SQF_CALLID = 1u << 2,  /* call_id */
    SQF_PARAMS = 1u << 3,  /* addr, len */
    SQF_RESULT = 1u << 4,  /* result_addr, result_len */
    SQF_XFER = 1u << 5,    /* xfer_count, xfer_addr */
    SQF_FLAGS = 1u << 6,   /* SQE_F_RETURN_EXCEPTION */
    SQF_RFLAGS = 1u << 7,  /* SQE_F_RECV_EVENTS */
};

/* Bit ranges of the SQE's 64-bit words (abi/ring.h offsets). */
#define W0_RSVD0  0x000000000000ff00ull
#define W0_FLAGS  0x00000000ffff0000ull
#define W0_METHOD 0x0000ffff00000000ull
#define W0_XCOUNT 0xffff000000000000ull
#define W1_CAP    0x00000000ffffffffull
#define W1_CALLID 0xffffffff00000000ull
#define W3_LEN    0x00000000ffffffffull
#define W3_RLEN   0xffffffff00000000ull
#define W_ALL     0xffffffffffffffffull
_Static_assert(offsetof(struct ring_sqe, flags) == 2 &&
               offsetof(struct ring_sqe, method_id) == 4 &&
               offsetof(struct ring_sqe, xfer_count) == 6 &&
               offsetof(struct ring_sqe, call_id) == 12 &&
               offsetof(struct ring_sqe, len) == 24 &&
               offsetof(struct ring_sqe, result_len) == 28 &&
               offsetof(struct ring_sqe, result_addr) == 32 &&
               offsetof(struct ring_sqe, user_data) == 40 &&
               offsetof(struct ring_sqe, xfer_addr) == 48 &&
               offsetof(struct ring_sqe, pipeline_dep) == 56,
               "the word masks match the SQE layout");
#define SQF_OFF(f, g, bits) ((f) & (g) ? 0 : (bits))

/* The bits of each SQE word an opcode using field groups f must leave
 * zero: reserved fields, unknown flags, groups it does not use. */
#define SQE_FORBID(f) { \
    W0_RSVD0 | SQF_OFF(f, SQF_METHOD, W0_METHOD) | \
        SQF_OFF(f, SQF_XFER, W0_XCOUNT) | \
        (W0_FLAGS & ~((uint64_t)(((f) & SQF_FLAGS ? SQE_F_RETURN_EXCEPTION : 0u) | \
                                 ((f) & SQF_RFLAGS ? SQE_F_RECV_EVENTS : 0u)) \
                      << 16)), \
    SQF_OFF(f, SQF_CAP, W1_CAP) | SQF_OFF(f, SQF_CALLID, W1_CALLID), \
    SQF_OFF(f, SQF_PARAMS, W_ALL), \
    SQF_OFF(f, SQF_PARAMS, W3_LEN) | SQF_OFF(f, SQF_RESULT, W3_RLEN), \
    SQF_OFF(f, SQF_RESULT, W_ALL), \
    0, /* user_data */ \
    SQF_OFF(f, SQF_XFER, W_ALL), \
    W_ALL /* pipeline_dep, pipeline_field, rsvd1 */ }

/* Per-opcode rule: dispatched or reserved, which groups it uses, and the
 * resulting mask of bits that must be zero in each SQE word. */
struct sqe_rule {
    uint8_t known;      /* opcode value is defined by the ABI */
    uint8_t dispatched; /* 0: CAP_ERR_UNSUPPORTED_OPCODE */
    uint8_t fields;     /* enum sqe_field bits */
    uint64_t forbid[SQE_WORDS];
};
#define SQE_RULE(disp, f) { 1, disp, f, SQE_FORBID(f) }

static const struct sqe_rule sqe_rules[] = {
    [RING_OP_NOP] = SQE_RULE(1, 0),
    [RING_OP_CALL] = SQE_RULE(1, SQF_CAP | SQF_CALLID | SQF_METHOD |
                                     SQF_PARAMS | SQF_RESULT | SQF_XFER),
    [RING_OP_RECV] = SQE_RULE(1, SQF_CAP | SQF_RESULT | SQF_RFLAGS),
    [RING_OP_RETURN] = SQE_RULE(1, SQF_CAP | SQF_CALLID | SQF_PARAMS |
                                       SQF_XFER | SQF_FLAGS),
    [RING_OP_RELEASE] = SQE_RULE(1, SQF_CAP),
    [RING_OP_FINISH] = SQE_RULE(0, 0),
};
_Static_assert(sizeof(sqe_rules) / sizeof(sqe_rules[0]) == RING_OP__COUNT,
               "one rule per opcode");

/* A user buffer [addr, addr + len) is well-formed: non-null and no wrap. */
static bool buf_ok(uint64_t addr, uint64_t len)
{
    return len == 0 || (addr != 0 && addr + len > addr);
}

/* Transfer descriptors: count in range, address iff count, no wrap. */
static bool xfer_ok(const struct ring_sqe *s)
{
    if (s->xfer_count > RING_MAX_XFER)
        return false;
    if ((s->xfer_count == 0) != (s->xfer_addr == 0))
        return false;
    return buf_ok(s->xfer_addr,
                  (uint64_t)s->xfer_count * sizeof(struct ring_xfer));
}

/* Non-zero if any bit r forbids is set: one masked OR per word. */
static inline __attribute__((always_inline)) uint64_t
sqe_stray_bits(const struct ring_sqe *s,
               const struct sqe_rule *r)
{
    const ring_word_t *w = (const ring_word_t *)s;
    const uint64_t *m = r->forbid;

    _Static_assert(SQE_WORDS == 8, "unrolled below; word 5 is user_data");
    return (w[0] & m[0]) | (w[1] & m[1]) | (w[2] & m[2]) | (w[3] & m[3]) |
           (w[4] & m[4]) | (w[6] & m[6]) | (w[7] & m[7]);
}

/* Validate one SQE copy; 0 or the CAP_ERR_* of the first broken rule. */
int ring_sqe_check(const struct ring_sqe *s)
{
    const struct sqe_rule *r;

    /* Fast path for the null call: masks fold to constants here. */
    if (s->opcode == RING_OP_NOP && !sqe_stray_bits(s, &sqe_rules[RING_OP_NOP]))
        return 0;
    if (s->opcode >= RING_OP__COUNT || !sqe_rules[s->opcode].known)
        return CAP_ERR_INVALID_REQUEST;
    r = &sqe_rules[s->opcode];
    if (!r->dispatched)
        return CAP_ERR_UNSUPPORTED_OPCODE;
    if (sqe_stray_bits(s, r))
        return CAP_ERR_INVALID_REQUEST;
    if ((r->fields & SQF_XFER) && !xfer_ok(s))
        return CAP_ERR_INVALID_REQUEST;
    if ((r->fields & SQF_PARAMS) && !buf_ok(s->addr, s->len))
        return CAP_ERR_INVALID_PARAMS_BUFFER;
    if ((r->fields & SQF_RESULT) && !buf_ok(s->result_addr, s->result_len))
        return CAP_ERR_INVALID_RESULT_BUFFER;
    return 0;
}
