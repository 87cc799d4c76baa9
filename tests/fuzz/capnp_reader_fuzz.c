/* SPDX-License-Identifier: MIT */
/*
 * capnp_reader_fuzz.c - libFuzzer target for the lib/capnp reader.
 *
 * Each input is tried as a framed message and as a flat segment.  The
 * message is walked generically (capnp_msg_validate: every pointer,
 * recursively, under the traversal and nesting limits), then through the
 * typed accessors a schema-aware reader uses (scalars, text, data, every
 * list element size) and finally deep-copied into a small builder, so that
 * the builder also meets hostile sources.  The sanitizers are the oracle;
 * the traversal limit is asserted to be respected.
 *
 * Each input is also unpacked as packed encoding into a bounded buffer
 * (truncated words and runs, runs past the end, zero-run amplification):
 * the output must stay within the capacity, a successful unpack must
 * re-pack within capnp_packed_bound and unpack to the same words, and the
 * result is read as a framed message.
 */
#include <capnp/capnp.h>

#include <stdlib.h>
#include <string.h>

static uint64_t buf[1 << 14];
static uint64_t arena[1 << 12];
static uint64_t unpacked[1 << 12], again[1 << 12];
static uint8_t repacked[(1 << 12) * 10];

/* Read every typed view of pointer i of s. */
static void poke_ptr(const struct capnp_struct *s, uint32_t i)
{
    static const enum capnp_elem elems[] = {
        CAPNP_ELEM_VOID, CAPNP_ELEM_BIT, CAPNP_ELEM_BYTE, CAPNP_ELEM_TWO,
        CAPNP_ELEM_FOUR, CAPNP_ELEM_EIGHT, CAPNP_ELEM_POINTER,
        CAPNP_ELEM_COMPOSITE};
    struct capnp_list l;
    struct capnp_struct e;
    uint32_t k;
    volatile uint64_t sink = 0;

    sink += capnp_read_text(s, i, (struct capnp_text){0}).len;
    sink += capnp_read_data(s, i, (struct capnp_data){0}).len;
    sink += capnp_read_cap(s, i);
    for (k = 0; k < sizeof elems / sizeof elems[0]; k++) {
        l = capnp_read_list(s, i, elems[k], NULL);
        if (l.count) {
            sink += capnp_list_read_u64(&l, l.count - 1);
            sink += capnp_list_read_bool(&l, 0);
            e = capnp_list_struct(&l, l.count - 1);
            sink += capnp_read_u64(&e, 0, 0);
        }
    }
    e = capnp_read_struct(s, i, NULL);
    sink += capnp_read_u32(&e, 1, 7) + capnp_read_bool(&e, 9, true);
    (void)sink;
}

/* Exercise one parsed message. */
static void exercise(struct capnp_msg *m)
{
    struct capnp_builder b;
    struct capnp_ptr root;
    struct capnp_ptr_builder dst;
    struct capnp_struct s;
    uint64_t budget = m->traversal_left;
    uint32_t i;

    capnp_msg_validate(m);
    if (m->traversal_left > budget)
        abort();
    m->err = CAPNP_OK;
    s = capnp_msg_root(m);
    for (i = 0; i < s.nptrs && i < 8; i++)
        poke_ptr(&s, i);
    m->err = CAPNP_OK;
    m->traversal_left = 1 << 16;
    capnp_builder_init(&b, arena, sizeof arena / 8);
    root = capnp_msg_root_ptr(m);
    dst = capnp_builder_root_ptr(&b);
    if (root.p)
        capnp_ptr_copy(&dst, &root);
    if (capnp_builder_size(&b) > sizeof arena + 16)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as packed encoding; see the file comment. */
static void fuzz_packed(const uint8_t *data, size_t size,
                        const struct capnp_read_opts *o)
{
    const size_t cap = sizeof unpacked / 8;
    size_t n = cap + 1, n2 = 0, plen = 0;
    struct capnp_msg m;

    if (capnp_unpack(data, size, unpacked, cap, &n) != CAPNP_OK) {
        if (n != cap + 1)
            abort(); /* *nwords written on error */
        return;
    }
    if (n > cap)
        abort();
    if (capnp_pack(unpacked, n, repacked, capnp_packed_bound(n), &plen) !=
            CAPNP_OK ||
        plen > capnp_packed_bound(n) ||
        capnp_unpack(repacked, plen, again, cap, &n2) != CAPNP_OK ||
        n2 != n || memcmp(again, unpacked, n * 8) != 0)
        abort();
    if (capnp_msg_init(&m, unpacked, n * 8, o) == CAPNP_OK)
        exercise(&m);
}

/* libFuzzer entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct capnp_read_opts o = {.traversal_limit = 1 << 16,
                                .nesting_limit = 32, .cap_count = 4};
    struct capnp_msg m;

    if (size > sizeof buf)
        return 0;
    memcpy(buf, data, size);
    if (capnp_msg_init(&m, buf, size, &o) == CAPNP_OK)
        exercise(&m);
    if (capnp_msg_init_flat(&m, buf, size & ~(size_t)7, &o) == CAPNP_OK)
        exercise(&m);
    fuzz_packed(data, size, &o);
    return 0;
}
