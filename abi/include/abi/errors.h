/*
 * errors.h - capOS error codes, generated from errors.def.
 *
 * Kernel functions that can fail return err_t (0 = OK, else a positive
 * ERR_* value); the ring reports them negated.
 */
#pragma once

enum capos_err {
#define ERR(name, val, msg) ERR_##name = (val),
#include <abi/errors.def>
#undef ERR
    ERR__COUNT
};

typedef int err_t;

/* Short name of an error ("INVAL"), or "?" for unknown values. */
static inline const char *err_name(int e)
{
    switch (e) {
#define ERR(name, val, msg) case (val): return #name;
#include <abi/errors.def>
#undef ERR
    default: return "?";
    }
}
