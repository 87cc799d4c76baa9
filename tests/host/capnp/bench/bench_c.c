/* SPDX-License-Identifier: MIT */
/*
 * bench_c.c - the C runtime's side of the capnp benchmark: build+serialize
 * and parse+read of the three messages of bench.capnp, with hand-written
 * accessors at the offsets `capnp compile -ocapnp` reports.  No heap.
 */
#include "bench.h"

#include <capnp/capnp.h>

static uint64_t arena[1 << 15];

/* Build a Call into the arena and frame it into out; returns bytes. */
size_t c_call_build(void *out, size_t len, uint32_t i)
{
    struct capnp_builder b;
    struct capnp_struct_builder r;
    size_t n = 0;

    capnp_builder_init(&b, arena, 1 << 15);
    r = capnp_builder_init_root(&b, 2, 1);
    capnp_write_u32(&r, 0, 17 + i, 0);
    capnp_write_u16(&r, 2, 3, 0);
    capnp_write_u16(&r, 3, 1, 0);
    capnp_write_u64(&r, 1, 1000000 + i, 0);
    capnp_set_text(&r, 0, BENCH_CALL_NAME, sizeof BENCH_CALL_NAME - 1);
    capnp_builder_serialize(&b, out, len, &n);
    return n;
}

/* Parse a Call and fold every field into a checksum. */
uint64_t c_call_read(const void *buf, size_t len)
{
    struct capnp_msg m;
    struct capnp_struct s;
    struct capnp_text t;

    capnp_msg_init(&m, buf, len, NULL);
    s = capnp_msg_root(&m);
    t = capnp_read_text(&s, 0, (struct capnp_text){0});
    return capnp_read_u32(&s, 0, 0) + capnp_read_u16(&s, 2, 0) +
           capnp_read_u16(&s, 3, 0) + capnp_read_u64(&s, 1, 0) + t.len +
           (uint8_t)t.str[0] + (uint64_t)m.err;
}

/* Build a PointList of BENCH_POINTS points. */
size_t c_points_build(void *out, size_t len, uint32_t seed)
{
    struct capnp_builder b;
    struct capnp_struct_builder r, p;
    struct capnp_list_builder l;
    size_t n = 0;
    uint32_t i;

    capnp_builder_init(&b, arena, 1 << 15);
    r = capnp_builder_init_root(&b, 0, 1);
    l = capnp_init_struct_list(&r, 0, BENCH_POINTS, 2, 0);
    for (i = 0; i < BENCH_POINTS; i++) {
        p = capnp_list_builder_struct(&l, i);
        capnp_write_i32(&p, 0, (int32_t)(i + seed), 0);
        capnp_write_i32(&p, 1, -(int32_t)i, 0);
        capnp_write_u64(&p, 1, (uint64_t)i * 7, 0);
    }
    capnp_builder_serialize(&b, out, len, &n);
    return n;
}

/* Parse a PointList and sum every field. */
uint64_t c_points_read(const void *buf, size_t len)
{
    struct capnp_msg m;
    struct capnp_struct s, p;
    struct capnp_list l;
    uint64_t sum = 0;
    uint32_t i;

    capnp_msg_init(&m, buf, len, NULL);
    s = capnp_msg_root(&m);
    l = capnp_read_list(&s, 0, CAPNP_ELEM_COMPOSITE, NULL);
    for (i = 0; i < l.count; i++) {
        p = capnp_list_struct(&l, i);
        sum += (uint64_t)(capnp_read_i32(&p, 0, 0) + capnp_read_i32(&p, 1, 0)) +
               capnp_read_u64(&p, 1, 0);
    }
    return sum + (uint64_t)m.err;
}

/* Set text field i from a NUL-terminated string. */
static void text(const struct capnp_struct_builder *sb, uint32_t i,
                 const char *s)
{
    capnp_set_text(sb, i, s, (uint32_t)__builtin_strlen(s));
}

/* Build a Manifest of BENCH_SERVICES services x BENCH_CAPS grants. */
size_t c_manifest_build(void *out, size_t len, uint32_t seed)
{
    struct capnp_builder b;
    struct capnp_struct_builder r, sv, g;
    struct capnp_list_builder svs, gs;
    size_t n = 0;
    uint32_t i, j;

    capnp_builder_init(&b, arena, 1 << 15);
    r = capnp_builder_init_root(&b, 1, 2);
    text(&r, 0, "capos-system");
    capnp_write_u32(&r, 0, seed, 0);
    svs = capnp_init_struct_list(&r, 1, BENCH_SERVICES, 1, 3);
    for (i = 0; i < BENCH_SERVICES; i++) {
        sv = capnp_list_builder_struct(&svs, i);
        text(&sv, 0, bench_service_names[i]);
        text(&sv, 1, bench_binaries[i]);
        capnp_write_u8(&sv, 0, (uint8_t)i, 0);
        gs = capnp_init_struct_list(&sv, 2, BENCH_CAPS, 1, 2);
        for (j = 0; j < BENCH_CAPS; j++) {
            g = capnp_list_builder_struct(&gs, j);
            text(&g, 0, bench_cap_names[j]);
            text(&g, 1, bench_service_names[(i + j) % BENCH_SERVICES]);
            capnp_write_u64(&g, 0, (uint64_t)i * 100 + j, 0);
        }
    }
    capnp_builder_serialize(&b, out, len, &n);
    return n;
}

