/* SPDX-License-Identifier: MIT */
/*
 * kv.c - KeyValue client stubs (see kv.h).
 */
#include <stdio.h>
#include <string.h>

#include "kv.h"

#define PW 64        /* params words: key + 256-byte value fit */
#define RW 128       /* result words: a value or the key list */

char kv_last_error[CAPOS_EXCEPTION_MSG_MAX];
static uint64_t res[RW];

/* Frame m, call method, open the result into *msg. */
static err_t kv_call(uint32_t cap, uint16_t method, struct capos_msgbuf *m,
                     struct capnp_msg *msg)
{
    struct ring_cqe cqe;
    struct capos_exception ex;
    err_t e;

    kv_last_error[0] = 0;
    if ((e = capos_msg_finish(m)) != ERR_OK)
        return e;
    e = capos_call(cap, method, m->words, m->len, res, sizeof(res), &cqe);
    if (e != ERR_OK) {
        if (capos_exception_decode(&cqe, res, sizeof(res), &ex) == ERR_OK) {
            strlcpy(kv_last_error, ex.message, sizeof(kv_last_error));
            return ex.code ? (err_t)ex.code : e;
        }
        return e;
    }
    return capos_msg_read(msg, res, (size_t)cqe.result);
}

err_t kv_put(uint32_t cap, const char *key, const void *val, uint32_t len,
             bool *replaced)
{
    uint64_t w[PW];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    capos_key_value_put_params_b p =
        capos_key_value_put_params_init_root(capos_msg_begin(&m, w, PW));
    err_t e;

    capos_key_value_put_params_set_key(p, key, (uint32_t)strlen(key));
    capos_key_value_put_params_set_value(p, val, len);
    if ((e = kv_call(cap, CAPOS_KEY_VALUE_METHOD_PUT, &m, &msg)) != ERR_OK)
        return e;
    if (replaced)
        *replaced = capos_key_value_put_results_get_replaced(
            capos_key_value_put_results_read_root(&msg));
    return ERR_OK;
}

err_t kv_get(uint32_t cap, const char *key, char *buf, uint32_t *len)
{
    uint64_t w[PW];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct capnp_data d;
    capos_key_value_get_params_b p =
        capos_key_value_get_params_init_root(capos_msg_begin(&m, w, PW));
    err_t e;

    capos_key_value_get_params_set_key(p, key, (uint32_t)strlen(key));
    if ((e = kv_call(cap, CAPOS_KEY_VALUE_METHOD_GET, &m, &msg)) != ERR_OK)
        return e;
    d = capos_key_value_get_results_get_value(
        capos_key_value_get_results_read_root(&msg));
    if (capnp_msg_error(&msg) != CAPNP_OK || d.len > KV_VALUE_MAX)
        return ERR_BADFORMAT;
    memcpy(buf, d.ptr, d.len);
    buf[d.len] = 0;
    *len = d.len;
    return ERR_OK;
}

err_t kv_delete(uint32_t cap, const char *key)
{
    uint64_t w[PW];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    capos_key_value_delete_params_b p =
        capos_key_value_delete_params_init_root(capos_msg_begin(&m, w, PW));

    capos_key_value_delete_params_set_key(p, key, (uint32_t)strlen(key));
    return kv_call(cap, CAPOS_KEY_VALUE_METHOD_DELETE, &m, &msg);
}

err_t kv_list(uint32_t cap, char *out, size_t max)
{
    uint64_t w[8];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct capnp_list l;
    size_t used = 0;
    err_t e;

    capos_key_value_list_params_init_root(capos_msg_begin(&m, w, 8));
    if ((e = kv_call(cap, CAPOS_KEY_VALUE_METHOD_LIST, &m, &msg)) != ERR_OK)
        return e;
    l = capos_key_value_list_results_get_keys(
        capos_key_value_list_results_read_root(&msg));
    out[0] = 0;
    for (uint32_t i = 0; i < capnp_list_len(&l); i++) {
        struct capnp_ptr p = capnp_list_ptr(&l, i);
        struct capnp_text t = capnp_ptr_read_text(&p, (struct capnp_text){0});
        used += (size_t)snprintf(out + used, used < max ? max - used : 0,
                                 "%s%s", i ? ", " : "", t.str ? t.str : "");
    }
    return capnp_msg_error(&msg) == CAPNP_OK ? ERR_OK : ERR_BADFORMAT;
}

err_t kv_shutdown(uint32_t cap, uint32_t *served)
{
    uint64_t w[8];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    err_t e;

    capos_key_value_shutdown_params_init_root(capos_msg_begin(&m, w, 8));
    if ((e = kv_call(cap, CAPOS_KEY_VALUE_METHOD_SHUTDOWN, &m, &msg)) != ERR_OK)
        return e;
    *served = capos_key_value_shutdown_results_get_served(
        capos_key_value_shutdown_results_read_root(&msg));
    return ERR_OK;
}

err_t kv_put_shared(uint32_t cap, const char *key, uint32_t mo, uint64_t size,
                    uint64_t *checksum)
{
    uint64_t w[16];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    struct capos_exception ex;
    struct ring_xfer x = {.cap_id = mo, .mode = XFER_COPY};
    capos_key_value_put_shared_params_b p =
        capos_key_value_put_shared_params_init_root(capos_msg_begin(&m, w, 16));
    capos_key_value_put_shared_params_set_key(p, key, (uint32_t)strlen(key));
    capos_key_value_put_shared_params_set_value(p, 0);     /* xfer[0] */
    capos_key_value_put_shared_params_set_size(p, size);
    kv_last_error[0] = 0;
    err_t e = capos_msg_finish(&m);
    if (!e)
        e = capos_call_xfer(cap, CAPOS_KEY_VALUE_METHOD_PUT_SHARED, m.words,
                            m.len, &x, 1, res, sizeof(res), &cqe);
    if (e) {
        if (capos_exception_decode(&cqe, res, sizeof(res), &ex) == ERR_OK) {
            strlcpy(kv_last_error, ex.message, sizeof(kv_last_error));
            return ex.code ? (err_t)ex.code : e;
        }
        return e;
    }
    if ((e = capos_msg_read(&msg, res, (size_t)cqe.result)) != ERR_OK)
        return e;
    *checksum = capos_key_value_put_shared_results_get_checksum(
        capos_key_value_put_shared_results_read_root(&msg));
    return ERR_OK;
}
