/* SPDX-License-Identifier: MIT */
/*
 * packed.c - the packed encoding (Cap'n Proto's standard compression for
 * streams and files), both ways.
 *
 * Each word becomes a tag byte (bit i set: byte i is non-zero) followed by
 * its non-zero bytes.  Tag 0x00 is followed by a count of further zero
 * words (0-255); tag 0xFF by its 8 bytes and a count of further words
 * copied raw (0-255).  The packer chooses runs as the reference does (a
 * raw run continues while a word has at most one zero byte), and, as the
 * reference, packs the segment table and each segment separately, so its
 * output is byte-identical to `capnp convert binary:packed`.
 *
 * The unpacker is for hostile input: every byte it reads is checked
 * against the input length (a word, count or raw run cut short is
 * PACKED_TRUNCATED), and it never writes past the caller's output
 * capacity (BUFFER_TOO_SMALL).  A zero run expands 2 input bytes into up
 * to 2 KiB, so the output capacity, not the input length, bounds the work
 * and memory a packed message can cost; choose it as the largest message
 * you accept.  Nothing is written to *out_words on error.
 */
#include <capnp/capnp.h>

#include "wire.h"

/* Words of one piece to pack: an array, or the builder's segment table. */
struct piece {
    const uint64_t *w;             /* NULL: table of b */
    const struct capnp_builder *b;
    size_t n;
};

/* Output cursor. */
struct pout {
    uint8_t *p;
    size_t len, cap;
};

static uint64_t piece_word(const struct piece *pc, size_t i)
{
    uint32_t v[2];
    uint32_t n;

    if (pc->w)
        return pc->w[i];
    /* table word i: u32 slots 2i and 2i+1 (slot 0 = count-1, then sizes) */
    n = pc->b->nsegs;
    while (n > 1 && bseg(pc->b, n - 1)->used == 0)
        n--;
    for (uint32_t k = 0; k < 2; k++) {
        size_t slot = 2 * i + k;
        v[k] = slot == 0  ? n - 1
               : slot <= n ? bseg(pc->b, slot - 1)->used
                           : 0;
    }
    return (uint64_t)v[0] | ((uint64_t)v[1] << 32);
}

static unsigned zero_bytes(uint64_t w)
{
    unsigned z = 0;

    for (unsigned i = 0; i < 8; i++)
        z += ((w >> (8 * i)) & 0xff) == 0;
    return z;
}

static bool put(struct pout *o, uint8_t c)
{
    if (o->len >= o->cap)
        return false;
    o->p[o->len++] = c;
    return true;
}

/* Pack one piece; false if out is full. */
static bool pack_piece(const struct piece *pc, struct pout *o)
{
    size_t i = 0;

    while (i < pc->n) {
        uint64_t w = piece_word(pc, i++);
        size_t tpos = o->len;
        uint8_t tag = 0, count = 0;

        if (!put(o, 0))
            return false;
        for (unsigned b = 0; b < 8; b++) {
            uint8_t c = (uint8_t)(w >> (8 * b));
            if (c) {
                tag |= (uint8_t)(1u << b);
                if (!put(o, c))
                    return false;
            }
        }
        o->p[tpos] = tag;
        if (tag == 0) {
            while (i < pc->n && count < 255 && piece_word(pc, i) == 0) {
                count++;
                i++;
            }
            if (!put(o, count))
                return false;
        } else if (tag == 0xff) {
            size_t start = i;
            while (i < pc->n && count < 255 &&
                   zero_bytes(piece_word(pc, i)) < 2) {
                count++;
                i++;
            }
            if (!put(o, count) || (size_t)count * 8 > o->cap - o->len)
                return false;
            for (size_t k = start; k < i; k++) {
                uint64_t x = piece_word(pc, k);
                __builtin_memcpy(o->p + o->len, &x, 8);
                o->len += 8;
            }
        }
    }
    return true;
}

/* Worst-case packed size of n words (tag + 8 bytes + a count each). */
size_t capnp_packed_bound(size_t nwords)
{
    return nwords * 10;
}

/* Pack words[nwords] into out[len]; see capnp.h. */
enum capnp_err capnp_pack(const uint64_t *words, size_t nwords, void *out,
                          size_t len, size_t *written)
{
    struct piece pc = {words, NULL, nwords};
    struct pout o = {out, 0, len};

    if (written)
        *written = 0;
    if (!pack_piece(&pc, &o))
        return CAPNP_E_BUFFER_TOO_SMALL;
    if (written)
        *written = o.len;
    return CAPNP_OK;
}

/* Standard framing, packed; see capnp.h. */
enum capnp_err capnp_builder_serialize_packed(const struct capnp_builder *b,
                                              void *out, size_t len,
                                              size_t *written)
{
    uint32_t n = b->nsegs;
    struct piece pc = {NULL, b, n / 2 + 1};
    struct pout o = {out, 0, len};

    if (written)
        *written = 0;
    while (n > 1 && bseg(b, n - 1)->used == 0)
        n--;
    pc.n = n / 2 + 1;
    if (!pack_piece(&pc, &o))
        return CAPNP_E_BUFFER_TOO_SMALL;
    for (uint32_t i = 0; i < n; i++) {
        struct piece sp = {bseg(b, i)->words, NULL, bseg(b, i)->used};
        if (!pack_piece(&sp, &o))
            return CAPNP_E_BUFFER_TOO_SMALL;
    }
    if (written)
        *written = o.len;
    return CAPNP_OK;
}

/* Unpack hostile input; see capnp.h and the file comment. */
enum capnp_err capnp_unpack(const void *in, size_t len, uint64_t *out,
                            size_t out_words, size_t *nwords)
{
    const uint8_t *p = in;
    size_t ip = 0, op = 0;

    while (ip < len) {
        uint8_t tag = p[ip++];
        uint64_t w = 0;
        size_t n;

        if (op >= out_words)
            return CAPNP_E_BUFFER_TOO_SMALL;
        for (unsigned b = 0; b < 8; b++) {
            if (!(tag & (1u << b)))
                continue;
            if (ip >= len)
                return CAPNP_E_PACKED_TRUNCATED;
            w |= (uint64_t)p[ip++] << (8 * b);
        }
        out[op++] = w;
        if (tag != 0 && tag != 0xff)
            continue;
        if (ip >= len)
            return CAPNP_E_PACKED_TRUNCATED;
        n = p[ip++];
        if (tag == 0xff && n * 8 > len - ip)
            return CAPNP_E_PACKED_TRUNCATED;
        if (n > out_words - op)
            return CAPNP_E_BUFFER_TOO_SMALL;
        if (tag == 0) {
            __builtin_memset(out + op, 0, n * 8);
        } else {
            __builtin_memcpy(out + op, p + ip, n * 8);
            ip += n * 8;
        }
        op += n;
    }
    *nwords = op;
    return CAPNP_OK;
}

/* Unpack a packed framed message into out and open it; see capnp.h. */
enum capnp_err capnp_msg_init_packed(struct capnp_msg *msg, const void *in,
                                     size_t len, uint64_t *out,
                                     size_t out_words,
                                     const struct capnp_read_opts *opts)
{
    size_t n = 0;
    enum capnp_err e = capnp_unpack(in, len, out, out_words, &n);

    if (e != CAPNP_OK) {
        capnp_msg_init_flat(msg, out, 0, opts);
        msg->nsegs = 0;
        msg->err = e;
        return e;
    }
    return capnp_msg_init(msg, out, n * 8, opts);
}
