/*
 * ipc_t.h - helpers shared by the IPC system tests (user/tests/ipc_*.c).
 *
 * A test is often both client and server of its own endpoint: it submits
 * a CALL without waiting (t_submit), receives and answers it
 * (capos_server_recv/return), then waits for the CALL's completion
 * (t_wait).  Messages are SpawnGrant structs used as a carrier: the
 * interfaceId field holds a tag, the cap field an optional capability
 * index into the transfer list.
 */
#pragma once

#include "t.h"

#define T_NOCAP UINT32_MAX

/* Frame SpawnGrant{interfaceId = tag, cap -> cap_index} into w[16]. */
static inline struct capos_msgbuf t_msg(uint64_t *w, uint64_t tag,
                                        uint32_t cap_index)
{
    struct capos_msgbuf m;
    capos_spawn_grant_b g = capos_spawn_grant_init_root(capos_msg_begin(&m, w, 16));
    capos_spawn_grant_set_interface_id(g, tag);
    if (cap_index != T_NOCAP) {
        struct capnp_ptr_builder s = capos_spawn_grant_slot_cap(g);
        capnp_ptr_set_cap_index(&s, cap_index);
    }
    capos_msg_finish(&m);
    return m;
}

/* The tag of a carrier message (UINT64_MAX if it does not read). */
static inline uint64_t t_tag(struct capnp_msg *msg)
{
    uint64_t v = capos_spawn_grant_get_interface_id(capos_spawn_grant_read_root(msg));
    return capnp_msg_error(msg) == CAPNP_OK ? v : UINT64_MAX;
}

/* The tag of a call result in buf (UINT64_MAX if it does not read). */
static inline uint64_t t_result_tag(const struct ring_cqe *c, const void *buf,
                                    size_t len)
{
    struct capos_msg_caps rc;
    if (capos_msg_caps_open_result(&rc, c, buf, len) != ERR_OK)
        return UINT64_MAX;
    return t_tag(&rc.msg);
}

/* Submit a CALL (not waited for); returns its user_data. */
static inline uint64_t t_submit(uint32_t cap, uint16_t method,
                                const struct capos_msgbuf *m,
                                const struct ring_xfer *x, uint32_t nx,
                                void *res, uint32_t rlen)
{
    struct ring_sqe s;
    struct capos_ring *r = capos_rt_ring();
    capnpc_sqe_call(&s, cap, method, m ? m->words : NULL, m ? m->len : 0,
                    res, rlen);
    s.xfer_count = (uint16_t)nx;
    s.xfer_addr = nx ? (uint64_t)(uintptr_t)x : 0;
    s.user_data = capos_ring_user_data(r);
    CHECK_EQ(capos_ring_submit(r, &s), ERR_OK);
    CHECK_EQ(capos_ring_flush(r), ERR_OK);
    return s.user_data;
}

/* Wait for the completion of user_data. */
static inline struct ring_cqe t_wait(uint64_t ud)
{
    struct ring_cqe c = {0};
    CHECK_EQ(capos_ring_wait(capos_rt_ring(), ud, CAP_ENTER_NO_TIMEOUT, &c),
             ERR_OK);
    return c;
}

/* Poll: is the completion of user_data there yet?  (*c gets it.) */
static inline bool t_done(uint64_t ud, struct ring_cqe *c)
{
    return capos_ring_wait(capos_rt_ring(), ud, 0, c) == ERR_OK;
}

/* Is cap_id in the table? */
static inline bool t_has_cap(uint32_t cap_id)
{
    static struct capos_cap_info info[64];
    uint32_t n = 0;
    CHECK_EQ(capos_capmgr_list(CAPOS_HANDLE(capos_capability_manager, t_cap("caps")), info, 64, &n), ERR_OK);
    for (uint32_t i = 0; i < n && i < 64; i++)
        if (info[i].cap_id == cap_id)
            return true;
    return false;
}

/* A fresh endpoint and one client facet of it. */
static inline void t_endpoint(uint32_t *ep, uint32_t *cl)
{
    CHECK_EQ(capos_process_spawner_new_endpoint(CAPOS_HANDLE(capos_process_spawner, t_cap("spawner")), (struct capos_endpoint *)(ep), NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, *ep), 0, (struct capos_client_endpoint *)(cl), NULL), ERR_OK);
}

/* Receive one call on ep and answer it with tag reply_tag; returns the
 * request's tag. */
static inline uint64_t t_serve_one(uint32_t ep, uint64_t reply_tag,
                                   uint64_t *session)
{
    static uint64_t buf[128];
    struct capos_request req;
    uint64_t w[16], tag;
    CHECK_EQ(capos_server_recv(ep, buf, sizeof buf, &req), ERR_OK);
    tag = t_tag(&req.in.msg);
    if (session)
        *session = req.session;
    struct capos_msgbuf m = t_msg(w, reply_tag, T_NOCAP);
    CHECK_EQ(capos_server_return(ep, req.call_id, m.words, m.len, NULL, 0),
             ERR_OK);
    return tag;
}
