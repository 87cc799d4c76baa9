/* SPDX-License-Identifier: MIT */
/*
 * gen_test.c - host tests of the code generated from gen_test.capnp and
 * schema/capos.capnp: defaults, builder/reader round trip, unions, groups,
 * capabilities, AnyPointer/generics, constants, golden decode, dispatch
 * tables and CALL SQE helpers.
 */
#include <common/test.h>
#include <string.h>

#include "capos.capnp.h"
#include "fill_all.h"

extern const unsigned char capnpc_golden_bin[];
extern const unsigned long capnpc_golden_bin_len;

static uint64_t arena[4096];
static uint8_t wire[sizeof arena + 64] __attribute__((aligned(8)));

static bool text_eq(struct capnp_text t, const char *s)
{
    return t.len == strlen(s) && memcmp(t.str, s, t.len) == 0;
}

/* Build with fill(), serialize, and parse into msg; returns the root. */
static gen_test_all_r build_and_read(struct capnp_msg *msg,
                                     void (*fill)(gen_test_all_b b),
                                     uint32_t cap_count)
{
    struct capnp_builder b;
    struct capnp_read_opts o = {.cap_count = cap_count};
    size_t n = 0;

    capnp_builder_init(&b, arena, 4096);
    fill(gen_test_all_init_root(&b));
    capnp_builder_serialize(&b, wire, sizeof wire, &n);
    capnp_msg_init(msg, wire, n, &o);
    return gen_test_all_read_root(msg);
}

static void fill_nothing(gen_test_all_b b) { (void)b; }

