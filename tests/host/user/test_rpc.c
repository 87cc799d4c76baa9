/* SPDX-License-Identifier: MIT */
/*
 * test_rpc.c - the generated client stubs (rpc_test.capnp.rpc.h) against
 * a fake kernel that serves Tester through the generated dispatch: every
 * param and result kind (scalars, enums, float bits, Text/Data, lists of
 * Text, scalars, structs and Data, nested structs, AnyPointer, a union and
 * a group as whole-struct forms, capabilities in params and results), the
 * interface stated in the SQE, async submit/finish, and hostile results
 * (a result cap of another interface, malformed results, a result larger
 * than the reply) with the exact error and every delivered cap released.
 */
#include <capos/capos.h>
#include <common/test.h>
#include <string.h>

#include "fake_kernel.h"
#include "rpc_test.capnp.rpc.h"

#define CAP_TESTER 0x100u
#define CAP_COUNTER 0x200u
#define CAP_GIVEN0 0x300u

static struct fake_kernel k;
static uint32_t released[8], nreleased;
static bool bad_iface, garbage;
static const struct ring_sqe *cur;   /* the CALL being served */

static int t_scalars(void *ctx, rpc_test_tester_scalars_params_r p,
                     rpc_test_tester_scalars_results_b r)
{
    (void)ctx;
    rpc_test_tester_scalars_results_set_a(r, rpc_test_tester_scalars_params_get_a(p) + 1);
    rpc_test_tester_scalars_results_set_b(r, rpc_test_tester_scalars_params_get_b(p) - 1);
    rpc_test_tester_scalars_results_set_c(r, !rpc_test_tester_scalars_params_get_c(p));
    rpc_test_tester_scalars_results_set_d_bits(r, rpc_test_tester_scalars_params_get_d_bits(p));
    rpc_test_tester_scalars_results_set_e(r, rpc_test_tester_scalars_params_get_e(p));
    return ERR_OK;
}

static int t_blobs(void *ctx, rpc_test_tester_blobs_params_r p,
                   rpc_test_tester_blobs_results_b r)
{
    struct capnp_text t = rpc_test_tester_blobs_params_get_t(p);
    struct capnp_data d = rpc_test_tester_blobs_params_get_d(p);

    (void)ctx;
    if (t.len == 0)
        return ERR_INVAL;
    rpc_test_tester_blobs_results_set_t(r, t.str, t.len);
    rpc_test_tester_blobs_results_set_d(r, d.ptr, d.len);
    return ERR_OK;
}

static int t_lists(void *ctx, rpc_test_tester_lists_params_r p,
                   rpc_test_tester_lists_results_b r)
{
    struct capnp_list tl = rpc_test_tester_lists_params_get_texts(p);
    struct capnp_list nl = rpc_test_tester_lists_params_get_nums(p);
    struct capnp_list rl = rpc_test_tester_lists_params_get_raw(p);
    rpc_test_point_rlist pl = rpc_test_tester_lists_params_get_points(p);

    (void)ctx;
    struct capnp_list_builder to = rpc_test_tester_lists_results_init_texts(r, tl.count);
    for (uint32_t i = 0; i < tl.count; i++) {
        struct capnp_ptr e = capnp_list_ptr(&tl, i);
        struct capnp_text t = capnp_ptr_read_text(&e, (struct capnp_text){0});
        struct capnp_ptr_builder pb = capnp_list_builder_ptr(&to, i);
        capnp_ptr_set_text(&pb, t.str, t.len);
    }
    struct capnp_list_builder no = rpc_test_tester_lists_results_init_nums(r, nl.count + 1);
    capnp_list_write_u32(&no, 0, rl.count);
    for (uint32_t i = 0; i < nl.count; i++)
        capnp_list_write_u32(&no, i + 1, capnp_list_read_u32(&nl, i));
    uint32_t n = rpc_test_point_rlist_len(pl);
    rpc_test_point_blist po = rpc_test_tester_lists_results_init_points(r, n);
    for (uint32_t i = 0; i < n; i++) {
        rpc_test_point_r a = rpc_test_point_rlist_get(pl, i);
        rpc_test_point_b b = rpc_test_point_blist_at(po, i);
        rpc_test_point_set_x(b, rpc_test_point_get_y(a));
        rpc_test_point_set_y(b, rpc_test_point_get_x(a));
    }
    return ERR_OK;
}

