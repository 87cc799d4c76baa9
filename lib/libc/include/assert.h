/* SPDX-License-Identifier: MIT */
/*
 * assert.h - capOS libc: assert() prints "assertion failed: EXPR
 * (file:line, function)" on the console and exits with 134.  Defining
 * NDEBUG before including this header turns assert into nothing.
 */
#pragma once

_Noreturn void __capos_assert_fail(const char *expr, const char *file,
                                   int line, const char *func);

#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e)                                                           \
    ((e) ? (void)0 : __capos_assert_fail(#e, __FILE__, __LINE__, __func__))
#endif

#ifndef __cplusplus
#define static_assert _Static_assert
#endif