/* Parse a Manifest and fold every field into a checksum. */
uint64_t c_manifest_read(const void *buf, size_t len)
{
    static const struct capnp_text none;
    struct capnp_msg m;
    struct capnp_struct r, sv, g;
    struct capnp_list svs, gs;
    uint64_t sum;
    uint32_t i, j;

    capnp_msg_init(&m, buf, len, NULL);
    r = capnp_msg_root(&m);
    sum = capnp_read_text(&r, 0, none).len + capnp_read_u32(&r, 0, 0);
    svs = capnp_read_list(&r, 1, CAPNP_ELEM_COMPOSITE, NULL);
    for (i = 0; i < svs.count; i++) {
        sv = capnp_list_struct(&svs, i);
        sum += capnp_read_text(&sv, 0, none).len +
               capnp_read_text(&sv, 1, none).len + capnp_read_u8(&sv, 0, 0);
        gs = capnp_read_list(&sv, 2, CAPNP_ELEM_COMPOSITE, NULL);
        for (j = 0; j < gs.count; j++) {
            g = capnp_list_struct(&gs, j);
            sum += capnp_read_text(&g, 0, none).len +
                   capnp_read_text(&g, 1, none).len +
                   capnp_read_u64(&g, 0, 0);
        }
    }
    return sum + (uint64_t)m.err;
}

/* ---- AllTypes (TestAllTypes-like) ---- */

enum { AT_DW = 6, AT_PW = 11 };
static const char at_data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static const char *const at_texts[3] = {"d", "de", "def"};

/* Build an AllTypes with every field set. */
size_t c_all_build(void *out, size_t len, uint32_t seed)
{
    struct capnp_builder b;
    struct capnp_struct_builder r, in;
    struct capnp_list_builder l;
    struct capnp_ptr_builder p;
    size_t n = 0;
    uint32_t i;

    capnp_builder_init(&b, arena, 1 << 15);
    r = capnp_builder_init_root(&b, AT_DW, AT_PW);
    capnp_write_bool(&r, 0, true, false);
    capnp_write_i8(&r, 1, -8, 0);
    capnp_write_i16(&r, 1, -1600, 0);
    capnp_write_i32(&r, 1, -320000 + (int32_t)seed, 0);
    capnp_write_i64(&r, 1, -6400000000ll, 0);
    capnp_write_u8(&r, 16, 200, 0);
    capnp_write_u16(&r, 9, 60000, 0);
    capnp_write_u32(&r, 5, 4000000000u, 0);
    capnp_write_u64(&r, 3, 0xfedcba9876543210ull, 0);
    capnp_write_f32_bits(&r, 8, 0x3fc00000u, 0);
    capnp_write_f64_bits(&r, 5, 0xc002000000000000ull, 0);
    capnp_set_text(&r, 0, BENCH_ALL_TEXT, sizeof BENCH_ALL_TEXT - 1);
    capnp_set_data(&r, 1, at_data, sizeof at_data);
    in = capnp_init_struct(&r, 2, 1, 1);
    capnp_write_u32(&in, 0, seed, 0);
    capnp_set_text(&in, 0, "inner", 5);
    capnp_write_u16(&r, 18, 2, 0);
    l = capnp_init_list(&r, 3, CAPNP_ELEM_BIT, 5);
    for (i = 0; i < 5; i++)
        capnp_list_write_bool(&l, i, (0x0du >> i) & 1);
    l = capnp_init_list(&r, 4, CAPNP_ELEM_FOUR, 4);
    for (i = 0; i < 4; i++)
        capnp_list_write_i32(&l, i, (int32_t)(i * 1000) - 7);
    l = capnp_init_list(&r, 5, CAPNP_ELEM_EIGHT, 3);
    for (i = 0; i < 3; i++)
        capnp_list_write_u64(&l, i, (uint64_t)i << 40);
    l = capnp_init_list(&r, 6, CAPNP_ELEM_EIGHT, 2);
    capnp_list_write_f64_bits(&l, 0, 0x3fe0000000000000ull);
    capnp_list_write_f64_bits(&l, 1, 0xbfd0000000000000ull);
    l = capnp_init_list(&r, 7, CAPNP_ELEM_POINTER, 3);
    for (i = 0; i < 3; i++) {
        p = capnp_list_builder_ptr(&l, i);
        capnp_ptr_set_text(&p, at_texts[i], i + 1);
    }
    l = capnp_init_list(&r, 8, CAPNP_ELEM_POINTER, 2);
    for (i = 0; i < 2; i++) {
        p = capnp_list_builder_ptr(&l, i);
        capnp_ptr_set_data(&p, at_data, 4 + i);
    }
    l = capnp_init_struct_list(&r, 9, 3, 1, 1);
    for (i = 0; i < 3; i++) {
        in = capnp_list_builder_struct(&l, i);
        capnp_write_u32(&in, 0, i, 0);
        capnp_set_text(&in, 0, "n", 1);
    }
    l = capnp_init_list(&r, 10, CAPNP_ELEM_TWO, 3);
    for (i = 0; i < 3; i++)
        capnp_list_write_u16(&l, i, (uint16_t)(2 - i));
    capnp_builder_serialize(&b, out, len, &n);
    return n;
}

