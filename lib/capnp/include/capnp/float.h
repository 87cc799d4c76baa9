/* SPDX-License-Identifier: MIT */
/*
 * float.h - float/double conversions for capnp float fields.
 *
 * The core header keeps floats as raw IEEE bits so that it compiles with
 * -mno-sse (kernel).  Code that may use floating point includes this file
 * to convert; the bits of a default value are XORed exactly as integers.
 */
#pragma once

#include <capnp/capnp.h>

/* Raw bits -> float. */
static inline float capnp_bits_f32(uint32_t bits)
{
    float f;
    __builtin_memcpy(&f, &bits, sizeof f);
    return f;
}

/* Raw bits -> double. */
static inline double capnp_bits_f64(uint64_t bits)
{
    double d;
    __builtin_memcpy(&d, &bits, sizeof d);
    return d;
}

/* float -> raw bits. */
static inline uint32_t capnp_f32_bits(float f)
{
    uint32_t bits;
    __builtin_memcpy(&bits, &f, sizeof bits);
    return bits;
}

/* double -> raw bits. */
static inline uint64_t capnp_f64_bits(double d)
{
    uint64_t bits;
    __builtin_memcpy(&bits, &d, sizeof bits);
    return bits;
}