static int t_nested(void *ctx, rpc_test_tester_nested_params_r p,
                    rpc_test_tester_nested_results_b r)
{
    (void)ctx;
    rpc_test_tester_nested_results_set_p(r, rpc_test_tester_nested_params_get_p(p));
    struct capnp_ptr any = rpc_test_tester_nested_params_get_any(p);
    struct capnp_ptr_builder slot = rpc_test_tester_nested_results_slot_any(r);
    capnp_ptr_copy(&slot, &any);
    return ERR_OK;
}

static int t_shape(void *ctx, rpc_test_shape_r p, rpc_test_shape_b r)
{
    struct capnp_text n = rpc_test_shape_get_name(p);

    (void)ctx;
    rpc_test_shape_set_name(r, n.str, n.len);
    if (rpc_test_shape_which(p) == RPC_TEST_SHAPE_CIRCLE) {
        rpc_test_shape_set_circle(r, rpc_test_shape_get_circle(p) * 2);
    } else {
        rpc_test_shape_rect_r a = rpc_test_shape_get_rect(p);
        rpc_test_shape_rect_b b = rpc_test_shape_init_rect(r);
        rpc_test_shape_rect_set_w(b, rpc_test_shape_rect_get_h(a));
        rpc_test_shape_rect_set_h(b, rpc_test_shape_rect_get_w(a));
    }
    return ERR_OK;
}

static int t_caps(void *ctx, rpc_test_tester_caps_params_r p,
                  rpc_test_tester_caps_results_b r)
{
    uint32_t i = rpc_test_tester_caps_params_get_c(p);
    const struct ring_xfer *x = (const void *)(uintptr_t)cur->xfer_addr;

    (void)ctx;
    if (i >= cur->xfer_count || x[i].cap_id != CAP_COUNTER ||
        x[i].mode != XFER_COPY)
        return ERR_INVAL;
    rpc_test_tester_caps_results_set_c(r, 0);
    rpc_test_tester_caps_results_set_other(r, 1);
    return ERR_OK;
}

static int t_nothing(void *ctx, rpc_test_tester_nothing_params_r p,
                     rpc_test_tester_nothing_results_b r)
{
    (void)ctx; (void)p; (void)r;
    return ERR_OK;
}

static const rpc_test_tester_server_t tester = {
    t_scalars, t_blobs, t_lists, t_nested, t_shape, t_caps, t_nothing};

/* Write results (or an exception) and, for caps, two cap records. */
static void answer(const struct ring_sqe *sqe, struct ring_cqe *cqe,
                   struct capnp_builder *b, uint64_t *arena, int e)
{
    uint8_t *out = (void *)(uintptr_t)sqe->result_addr;
    size_t n = 0;

    if (e != ERR_OK) {
        capnp_builder_init(b, arena, 256);
        capos_cap_exception_b x = capos_cap_exception_init_root(b);
        capos_cap_exception_set_message(x, "tester says no", 14);
        capos_cap_exception_set_code(x, (uint16_t)e);
    }
    if (capnp_builder_serialize(b, out, sqe->result_len, &n) != CAPNP_OK) {
        cqe->result = CAP_ERR_INVALID_RESULT_BUFFER;
        cqe->aux = ERR_TOOSMALL;
        return;
    }
    if (e != ERR_OK) {
        cqe->result = CAP_ERR_APPLICATION_EXCEPTION;
        cqe->aux = (uint32_t)e;
        return;
    }
    if (garbage)
        memset(out + 8, 0xff, 8);       /* root pointer out of bounds */
    cqe->result = (int32_t)n;
    if (sqe->method_id == RPC_TEST_TESTER_METHOD_CAPS) {
        struct ring_cap_rec rec[2] = {
            {CAP_GIVEN0, bad_iface ? 0x1234u : (uint32_t)RPC_TEST_COUNTER_INTERFACE_ID},
            {CAP_GIVEN0 + 1, (uint32_t)RPC_TEST_COUNTER_INTERFACE_ID}};
        memcpy(out + ((n + 7) & ~7u), rec, sizeof rec);
        cqe->cap_count = 2;
        cqe->cap0 = rec[0];
    }
}