/* Sum of a text's length and first byte. */
static uint64_t tsum(struct capnp_text t)
{
    return t.len + (t.len ? (uint8_t)t.str[0] : 0);
}

/* Parse an AllTypes and fold every field into a checksum. */
uint64_t c_all_read(const void *buf, size_t len)
{
    static const struct capnp_text nt;
    static const struct capnp_data nd;
    struct capnp_msg m;
    struct capnp_struct r, in;
    struct capnp_list l;
    struct capnp_ptr p;
    uint64_t sum;
    uint32_t i;

    capnp_msg_init(&m, buf, len, NULL);
    r = capnp_msg_root(&m);
    sum = capnp_read_bool(&r, 0, false) + (uint64_t)capnp_read_i8(&r, 1, 0) +
          (uint64_t)capnp_read_i16(&r, 1, 0) +
          (uint64_t)capnp_read_i32(&r, 1, 0) +
          (uint64_t)capnp_read_i64(&r, 1, 0) + capnp_read_u8(&r, 16, 0) +
          capnp_read_u16(&r, 9, 0) + capnp_read_u32(&r, 5, 0) +
          capnp_read_u64(&r, 3, 0) + capnp_read_f32_bits(&r, 8, 0) +
          capnp_read_f64_bits(&r, 5, 0) + capnp_read_u16(&r, 18, 0);
    sum += tsum(capnp_read_text(&r, 0, nt));
    sum += capnp_read_data(&r, 1, nd).len;
    in = capnp_read_struct(&r, 2, NULL);
    sum += capnp_read_u32(&in, 0, 0) + tsum(capnp_read_text(&in, 0, nt));
    l = capnp_read_list(&r, 3, CAPNP_ELEM_BIT, NULL);
    for (i = 0; i < l.count; i++)
        sum += capnp_list_read_bool(&l, i);
    l = capnp_read_list(&r, 4, CAPNP_ELEM_FOUR, NULL);
    for (i = 0; i < l.count; i++)
        sum += (uint64_t)capnp_list_read_i32(&l, i);
    l = capnp_read_list(&r, 5, CAPNP_ELEM_EIGHT, NULL);
    for (i = 0; i < l.count; i++)
        sum += capnp_list_read_u64(&l, i);
    l = capnp_read_list(&r, 6, CAPNP_ELEM_EIGHT, NULL);
    for (i = 0; i < l.count; i++)
        sum += capnp_list_read_f64_bits(&l, i);
    l = capnp_read_list(&r, 7, CAPNP_ELEM_POINTER, NULL);
    for (i = 0; i < l.count; i++) {
        p = capnp_list_ptr(&l, i);
        sum += tsum(capnp_ptr_read_text(&p, nt));
    }
    l = capnp_read_list(&r, 8, CAPNP_ELEM_POINTER, NULL);
    for (i = 0; i < l.count; i++) {
        p = capnp_list_ptr(&l, i);
        sum += capnp_ptr_read_data(&p, nd).len;
    }
    l = capnp_read_list(&r, 9, CAPNP_ELEM_COMPOSITE, NULL);
    for (i = 0; i < l.count; i++) {
        in = capnp_list_struct(&l, i);
        sum += capnp_read_u32(&in, 0, 0) + tsum(capnp_read_text(&in, 0, nt));
    }
    l = capnp_read_list(&r, 10, CAPNP_ELEM_TWO, NULL);
    for (i = 0; i < l.count; i++)
        sum += capnp_list_read_u16(&l, i);
    return sum + (uint64_t)m.err;
}
