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