static enum fake_verdict serve(struct fake_kernel *kk, const struct ring_sqe *sqe,
                               struct ring_cqe *cqe)
{
    static uint64_t arena[1024];
    struct capnp_builder b;
    struct capnp_msg params;
    struct capnp_read_opts o = {.cap_count = sqe->xfer_count};
    int e;

    (void)kk;
    if (sqe->opcode == RING_OP_RELEASE) {
        if (nreleased < 8)
            released[nreleased++] = sqe->cap_id;
        cqe->result = 0;
        return FAKE_NOW;
    }
    if (sqe->cap_id != CAP_TESTER) {
        cqe->result = CAP_ERR_INVOKE_FAILED;
        cqe->aux = ERR_BADCAP;
        return FAKE_NOW;
    }
    if (sqe->iface_lo != (uint32_t)RPC_TEST_TESTER_INTERFACE_ID) {
        cqe->result = CAP_ERR_INVOKE_FAILED;
        cqe->aux = ERR_WRONGTYPE;
        return FAKE_NOW;
    }
    cur = sqe;
    capnp_builder_init(&b, arena, 1024);
    e = capnp_msg_init(&params, (const void *)(uintptr_t)sqe->addr, sqe->len,
                       &o) != CAPNP_OK
            ? ERR_BADFORMAT
            : rpc_test_tester_dispatch(&tester, NULL, sqe->method_id, &params, &b);
    answer(sqe, cqe, &b, arena, e);
    return FAKE_NOW;
}

static struct rpc_test_tester setup(void)
{
    fake_init(&k, 7);
    k.handler = serve;
    nreleased = 0;
    bad_iface = garbage = false;
    capos_rt_setup(k.page, 3, NULL, 0, fake_enter, &k);
    return CAPOS_HANDLE(rpc_test_tester, CAP_TESTER);
}

TEST(rpc_scalars_enum_float_bits)
{
    struct rpc_test_tester tt_ = setup();
    uint8_t a = 0;
    int16_t b = 0;
    bool c = true;
    uint64_t d = 0;
    rpc_test_kind_t e = RPC_TEST_KIND_FIRST;

    ASSERT_EQ(rpc_test_tester_scalars(tt_, 41, -5, true, 0x400921fb54442d18ull,
                                      RPC_TEST_KIND_SECOND, &a, &b, &c, &d, &e,
                                      NULL), ERR_OK);
    EXPECT_EQ(a, 42);
    EXPECT_EQ(b, -6);
    EXPECT_FALSE(c);
    EXPECT_EQ(d, 0x400921fb54442d18ull);
    EXPECT_EQ(e, RPC_TEST_KIND_SECOND);
    EXPECT_EQ(k.last_sqe.iface_lo, (uint32_t)RPC_TEST_TESTER_INTERFACE_ID);
    EXPECT_EQ(k.last_sqe.method_id, RPC_TEST_TESTER_METHOD_SCALARS);
    /* Every output may be NULL. */
    EXPECT_EQ(rpc_test_tester_scalars(tt_, 1, 2, false, 0, 0, NULL, NULL, NULL,
                                      NULL, NULL, NULL), ERR_OK);
}

TEST(rpc_blobs_views_and_exception_message)
{
    struct rpc_test_tester tt_ = setup();
    CAPOS_REPLY(rep, 64);
    struct capnp_text tx = {0};
    struct capnp_data dd = {0};

    ASSERT_EQ(rpc_test_tester_blobs(tt_, "hello", 5, "\x01\x02\x03", 3, &tx, &dd,
                                    &rep), ERR_OK);
    EXPECT_EQ(tx.len, 5);
    EXPECT_TRUE(!strcmp(tx.str, "hello"));
    EXPECT_EQ(dd.len, 3);
    EXPECT_EQ(((const uint8_t *)dd.ptr)[2], 3);
    /* Pointer results need a reply. */
    EXPECT_EQ(rpc_test_tester_blobs(tt_, "x", 1, NULL, 0, &tx, NULL, NULL),
              ERR_INVAL);
    EXPECT_EQ(rpc_test_tester_blobs(tt_, "x", 1, NULL, 0, NULL, NULL, NULL),
              ERR_OK);
    EXPECT_EQ(rpc_test_tester_blobs(tt_, "", 0, NULL, 0, &tx, &dd, &rep),
              ERR_INVAL);
    EXPECT_TRUE(!strcmp(capos_reply_message(&rep), "tester says no"));
    /* Params too large for the reply: nothing is sent. */
    static char big[2048];
    uint32_t before = k.consumed;
    EXPECT_EQ(rpc_test_tester_blobs(tt_, "x", 1, big, sizeof big, NULL, NULL,
                                    &rep), ERR_TOOSMALL);
    EXPECT_EQ(k.consumed, before);
}

