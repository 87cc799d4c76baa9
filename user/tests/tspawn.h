/*
 * tspawn.h - ProcessSpawner.spawn for test programs, built by hand with
 * the generated builders so tests control every field (hostile grants).
 */
#pragma once

#include "t.h"

struct tgrant {
    const char *name;
    uint32_t cap;           /* caller's CapId, sent by copy */
    uint64_t iface;         /* claimed interface id */
    uint32_t index;         /* cap index written in the message */
};

/* One argument, by pointer and length (so tests can send a NUL). */
struct targ {
    const char *s;
    uint32_t len;
};

#define TSPAWN_WORDS 512
static uint64_t tspawn_words[TSPAWN_WORDS];
static uint8_t tspawn_res[256] __attribute__((aligned(8)));

/* The completion of spawn(`bin` as `name`, grants g[n] sent with `mode`
 * (XFER_COPY or XFER_MOVE), arguments a[na]) with results written to
 * [raddr, raddr + rlen). */
static inline struct ring_cqe t_spawn_cqe(uint32_t spawner, const char *name,
                                          const char *bin, const struct tgrant *g,
                                          uint32_t n, uint32_t mode,
                                          const struct targ *a, uint32_t na,
                                          uint64_t raddr, uint32_t rlen)
{
    struct capos_msgbuf m;
    struct capnp_builder *b = capos_msg_begin(&m, tspawn_words, TSPAWN_WORDS);
    capos_process_spawner_spawn_params_b p =
        capos_process_spawner_spawn_params_init_root(b);
    capos_process_spawner_spawn_params_set_name(p, name, (uint32_t)strlen(name));
    capos_process_spawner_spawn_params_set_binary(p, bin, (uint32_t)strlen(bin));
    capos_spawn_grant_blist gl = capos_process_spawner_spawn_params_init_grants(p, n);
    struct ring_xfer x[RING_MAX_XFER];
    for (uint32_t i = 0; i < n; i++) {
        capos_spawn_grant_b e = capos_spawn_grant_blist_at(gl, i);
        capos_spawn_grant_set_name(e, g[i].name, (uint32_t)strlen(g[i].name));
        capos_spawn_grant_set_interface_id(e, g[i].iface);
        struct capnp_ptr_builder pb = capos_spawn_grant_slot_cap(e);
        capnp_ptr_set_cap_index(&pb, g[i].index);
        if (i < RING_MAX_XFER)
            x[i] = (struct ring_xfer){.cap_id = g[i].cap, .mode = mode};
    }
    if (na) {
        struct capnp_list_builder al =
            capos_process_spawner_spawn_params_init_args(p, na);
        for (uint32_t i = 0; i < na; i++) {
            struct capnp_ptr_builder pb = capnp_list_builder_ptr(&al, i);
            capnp_ptr_set_text(&pb, a[i].s, a[i].len);
        }
    }
    if (capos_msg_finish(&m))
        return (struct ring_cqe){.result = CAP_ERR_INVALID_PARAMS_BUFFER,
                                 .aux = ERR_TOOSMALL};
    struct ring_sqe s = raw_call(spawner, CAPOS_PROCESS_SPAWNER_METHOD_SPAWN,
                                 (uintptr_t)tspawn_words, m.len, raddr, rlen);
    s.xfer_count = (uint16_t)(n < RING_MAX_XFER ? n : RING_MAX_XFER);
    s.xfer_addr = n ? (uintptr_t)x : 0;
    return raw(s);
}

/* Spawn binary `bin` as `name` with grants g[n] and arguments a[na];
 * returns the capOS error and the ProcessHandle in *handle. */
static inline err_t t_spawn_args(uint32_t spawner, const char *name,
                                 const char *bin, const struct tgrant *g,
                                 uint32_t n, const struct targ *a, uint32_t na,
                                 uint32_t *handle)
{
    *handle = 0;
    struct ring_cqe c = t_spawn_cqe(spawner, name, bin, g, n, XFER_COPY, a, na,
                                    (uintptr_t)tspawn_res, sizeof tspawn_res);
    if (c.result >= 0) {
        *handle = c.cap0.cap_id;
        return ERR_OK;
    }
    return c.aux ? (err_t)c.aux : ERR_INVAL;
}

/* t_spawn_args without arguments. */
static inline err_t t_spawn(uint32_t spawner, const char *name, const char *bin,
                            const struct tgrant *g, uint32_t n, uint32_t *handle)
{
    return t_spawn_args(spawner, name, bin, g, n, NULL, 0, handle);
}

/* Wait for a spawned process and release its handle; returns its code. */
static inline int64_t t_wait(uint32_t handle)
{
    int64_t code = -1;
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, handle), &code, NULL), ERR_OK);
    CHECK_EQ(capos_release(handle), ERR_OK);
    return code;
}
