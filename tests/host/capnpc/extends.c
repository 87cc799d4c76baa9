/* SPDX-License-Identifier: MIT */
/*
 * extends.c - interface inheritance (extends.capnp): flattened ordinals,
 * a Derived client calling Base methods, one server implementing the base
 * and derived methods, a Base client served by a Derived server, multiple
 * inheritance and a diamond.
 */
#include <common/test.h>
#include <string.h>

#include "extends.capnp.h"

static int pings, pongs, lasts, gets;

static int h_ping(void *ctx, extends_base_ping_params_r p,
                  extends_base_ping_results_b r)
{
    (void)ctx;
    pings++;
    extends_base_ping_results_set_y(r, extends_base_ping_params_get_x(p) + 1);
    return 0;
}
static int h_base_get(void *ctx, extends_base_get_params_r p,
                      extends_base_get_results_b r)
{
    (void)ctx;
    (void)p;
    extends_base_get_results_set_v(r, "base", 4);
    return 0;
}
static int h_pong(void *ctx, extends_mid_pong_params_r p,
                  extends_mid_pong_results_b r)
{
    (void)ctx; (void)p; (void)r;
    pongs++;
    return 0;
}
static int h_get(void *ctx, extends_mid_get_params_r p,
                 extends_mid_get_results_b r)
{
    (void)ctx;
    gets++;
    extends_mid_get_results_set_v(r, (uint8_t)(extends_mid_get_params_get_k(p) * 2));
    return 0;
}
static int h_last(void *ctx, extends_derived_last_params_r p,
                  extends_derived_last_results_b r)
{
    (void)ctx; (void)p; (void)r;
    lasts++;
    return 0;
}

TEST(extends_flattened_ordinals)
{
    /* the first-superclass chain keeps the base's ordinals */
    EXPECT_EQ(EXTENDS_DERIVED_METHOD_PING, EXTENDS_BASE_METHOD_PING);
    EXPECT_EQ(EXTENDS_DERIVED_METHOD_BASE_GET, EXTENDS_BASE_METHOD_GET);
    EXPECT_EQ(EXTENDS_DERIVED_METHOD_PONG, EXTENDS_MID_METHOD_PONG);
    EXPECT_EQ(EXTENDS_DERIVED_METHOD_GET, EXTENDS_MID_METHOD_GET);
    EXPECT_EQ(EXTENDS_MID_METHOD_BASE_GET, 1);
    EXPECT_EQ(EXTENDS_DERIVED_METHOD_LAST, 4);
    EXPECT_EQ(EXTENDS_DERIVED_METHOD__COUNT, 5);
    /* multiple inheritance: the second superclass follows */
    EXPECT_EQ(EXTENDS_MULTI_METHOD_LAST, 4);
    EXPECT_EQ(EXTENDS_MULTI_METHOD_ASK, 5);
    EXPECT_EQ(EXTENDS_MULTI_METHOD__COUNT, 6);
    /* diamond: every method once */
    EXPECT_EQ(EXTENDS_DIAMOND_METHOD__COUNT, 5);
    EXPECT_EQ(EXTENDS_DIAMOND_METHOD_LAST, 4);
    EXPECT_EQ(extends_derived_methods[EXTENDS_DERIVED_METHOD_PING].params_type_id,
              EXTENDS_BASE_PING_PARAMS_TYPE_ID);
    EXPECT_TRUE(strcmp(extends_derived_methods[EXTENDS_DERIVED_METHOD_BASE_GET].name,
                       "get") == 0);
}

TEST(extends_derived_client_calls_base_method)
{
    struct ring_sqe sqe;
    uint64_t params[2], result[2];

    extends_derived_ping_call(&sqe, 7, params, sizeof params, result,
                              sizeof result);
    EXPECT_EQ(sqe.method_id, EXTENDS_BASE_METHOD_PING);
    EXPECT_EQ(sqe.cap_id, 7u);
    extends_derived_pong_call(&sqe, 7, params, sizeof params, result,
                              sizeof result);
    EXPECT_EQ(sqe.method_id, EXTENDS_DERIVED_METHOD_PONG);
    extends_multi_ask_call(&sqe, 7, params, sizeof params, result,
                           sizeof result);
    EXPECT_EQ(sqe.method_id, 5);
}

/* One server for Base, Mid and Derived methods; Base ordinals reach it. */
TEST(extends_server_implements_base_and_derived)
{
    static uint64_t pw[64], rw[64];
    const extends_derived_server_t srv = {
        .ping = h_ping, .base_get = h_base_get, .pong = h_pong,
        .get = h_get, .last = h_last};
    struct capnp_builder pb, rb;
    struct capnp_msg pm, rm;

    capnp_builder_init(&pb, pw, 64);
    extends_base_ping_params_set_x(extends_base_ping_params_init_root(&pb), 41);
    capnp_msg_init_builder(&pm, &pb, NULL);
    capnp_builder_init(&rb, rw, 64);
    /* a Base client's ordinal on a Derived server */
    EXPECT_EQ(extends_derived_dispatch(&srv, NULL, EXTENDS_BASE_METHOD_PING,
                                       &pm, &rb), 0);
    capnp_msg_init_builder(&rm, &rb, NULL);
    EXPECT_EQ(extends_base_ping_results_get_y(
                  extends_base_ping_results_read_root(&rm)), 42u);
    EXPECT_EQ(pings, 1);

    capnp_builder_init(&pb, pw, 64);
    extends_mid_get_params_set_k(extends_mid_get_params_init_root(&pb), 21);
    capnp_msg_init_builder(&pm, &pb, NULL);
    capnp_builder_init(&rb, rw, 64);
    EXPECT_EQ(extends_derived_dispatch(&srv, NULL, EXTENDS_DERIVED_METHOD_GET,
                                       &pm, &rb), 0);
    capnp_msg_init_builder(&rm, &rb, NULL);
    EXPECT_EQ(extends_mid_get_results_get_v(
                  extends_mid_get_results_read_root(&rm)), 42);

    capnp_builder_init(&rb, rw, 64);
    EXPECT_EQ(extends_derived_dispatch(&srv, NULL, EXTENDS_DERIVED_METHOD_BASE_GET,
                                       &pm, &rb), 0);
    capnp_msg_init_builder(&rm, &rb, NULL);
    EXPECT_EQ(extends_base_get_results_get_v(
                  extends_base_get_results_read_root(&rm)).len, 4u);
    capnp_builder_init(&rb, rw, 64);
    EXPECT_EQ(extends_derived_dispatch(&srv, NULL, EXTENDS_DERIVED_METHOD_PONG,
                                       &pm, &rb), 0);
    EXPECT_EQ(extends_derived_dispatch(&srv, NULL, EXTENDS_DERIVED_METHOD_LAST,
                                       &pm, &rb), 0);
    EXPECT_EQ(pongs, 1);
    EXPECT_EQ(lasts, 1);
    EXPECT_EQ(gets, 1);
    EXPECT_EQ(extends_derived_dispatch(&srv, NULL, 5, &pm, &rb), ERR_NOSYS);
    /* a Mid server has no `last` */
    {
        const extends_mid_server_t ms = {.ping = h_ping};
        EXPECT_EQ(extends_mid_dispatch(&ms, NULL, EXTENDS_MID_METHOD_PONG,
                                       &pm, &rb), ERR_NOSYS);
        EXPECT_EQ(extends_mid_dispatch(&ms, NULL, 4, &pm, &rb), ERR_NOSYS);
    }
}
