/* SPDX-License-Identifier: MIT */
/*
 * fill_all.h - build the All message described by golden.txt with the
 * generated builders (shared by gen_test.c and emit_golden.c).
 */
#pragma once

#include "gen_test.capnp.h"

/* Fill every field of `b` except the capability and AnyPointer fields. */
static inline void fill_all(gen_test_all_b b)
{
    gen_test_all_set_b(b, false);
    gen_test_all_set_i8(b, -100);
    gen_test_all_set_i16(b, 1234);
    gen_test_all_set_i32(b, -5);
    gen_test_all_set_i64(b, 1234567890123);
    gen_test_all_set_u8(b, 7);
    gen_test_all_set_u16(b, 65535);
    gen_test_all_set_u32(b, 0);
    gen_test_all_set_u64(b, 42);
    gen_test_all_set_f32(b, 0.25f);
    gen_test_all_set_f64(b, 1e10);
    gen_test_all_set_color(b, GEN_TEST_COLOR_BLUE);
    gen_test_all_set_text(b, "world", 5);
    gen_test_all_set_data(b, "\t\b", 2);
    gen_test_inner_b in = gen_test_all_init_inner(b);
    gen_test_inner_set_a(in, 1);
    gen_test_inner_set_label(in, "x", 1);
    struct capnp_list_builder ints = gen_test_all_init_ints(b, 2);
    capnp_list_write_i32(&ints, 0, 10);
    capnp_list_write_i32(&ints, 1, 20);
    struct capnp_list_builder bools = gen_test_all_init_bools(b, 3);
    capnp_list_write_bool(&bools, 0, true);
    capnp_list_write_bool(&bools, 2, true);
    struct capnp_list_builder texts = gen_test_all_init_texts(b, 2);
    struct capnp_ptr_builder p0 = capnp_list_builder_ptr(&texts, 0);
    struct capnp_ptr_builder p1 = capnp_list_builder_ptr(&texts, 1);
    capnp_ptr_set_text(&p0, "a", 1);
    capnp_ptr_set_text(&p1, "bc", 2);
    gen_test_inner_blist inners = gen_test_all_init_inners(b, 2);
    gen_test_inner_set_a(gen_test_inner_blist_at(inners, 0), 3);
    gen_test_inner_set_label(gen_test_inner_blist_at(inners, 0), "l3", 2);
    gen_test_inner_set_a(gen_test_inner_blist_at(inners, 1), 4);
    struct capnp_list_builder colors = gen_test_all_init_colors(b, 2);
    capnp_list_write_u16(&colors, 0, GEN_TEST_COLOR_RED);
    capnp_list_write_u16(&colors, 1, GEN_TEST_COLOR_BLUE);
    struct capnp_list_builder nested = gen_test_all_init_nested(b, 2);
    struct capnp_ptr_builder n0 = capnp_list_builder_ptr(&nested, 0);
    struct capnp_ptr_builder n1 = capnp_list_builder_ptr(&nested, 1);
    struct capnp_list_builder l0 = capnp_ptr_init_list(&n0, CAPNP_ELEM_BYTE, 2);
    struct capnp_list_builder l1 = capnp_ptr_init_list(&n1, CAPNP_ELEM_BYTE, 1);
    capnp_list_write_u8(&l0, 0, 1);
    capnp_list_write_u8(&l0, 1, 2);
    capnp_list_write_u8(&l1, 0, 3);
    gen_test_all_init_voids(b, 3);
    struct capnp_list_builder floats = gen_test_all_init_floats(b, 1);
    capnp_list_write_f64_bits(&floats, 0, capnp_f64_bits(0.5));
    gen_test_box_b box = gen_test_all_init_boxed(b);
    struct capnp_ptr_builder bv = gen_test_box_slot_value(box);
    capnp_ptr_set_text(&bv, "boxed", 5);
    gen_test_box_set_count(box, 2);
    struct capnp_list_builder datas = gen_test_all_init_datas(b, 1);
    struct capnp_ptr_builder d0 = capnp_list_builder_ptr(&datas, 0);
    capnp_ptr_set_data(&d0, "\x01", 1);
    gen_test_all_set_plain(b, 77);
    gen_test_all_grp_b grp = gen_test_all_init_grp(b);
    gen_test_all_grp_set_x(grp, -30);
    gen_test_all_grp_set_y(grp, true);
    gen_test_all_pair_b pair = gen_test_all_init_pair(b);
    gen_test_all_pair_set_left(pair, 1);
    gen_test_all_pair_set_right(pair, "r", 1);
    gen_test_all_choice_b ch = gen_test_all_init_choice(b);
    struct capnp_list_builder third = gen_test_all_choice_init_third(ch, 3);
    capnp_list_write_u16(&third, 0, 1);
    capnp_list_write_u16(&third, 1, 2);
    capnp_list_write_u16(&third, 2, 3);
    gen_test_all_deep_b deep = gen_test_all_init_deep(b);
    gen_test_all_deep_set_depth(deep, 4);
    gen_test_all_deep_set_kind(deep, GEN_TEST_ALL_DEEP_KIND_PLAIN);
}