TEST(capnpc_defaults_of_empty_struct)
{
    struct capnp_msg m;
    gen_test_all_r r = build_and_read(&m, fill_nothing, 0);

    EXPECT_TRUE(gen_test_all_get_b(r));
    EXPECT_EQ(gen_test_all_get_i8(r), -8);
    EXPECT_EQ(gen_test_all_get_i16(r), -1600);
    EXPECT_EQ(gen_test_all_get_i32(r), -320000);
    EXPECT_EQ(gen_test_all_get_i64(r), -6400000000);
    EXPECT_EQ(gen_test_all_get_u8(r), 200);
    EXPECT_EQ(gen_test_all_get_u16(r), 60000);
    EXPECT_EQ(gen_test_all_get_u32(r), 4000000000u);
    EXPECT_EQ(gen_test_all_get_u64(r), 0xfedcba9876543210ull);
    EXPECT_TRUE(gen_test_all_get_f32(r) == 1.5f);
    EXPECT_TRUE(gen_test_all_get_f64(r) == -2.25);
    EXPECT_EQ(gen_test_all_get_color(r), GEN_TEST_COLOR_GREEN);
    EXPECT_TRUE(text_eq(gen_test_all_get_text(r), "hello"));
    EXPECT_FALSE(gen_test_all_has_text(r));
    struct capnp_data d = gen_test_all_get_data(r);
    EXPECT_TRUE(d.len == 3 && d.ptr[0] == 1 && d.ptr[2] == 3);
    gen_test_inner_r in = gen_test_all_get_inner(r);
    EXPECT_EQ(gen_test_inner_get_a(in), 99);
    EXPECT_TRUE(text_eq(gen_test_inner_get_label(in), "dflt"));
    struct capnp_list ints = gen_test_all_get_ints(r);
    EXPECT_EQ(capnp_list_len(&ints), 3);
    EXPECT_EQ(capnp_list_read_i32(&ints, 2), 3);
    EXPECT_EQ(gen_test_inner_rlist_len(gen_test_all_get_inners(r)), 0);
    EXPECT_EQ(gen_test_all_which(r), GEN_TEST_ALL_NONE);
    EXPECT_EQ(gen_test_all_get_num(r), 5);
    EXPECT_EQ(gen_test_all_grp_get_x(gen_test_all_get_grp(r)), -3);
    EXPECT_EQ(gen_test_all_deep_get_kind(gen_test_all_get_deep(r)),
              GEN_TEST_ALL_DEEP_KIND_FANCY);
    EXPECT_EQ(gen_test_all_get_plain(r), 0);
    EXPECT_EQ(gen_test_all_get_cap(r), CAPNP_CAP_NULL);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

TEST(capnpc_zeroed_view_reads_defaults)
{
    gen_test_all_r r = {{0}};

    EXPECT_EQ(gen_test_all_get_i16(r), -1600);
    EXPECT_EQ(gen_test_inner_get_a(gen_test_all_get_inner(r)), 99);
    EXPECT_TRUE(text_eq(gen_test_all_get_text(r), "hello"));
}

TEST(capnpc_roundtrip_every_field)
{
    struct capnp_msg m;
    gen_test_all_r r = build_and_read(&m, fill_all, 0);

    EXPECT_FALSE(gen_test_all_get_b(r));
    EXPECT_EQ(gen_test_all_get_i8(r), -100);
    EXPECT_EQ(gen_test_all_get_i16(r), 1234);
    EXPECT_EQ(gen_test_all_get_i32(r), -5);
    EXPECT_EQ(gen_test_all_get_i64(r), 1234567890123);
    EXPECT_EQ(gen_test_all_get_u8(r), 7);
    EXPECT_EQ(gen_test_all_get_u16(r), 65535);
    EXPECT_EQ(gen_test_all_get_u32(r), 0);
    EXPECT_EQ(gen_test_all_get_u64(r), 42);
    EXPECT_TRUE(gen_test_all_get_f32(r) == 0.25f);
    EXPECT_TRUE(gen_test_all_get_f64(r) == 1e10);
    EXPECT_EQ(gen_test_all_get_color(r), GEN_TEST_COLOR_BLUE);
    EXPECT_TRUE(text_eq(gen_test_all_get_text(r), "world"));
    EXPECT_EQ(gen_test_all_get_data(r).len, 2);
    EXPECT_EQ(gen_test_inner_get_a(gen_test_all_get_inner(r)), 1);
    struct capnp_list ints = gen_test_all_get_ints(r);
    EXPECT_EQ(capnp_list_len(&ints), 2);
    EXPECT_EQ(capnp_list_read_i32(&ints, 1), 20);
    struct capnp_list bools = gen_test_all_get_bools(r);
    EXPECT_TRUE(capnp_list_read_bool(&bools, 0) && !capnp_list_read_bool(&bools, 1));
    struct capnp_list texts = gen_test_all_get_texts(r);
    struct capnp_ptr t1 = capnp_list_ptr(&texts, 1);
    EXPECT_TRUE(text_eq(capnp_ptr_read_text(&t1, (struct capnp_text){0, 0}), "bc"));
    gen_test_inner_rlist inners = gen_test_all_get_inners(r);
    EXPECT_EQ(gen_test_inner_rlist_len(inners), 2);
    EXPECT_TRUE(text_eq(gen_test_inner_get_label(gen_test_inner_rlist_get(inners, 0)), "l3"));
    EXPECT_TRUE(text_eq(gen_test_inner_get_label(gen_test_inner_rlist_get(inners, 1)), "inner"));
    struct capnp_list colors = gen_test_all_get_colors(r);
    EXPECT_EQ(capnp_list_read_u16(&colors, 1), GEN_TEST_COLOR_BLUE);
    struct capnp_list nested = gen_test_all_get_nested(r);
    struct capnp_ptr np = capnp_list_ptr(&nested, 0);
    struct capnp_list inner_list = capnp_ptr_read_list(&np, CAPNP_ELEM_BYTE, NULL);
    EXPECT_EQ(capnp_list_read_u8(&inner_list, 1), 2);
    struct capnp_list voids = gen_test_all_get_voids(r);
    EXPECT_EQ(capnp_list_len(&voids), 3);
    struct capnp_ptr bv = gen_test_box_get_value(gen_test_all_get_boxed(r));
    EXPECT_TRUE(text_eq(capnp_ptr_read_text(&bv, (struct capnp_text){0, 0}), "boxed"));
    EXPECT_EQ(gen_test_box_get_count(gen_test_all_get_boxed(r)), 2);
    EXPECT_EQ(gen_test_all_get_plain(r), 77);
    EXPECT_EQ(gen_test_all_which(r), GEN_TEST_ALL_GRP);
    EXPECT_EQ(gen_test_all_grp_get_x(gen_test_all_get_grp(r)), -30);
    EXPECT_TRUE(gen_test_all_grp_get_y(gen_test_all_get_grp(r)));
    EXPECT_TRUE(text_eq(gen_test_all_pair_get_right(gen_test_all_get_pair(r)), "r"));
    gen_test_all_choice_r ch = gen_test_all_get_choice(r);
    EXPECT_EQ(gen_test_all_choice_which(ch), GEN_TEST_ALL_CHOICE_THIRD);
    struct capnp_list third = gen_test_all_choice_get_third(ch);
    EXPECT_EQ(capnp_list_read_u16(&third, 2), 3);
    EXPECT_EQ(gen_test_all_deep_get_depth(gen_test_all_get_deep(r)), 4);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

static void fill_str(gen_test_all_b b)
{
    gen_test_all_set_num(b, 9);
    gen_test_all_set_str(b, "s", 1);
    gen_test_all_choice_set_second(gen_test_all_init_choice(b),
                                   GEN_TEST_COLOR_RED);
}

TEST(capnpc_union_inactive_member_reads_default)
{
    struct capnp_msg m;
    gen_test_all_r r = build_and_read(&m, fill_str, 0);

    EXPECT_EQ(gen_test_all_which(r), GEN_TEST_ALL_STR);
    EXPECT_TRUE(text_eq(gen_test_all_get_str(r), "s"));
    EXPECT_EQ(gen_test_all_get_num(r), 5);            /* default, not 9 */
    EXPECT_EQ(gen_test_all_grp_get_x(gen_test_all_get_grp(r)), -3);
    EXPECT_FALSE(gen_test_all_has_sub(r));
    gen_test_all_choice_r ch = gen_test_all_get_choice(r);
    EXPECT_EQ(gen_test_all_choice_which(ch), GEN_TEST_ALL_CHOICE_SECOND);
    EXPECT_EQ(gen_test_all_choice_get_second(ch), GEN_TEST_COLOR_RED);
    EXPECT_EQ(gen_test_all_choice_get_first(ch), 0);
}

static void fill_cap(gen_test_all_b b)
{
    gen_test_all_set_cap(b, 3);
    struct capnp_ptr_builder any = gen_test_all_slot_any(b);
    capnp_ptr_set_text(&any, "anything", 8);
}

TEST(capnpc_capability_and_anypointer_fields)
{
    struct capnp_msg m, m2;
    gen_test_all_r r = build_and_read(&m, fill_cap, 4);

    EXPECT_TRUE(gen_test_all_has_cap(r));
    EXPECT_EQ(gen_test_all_get_cap(r), 3);
    struct capnp_ptr any = gen_test_all_get_any(r);
    EXPECT_EQ(capnp_ptr_kind(&any), CAPNP_PTR_LIST);
    EXPECT_TRUE(text_eq(capnp_ptr_read_text(&any, (struct capnp_text){0, 0}), "anything"));
    /* Cap index beyond the transfer list: null + error, never a bad index. */
    r = build_and_read(&m2, fill_cap, 2);
    EXPECT_EQ(gen_test_all_get_cap(r), CAPNP_CAP_NULL);
    EXPECT_EQ(capnp_msg_error(&m2), CAPNP_E_CAP_INDEX);
}

TEST(capnpc_constants)
{
    EXPECT_EQ(GEN_TEST_ANSWER, 42);
    EXPECT_EQ(GEN_TEST_BIG, UINT64_MAX);
    EXPECT_TRUE(GEN_TEST_MIN64 == INT64_MIN);
    EXPECT_TRUE(capnp_bits_f64(GEN_TEST_PI_BITS) == 3.5);
    EXPECT_TRUE(strcmp(GEN_TEST_GREETING, "hi \"there\"\n") == 0);
    struct capnp_data blob = gen_test_blob();
    EXPECT_TRUE(blob.len == 4 && blob.ptr[0] == 0xde && blob.ptr[3] == 0xef);
    EXPECT_EQ(GEN_TEST_FAVORITE, GEN_TEST_COLOR_BLUE);
    EXPECT_TRUE(GEN_TEST_FLAG);
    EXPECT_EQ(gen_test_inner_get_a(gen_test_inner_const()), 5);
    EXPECT_TRUE(text_eq(gen_test_inner_get_label(gen_test_inner_const()), "c"));
    struct capnp_list primes = gen_test_primes();
    EXPECT_EQ(capnp_list_len(&primes), 4);
    EXPECT_EQ(capnp_list_read_u32(&primes, 3), 7);
    struct capnp_list il = gen_test_inners();
    struct capnp_struct e1 = capnp_list_struct(&il, 1), e0 = capnp_list_struct(&il, 0);
    EXPECT_TRUE(text_eq(gen_test_inner_get_label((gen_test_inner_r){e1}), "two"));
    EXPECT_TRUE(text_eq(gen_test_inner_get_label((gen_test_inner_r){e0}), "inner"));
    EXPECT_TRUE(strcmp(gen_test_color_name(GEN_TEST_COLOR_GREEN), "green") == 0);
    EXPECT_TRUE(gen_test_color_name((gen_test_color_t)9) == NULL);
}

TEST(capnpc_reads_capnp_encoded_golden)
{
    static uint64_t buf[1024];
    struct capnp_msg m;

    ASSERT_TRUE(capnpc_golden_bin_len <= sizeof buf);
    memcpy(buf, capnpc_golden_bin, capnpc_golden_bin_len);
    ASSERT_EQ(capnp_msg_init(&m, buf, capnpc_golden_bin_len, NULL), CAPNP_OK);
    gen_test_all_r r = gen_test_all_read_root(&m);
    EXPECT_EQ(gen_test_all_get_i64(r), 1234567890123);
    EXPECT_EQ(gen_test_all_get_u32(r), 0);
    EXPECT_TRUE(gen_test_all_get_f64(r) == 1e10);
    EXPECT_TRUE(text_eq(gen_test_all_get_text(r), "world"));
    EXPECT_EQ(gen_test_inner_rlist_len(gen_test_all_get_inners(r)), 2);
    EXPECT_EQ(gen_test_all_which(r), GEN_TEST_ALL_GRP);
    EXPECT_EQ(gen_test_all_choice_which(gen_test_all_get_choice(r)),
              GEN_TEST_ALL_CHOICE_THIRD);
    EXPECT_EQ(gen_test_all_deep_get_kind(gen_test_all_get_deep(r)),
              GEN_TEST_ALL_DEEP_KIND_PLAIN);
    EXPECT_EQ(capnp_msg_error(&m), CAPNP_OK);
}

/* ---- dispatch and SQE helpers ---- */

static int add_calls;
static int handle_add(void *ctx, gen_test_console_add_params_r p,
                      gen_test_console_add_results_b res)
{
    add_calls += *(int *)ctx;
    gen_test_console_add_results_set_sum(
        res, gen_test_console_add_params_get_a(p) +
             gen_test_console_add_params_get_b(p));
    return 0;
}

TEST(capnpc_dispatch_table)
{
    static uint64_t pw[64], rw[64];
    const gen_test_console_server_t srv = {.add = handle_add, .default_ = NULL};
    struct capnp_builder pb, rb;
    struct capnp_msg pm, rm;
    int one = 1;

    capnp_builder_init(&pb, pw, 64);
    gen_test_console_add_params_b p = gen_test_console_add_params_init_root(&pb);
    gen_test_console_add_params_set_a(p, 2);
    gen_test_console_add_params_set_b(p, 40);
    capnp_msg_init_builder(&pm, &pb, NULL);
    capnp_builder_init(&rb, rw, 64);
    EXPECT_EQ(gen_test_console_dispatch(&srv, &one, GEN_TEST_CONSOLE_METHOD_ADD,
                                        &pm, &rb), 0);
    EXPECT_EQ(add_calls, 1);
    capnp_msg_init_builder(&rm, &rb, NULL);
    EXPECT_EQ(gen_test_console_add_results_get_sum(
                  gen_test_console_add_results_read_root(&rm)), 42);
    EXPECT_EQ(gen_test_console_dispatch(&srv, &one, GEN_TEST_CONSOLE_METHOD_WRITE,
                                        &pm, &rb), ERR_NOSYS);
    EXPECT_EQ(gen_test_console_dispatch(&srv, &one, 4, &pm, &rb), ERR_NOSYS);
    EXPECT_EQ(gen_test_console_dispatch(&srv, &one, 0xffff, &pm, &rb), ERR_NOSYS);
    EXPECT_EQ(GEN_TEST_CONSOLE_METHOD__COUNT, 4);
    EXPECT_TRUE(strcmp(gen_test_console_methods[GEN_TEST_CONSOLE_METHOD_DEFAULT].name,
                       "default") == 0);
    EXPECT_EQ(gen_test_console_methods[1].params_type_id,
              GEN_TEST_CONSOLE_ADD_PARAMS_TYPE_ID);
    EXPECT_EQ(GEN_TEST_EMPTY_METHOD__COUNT, 0);
}

TEST(capnpc_sqe_call_helper)
{
    struct ring_sqe sqe;
    uint64_t params[2], result[4];

    memset(&sqe, 0xa5, sizeof sqe);
    capos_console_write_line_call(&sqe, 0x1234, params, sizeof params, result,
                                  sizeof result);
    EXPECT_EQ(sqe.opcode, RING_OP_CALL);
    EXPECT_EQ(sqe.cap_id, 0x1234);
    EXPECT_EQ(sqe.method_id, CAPOS_CONSOLE_METHOD_WRITE_LINE);
    EXPECT_EQ(sqe.addr, (uint64_t)(uintptr_t)params);
    EXPECT_EQ(sqe.len, sizeof params);
    EXPECT_EQ(sqe.result_addr, (uint64_t)(uintptr_t)result);
    EXPECT_EQ(sqe.result_len, sizeof result);
    EXPECT_EQ(sqe.flags | sqe.xfer_count | sqe.call_id | sqe.user_data |
              sqe.xfer_addr | sqe.pipeline_dep | sqe.rsvd0 | sqe.rsvd1, 0);
}

TEST(capnpc_capos_ids_and_ordinals)
{
    EXPECT_EQ(CAPOS_CONSOLE_INTERFACE_ID, 0xf8cb04023b505d3cull);
    EXPECT_EQ(CAPOS_SYSTEM_MANIFEST_TYPE_ID, 0xee56cd6e2b1dad83ull);
    EXPECT_EQ(CAPOS_FRAME_ALLOCATOR_METHOD_ALLOC_CONTIGUOUS, 1);
    EXPECT_EQ(CAPOS_VIRTUAL_MEMORY_METHOD_DECOMMIT, 5);
    EXPECT_EQ(CAPOS_CLIENT_ENDPOINT_METHOD__COUNT, 0);
    EXPECT_EQ(CAPOS_PROT_READ | CAPOS_PROT_WRITE | CAPOS_PROT_EXEC, 7);
    EXPECT_EQ(CAPOS_EXCEPTION_TYPE_INVALID_ARGUMENT, 4);
    EXPECT_EQ(CAPOS_MANIFEST_SCHEMA_VERSION, 1);
}