static void fill_point(rpc_test_point_b p, uint32_t i, struct capos_reply *rep,
                       const void *arg)
{
    (void)rep;
    rpc_test_point_set_x(p, (int32_t)i);
    rpc_test_point_set_y(p, *(const int32_t *)arg);
}

static void fill_raw(struct capnp_list_builder *l, struct capos_reply *rep,
                     const void *arg)
{
    (void)rep;
    (void)arg;
    struct capnp_ptr_builder e = capnp_list_builder_ptr(l, 1);
    capnp_ptr_set_data(&e, "zz", 2);
}

TEST(rpc_lists_of_text_scalars_structs_and_data)
{
    struct rpc_test_tester tt_ = setup();
    CAPOS_REPLY(rep, 128);
    const char *texts[] = {"one", "two", "three"};
    const uint32_t nums[] = {7, 8};
    int32_t y = -9;
    struct capnp_list to = {0}, no = {0};
    rpc_test_point_rlist po;

    ASSERT_EQ(rpc_test_tester_lists(tt_, texts, 3, nums, 2, 4, fill_point, &y, 2,
                                    fill_raw, NULL, &to, &no, &po, &rep), ERR_OK);
    EXPECT_EQ(to.count, 3);
    struct capnp_ptr e = capnp_list_ptr(&to, 2);
    EXPECT_TRUE(!strcmp(capnp_ptr_read_text(&e, (struct capnp_text){0}).str,
                        "three"));
    EXPECT_EQ(no.count, 3);
    EXPECT_EQ(capnp_list_read_u32(&no, 0), 2);        /* raw list length */
    EXPECT_EQ(capnp_list_read_u32(&no, 2), 8);
    ASSERT_EQ(rpc_test_point_rlist_len(po), 4);
    EXPECT_EQ(rpc_test_point_get_x(rpc_test_point_rlist_get(po, 3)), -9);
    EXPECT_EQ(rpc_test_point_get_y(rpc_test_point_rlist_get(po, 3)), 3);
}

static void fill_p(rpc_test_point_b p, struct capos_reply *rep, const void *arg)
{
    (void)rep;
    (void)arg;
    rpc_test_point_set_x(p, 5);
    rpc_test_point_set_y(p, 6);
}

static void fill_any(struct capnp_ptr_builder slot, struct capos_reply *rep,
                     const void *arg)
{
    (void)rep;
    capnp_ptr_set_text(&slot, arg, (uint32_t)strlen(arg));
}

TEST(rpc_nested_struct_and_anypointer)
{
    struct rpc_test_tester tt_ = setup();
    CAPOS_REPLY(rep, 64);
    rpc_test_point_r p;
    struct capnp_ptr any;

    ASSERT_EQ(rpc_test_tester_nested(tt_, fill_p, NULL, fill_any, "anything",
                                     &p, &any, &rep), ERR_OK);
    EXPECT_EQ(rpc_test_point_get_x(p), 5);
    EXPECT_EQ(rpc_test_point_get_y(p), 6);
    EXPECT_TRUE(!strcmp(capnp_ptr_read_text(&any, (struct capnp_text){0}).str,
                        "anything"));
}

static void fill_shape(rpc_test_shape_b s, struct capos_reply *rep,
                       const void *arg)
{
    (void)rep;
    rpc_test_shape_set_name(s, "box", 3);
    if (arg) {
        rpc_test_shape_rect_b r = rpc_test_shape_init_rect(s);
        rpc_test_shape_rect_set_w(r, 3);
        rpc_test_shape_rect_set_h(r, 4);
    } else {
        rpc_test_shape_set_circle(s, 10);
    }
}

