/* SPDX-License-Identifier: MIT */
/*
 * test_exception.c - CapException decoding (lib/capos/exception.c).
 */
#include <capos.capnp.h>
#include <capos/exception.h>
#include <capos/msg.h>
#include <common/test.h>
#include <string.h>

static uint64_t words[64];

/* A serialized CapException in words[]; returns its framed length. */
static uint32_t build(capos_exception_type_t type, const char *msg,
                      uint16_t code)
{
    struct capos_msgbuf m;
    capos_cap_exception_b e =
        capos_cap_exception_init_root(capos_msg_begin(&m, words, 64));

    capos_cap_exception_set_type(e, type);
    capos_cap_exception_set_message(e, msg, (uint32_t)strlen(msg));
    capos_cap_exception_set_code(e, code);
    return capos_msg_finish(&m) == ERR_OK ? m.len : 0;
}

TEST(exception_decodes_type_message_code)
{
    struct ring_cqe c = {.result = CAP_ERR_APPLICATION_EXCEPTION,
                         .aux = ERR_QUOTA};
    struct capos_exception ex;

    ASSERT_TRUE(build(CAPOS_EXCEPTION_TYPE_OVERLOADED, "timer quota",
                      ERR_QUOTA) > 0);
    ASSERT_EQ(capos_exception_decode(&c, words, sizeof(words), &ex), ERR_OK);
    EXPECT_EQ(ex.type, CAPOS_EXCEPTION_TYPE_OVERLOADED);
    EXPECT_EQ(ex.code, ERR_QUOTA);
    EXPECT_FALSE(ex.truncated);
    EXPECT_TRUE(strcmp(ex.message, "timer quota") == 0);
}

TEST(exception_long_message_is_cut)
{
    struct ring_cqe c = {.result = CAP_ERR_APPLICATION_EXCEPTION, .aux = 1};
    struct capos_exception ex;
    char msg[300];

    memset(msg, 'a', sizeof(msg) - 1);
    msg[sizeof(msg) - 1] = 0;
    ASSERT_TRUE(build(CAPOS_EXCEPTION_TYPE_INVALID_ARGUMENT, msg, 1) > 0);
    ASSERT_EQ(capos_exception_decode(&c, words, sizeof(words), &ex), ERR_OK);
    EXPECT_EQ(strlen(ex.message), CAPOS_EXCEPTION_MSG_MAX - 1);
    EXPECT_EQ(ex.type, CAPOS_EXCEPTION_TYPE_INVALID_ARGUMENT);
}

TEST(exception_truncated_uses_aux)
{
    struct ring_cqe c = {.result = CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED,
                         .aux = ERR_RANGE};
    struct capos_exception ex;

    ASSERT_EQ(capos_exception_decode(&c, NULL, 0, &ex), ERR_OK);
    EXPECT_TRUE(ex.truncated);
    EXPECT_EQ(ex.code, ERR_RANGE);
    EXPECT_EQ(ex.type, CAPOS_EXCEPTION_TYPE_FAILED);
    EXPECT_EQ(ex.message[0], 0);
}

TEST(exception_rejects_non_exception_and_garbage)
{
    struct ring_cqe ok = {.result = 16};
    struct ring_cqe c = {.result = CAP_ERR_APPLICATION_EXCEPTION,
                         .aux = ERR_INVAL};
    struct capos_exception ex;
    uint64_t junk[2] = {0xffffffffffffffffull, 0};

    EXPECT_EQ(capos_exception_decode(&ok, words, sizeof(words), &ex),
              ERR_INVAL);
    EXPECT_EQ(capos_exception_decode(&c, junk, sizeof(junk), &ex),
              ERR_BADFORMAT);
    EXPECT_EQ(ex.code, ERR_INVAL);
    EXPECT_EQ(capos_exception_decode(&c, NULL, 0, &ex), ERR_BADFORMAT);
}
