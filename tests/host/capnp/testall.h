/* SPDX-License-Identifier: MIT */
/*
 * testall.h - hand-written field layout of test.capnp (what the code
 * generator will emit), plus the shared fill/check routines of the tests.
 *
 * Offsets come from `capnp compile -ocapnp tests/host/capnp/test.capnp`,
 * in units of each field's size, as the runtime's accessors take them.
 */
#pragma once

#include <capnp/capnp.h>
#include <common/test.h>

enum {
    INNER_DW = 1, INNER_PW = 1, INNER_ID = 0, INNER_NAME = 0,

    TA_DW = 10, TA_PW = 21,
    TA_BOOL = 0,      /* bit */
    TA_DEFBOOL = 1,   /* bit, default true */
    TA_INT8 = 1, TA_INT16 = 1, TA_INT32 = 1, TA_INT64 = 1,
    TA_UINT8 = 16, TA_UINT16 = 9, TA_UINT32 = 5, TA_UINT64 = 3,
    TA_FLOAT32 = 8, TA_FLOAT64 = 5, TA_ENUM = 18,
    TA_DEFINT32 = 12, TA_DEFUINT64 = 7, TA_DEFFLOAT32 = 13, TA_DEFENUM = 19,
    TA_UNA = 32, TA_WHICH = 33, TA_GX = 9,

    TA_P_TEXT = 0, TA_P_DATA, TA_P_STRUCT, TA_P_VOIDL, TA_P_BOOLL,
    TA_P_INT8L, TA_P_INT16L, TA_P_INT32L, TA_P_INT64L, TA_P_F64L,
    TA_P_TEXTL, TA_P_STRUCTL, TA_P_LISTL, TA_P_ENUML, TA_P_DEFTEXT,
    TA_P_DEFSTRUCT, TA_P_UNION, TA_P_GY, TA_P_ANY, TA_P_CAP, TA_P_CAPL,

    TA_WHICH_UNA = 0, TA_WHICH_UNB = 1, TA_WHICH_UNC = 2,
};

#define TA_DEF_INT32 ((int32_t)-12345)
#define TA_DEF_UINT64 UINT64_C(0xfedcba9876543210)
#define TA_DEF_FLOAT32 UINT32_C(0x3fc00000) /* 1.5f */
#define TA_DEF_ENUM 2

/* Default of defStruct: a flat message (id = 7, name = "seven"). */
extern const struct capnp_seg ta_defstruct_default;

/* Fill `root` (TA_DW/TA_PW) with the content of testall.txt. */
void ta_fill(const struct capnp_struct_builder *root);
/* Check every field of `s` against testall.txt; failures go to t. */
void ta_check(struct test_ctx *t, const struct capnp_struct *s);
