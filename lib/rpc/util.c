/* SPDX-License-Identifier: MIT */
/*
 * util.c - the vat (allocator with live counters) and small string helpers
 * (the library is freestanding: no libc).
 */
#include "internal.h"

static const char *const err_names[] = {
#define RPC__NAME(name, msg) #name,
    RPC_ERRORS(RPC__NAME)
#undef RPC__NAME
};
_Static_assert(sizeof err_names / sizeof err_names[0] == RPC_E__COUNT,
               "one name per error");

const char *rpc_errname(enum rpc_err e)
{
    return (unsigned)e < RPC_E__COUNT ? err_names[e] : "?";
}

void rpc_vat_init(struct rpc_vat *v, const struct rpc_alloc *a)
{
    v->a = *a;
    v->live = 0;
    v->live_bytes = 0;
}

/* Block of `bytes` (contents undefined), counted; NULL when out. */
void *rpc_alloc_raw(struct rpc_vat *v, size_t bytes)
{
    void *p = v->a.alloc(v->a.ctx, bytes);
    if (!p)
        return NULL;
    v->live++;
    v->live_bytes += bytes;
    return p;
}

/* Zeroed block of `bytes`, counted; NULL when the allocator is out. */
void *rpc_zalloc(struct rpc_vat *v, size_t bytes)
{
    void *p = rpc_alloc_raw(v, bytes);
    if (p)
        __builtin_memset(p, 0, bytes);
    return p;
}

/* Free a block from rpc_zalloc (NULL is fine). */
void rpc_free(struct rpc_vat *v, void *p, size_t bytes)
{
    if (!p)
        return;
    v->live--;
    v->live_bytes -= bytes;
    v->a.free(v->a.ctx, p, bytes);
}

uint32_t rpc_strlen(const char *s)
{
    uint32_t n = 0;
    while (s && s[n])
        n++;
    return n;
}

/* Copy at most cap-1 bytes of src and a NUL. */
void rpc_strcpy(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    while (src && src[i] && i + 1 < cap) {
        dst[i] = src[i];
        i++;
    }
    dst[i] = 0;
}