TEST(rpc_union_and_group_whole_struct)
{
    struct rpc_test_tester tt_ = setup();
    CAPOS_REPLY(rep, 64);
    rpc_test_shape_r s;

    ASSERT_EQ(rpc_test_tester_shape(tt_, fill_shape, NULL, &s, &rep), ERR_OK);
    EXPECT_EQ(rpc_test_shape_which(s), RPC_TEST_SHAPE_CIRCLE);
    EXPECT_EQ(rpc_test_shape_get_circle(s), 20);
    ASSERT_EQ(rpc_test_tester_shape(tt_, fill_shape, "rect", &s, &rep), ERR_OK);
    EXPECT_EQ(rpc_test_shape_which(s), RPC_TEST_SHAPE_RECT);
    EXPECT_EQ(rpc_test_shape_rect_get_w(rpc_test_shape_get_rect(s)), 4);
    EXPECT_TRUE(!strcmp(rpc_test_shape_get_name(s).str, "box"));
}

TEST(rpc_caps_in_params_and_results)
{
    struct rpc_test_tester tt_ = setup();
    struct rpc_test_counter c = CAPOS_HANDLE(rpc_test_counter, CAP_COUNTER);
    struct rpc_test_counter got = {0}, other = {0};

    ASSERT_EQ(rpc_test_tester_caps(tt_, c, 1, &got, &other, NULL), ERR_OK);
    EXPECT_EQ(k.last_sqe.xfer_count, 1);
    EXPECT_EQ(got.cap, CAP_GIVEN0);
    EXPECT_EQ(other.cap, CAP_GIVEN0 + 1);
    EXPECT_EQ(nreleased, 0);
    /* Not wanted: released. */
    ASSERT_EQ(rpc_test_tester_caps(tt_, c, 1, &got, NULL, NULL), ERR_OK);
    EXPECT_EQ(nreleased, 1);
    EXPECT_EQ(released[0], CAP_GIVEN0 + 1);
    /* A result cap of another interface: WRONGTYPE, both released. */
    nreleased = 0;
    bad_iface = true;
    got.cap = 0;
    EXPECT_EQ(rpc_test_tester_caps(tt_, c, 1, &got, &other, NULL), ERR_WRONGTYPE);
    EXPECT_EQ(got.cap, 0);
    EXPECT_EQ(nreleased, 2);
}

TEST(rpc_hostile_results_and_async)
{
    struct rpc_test_tester tt_ = setup();
    CAPOS_REPLY(rep, 64);
    CAPOS_REPLY(a, 32);
    CAPOS_REPLY(b, 32);
    struct capnp_text tx;
    uint8_t x = 0;

    garbage = true;
    EXPECT_EQ(rpc_test_tester_blobs(tt_, "hello", 5, NULL, 0, &tx, NULL, &rep),
              ERR_BADFORMAT);
    garbage = false;
    /* Results larger than the reply's result part. */
    static char big[200];
    memset(big, 'q', sizeof big);
    EXPECT_EQ(rpc_test_tester_blobs(tt_, "x", 1, big, sizeof big, &tx, NULL, &a),
              ERR_TOOSMALL);
    /* Two submitted, one enter, finished in reverse order. */
    ASSERT_EQ(rpc_test_tester_scalars_submit(tt_, 1, 0, false, 0, 0, &a), ERR_OK);
    ASSERT_EQ(rpc_test_tester_nothing_submit(tt_, &b), ERR_OK);
    uint32_t enters = k.enters;
    ASSERT_EQ(capos_reply_wait(&b), ERR_OK);
    ASSERT_EQ(capos_reply_wait(&a), ERR_OK);
    EXPECT_EQ(k.enters, enters + 1);
    EXPECT_EQ(rpc_test_tester_nothing_finish(&b), ERR_OK);
    EXPECT_EQ(rpc_test_tester_scalars_finish(&a, &x, NULL, NULL, NULL, NULL),
              ERR_OK);
    EXPECT_EQ(x, 2);
    /* A handle of another interface is refused (here by the fake). */
    EXPECT_EQ(rpc_test_counter_add(CAPOS_HANDLE(rpc_test_counter, CAP_TESTER),
                                   1, NULL, NULL), ERR_WRONGTYPE);
}
