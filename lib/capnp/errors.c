/* SPDX-License-Identifier: MIT */
/*
 * errors.c - names and messages of the capnp error codes, from the
 * CAPNP_ERRORS X-macro list in capnp.h (the one place codes are defined).
 */
#include <capnp/capnp.h>

static const char *const capnp_msgs[] = {
#define CAPNP__MSG(name, msg) [CAPNP_E_##name] = msg,
    CAPNP_ERRORS(CAPNP__MSG)
#undef CAPNP__MSG
};

static const char *const capnp_names[] = {
#define CAPNP__NAME(name, msg) [CAPNP_E_##name] = #name,
    CAPNP_ERRORS(CAPNP__NAME)
#undef CAPNP__NAME
};

_Static_assert(sizeof capnp_msgs / sizeof capnp_msgs[0] == CAPNP_E__COUNT,
               "one message per error code");

/* Human-readable message of an error code ("?" if unknown). */
const char *capnp_strerror(enum capnp_err e)
{
    if ((unsigned)e >= CAPNP_E__COUNT)
        return "?";
    return capnp_msgs[e];
}

/* Symbolic name of an error code ("?" if unknown). */
const char *capnp_errname(enum capnp_err e)
{
    if ((unsigned)e >= CAPNP_E__COUNT)
        return "?";
    return capnp_names[e];
}
