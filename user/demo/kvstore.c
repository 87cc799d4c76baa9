/* SPDX-License-Identifier: MIT */
/*
 * kvstore.c - the demo key-value server (interface KeyValue in
 * schema/capos.capnp).
 *
 * Theory of operation: the CapSet holds two Endpoints, "kv" (for
 * ordinary clients) and "admin" (whose callers may also call shutdown).
 * One RECV is kept outstanding on each; the ring delivers whichever call
 * comes first (capos_ring_wait_any), the generated KeyValue dispatch runs
 * the handler, and the results (or a CapException) go back with RETURN;
 * then the RECV on that endpoint is renewed.  Clients are told apart only
 * by the session id the kernel attaches (one per client facet); the log
 * names sessions #1, #2, ... in order of first appearance.  shutdown on
 * the admin endpoint answers and then exits 0.  One argument is understood:
 * --max-entries=N (1..32, default 32) caps the number of keys.
 */
#include <capos/capos.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ENTRIES 32
#define KEY_MAX 32
#define VALUE_MAX 256
#define MAX_SESSIONS 16
#define RBUF_WORDS 128
#define REPLY_WORDS 256
#define RECV_UD(i) (UINT64_MAX - 8 + (i)) /* apart from capos_ring_user_data */

struct entry {
    char key[KEY_MAX + 1];
    uint8_t val[VALUE_MAX];
    uint32_t len;
    bool used;
    /* A shared value (putShared): the client's MemoryObject, mapped
     * read-only here; get reads through the mapping (no copy). */
    uint32_t mo;
    uint64_t addr, size;
};

#define SHARED_MAX (1u << 20)

struct ctx {
    struct capos_request *req; /* for caps transferred with the call */
    uint32_t who;         /* session number for the log */
    bool admin;           /* called on the admin endpoint */
    bool stop;            /* shutdown accepted */
    const char *why;      /* exception message */
};

static struct entry store[MAX_ENTRIES];
static uint32_t max_entries = MAX_ENTRIES;   /* --max-entries=N */
static struct { uint32_t ep; uint64_t id; } sessions[MAX_SESSIONS];
static uint32_t nsessions, served;

/* Small number for session s of endpoint ep (session ids are unique per
 * endpoint only); 0 if the table is full. */
static uint32_t session_no(uint32_t ep, uint64_t s)
{
    for (uint32_t i = 0; i < nsessions; i++)
        if (sessions[i].ep == ep && sessions[i].id == s)
            return i + 1;
    if (nsessions == MAX_SESSIONS)
        return 0;
    sessions[nsessions].ep = ep;
    sessions[nsessions++].id = s;
    printf("kvstore: new session #%u on \"%s\"\n", nsessions,
           ep ? "admin" : "kv");
    return nsessions;
}

/* The entry for key t, or NULL; *ok false for a bad key. */
static struct entry *lookup(struct capnp_text t, bool *ok)
{
    *ok = t.str && t.len > 0 && t.len <= KEY_MAX;
    for (uint32_t i = 0; *ok && i < max_entries; i++)
        if (store[i].used && strlen(store[i].key) == t.len &&
            !memcmp(store[i].key, t.str, t.len))
            return &store[i];
    return NULL;
}

static int fail(struct ctx *c, int code, const char *why)
{
    c->why = why;
    return code;
}

/* Forget e's shared value (unmap, release the MemoryObject). */
static void drop_shared(struct entry *e)
{
    if (!e->mo)
        return;
    capos_memobj_unmap(e->mo, e->addr, (e->size + 4095) & ~4095ull);
    capos_release(e->mo);
    e->mo = 0;
}

/* A free entry for a new key, or NULL. */
static struct entry *free_entry(void)
{
    for (uint32_t i = 0; i < max_entries; i++)
        if (!store[i].used)
            return &store[i];
    return NULL;
}

static int kv_put(void *ctx, capos_key_value_put_params_r p,
                  capos_key_value_put_results_b r)
{
    struct ctx *c = ctx;
    struct capnp_text k = capos_key_value_put_params_get_key(p);
    struct capnp_data v = capos_key_value_put_params_get_value(p);
    bool ok;
    struct entry *e = lookup(k, &ok);

    if (!ok)
        return fail(c, ERR_INVAL, "key must be 1..32 bytes");
    if (v.len > VALUE_MAX)
        return fail(c, ERR_RANGE, "value longer than 256 bytes");
    capos_key_value_put_results_set_replaced(r, e != NULL);
    if (!e)
        e = free_entry();
    if (!e)
        return fail(c, ERR_FULL, "store full (32 entries)");
    printf("kvstore: #%u put \"%s\" (%u bytes)%s\n", c->who, k.str, v.len,
           e->used ? ", replacing" : "");
    drop_shared(e);
    memcpy(e->key, k.str, k.len);
    e->key[k.len] = 0;
    memcpy(e->val, v.ptr, v.len);
    e->len = v.len;
    e->used = true;
    return ERR_OK;
}

static int kv_get(void *ctx, capos_key_value_get_params_r p,
                  capos_key_value_get_results_b r)
{
    struct ctx *c = ctx;
    struct capnp_text k = capos_key_value_get_params_get_key(p);
    bool ok;
    struct entry *e = lookup(k, &ok);

    if (!ok)
        return fail(c, ERR_INVAL, "key must be 1..32 bytes");
    printf("kvstore: #%u get \"%s\"%s\n", c->who, k.str, e ? "" : ": no such key");
    if (!e)
        return fail(c, ERR_NOTFOUND, "no such key");
    if (e->mo)          /* read through the shared mapping: no copy */
        capos_key_value_get_results_set_value(
            r, (const void *)(uintptr_t)e->addr,
            (uint32_t)(e->size < VALUE_MAX ? e->size : VALUE_MAX));
    else
        capos_key_value_get_results_set_value(r, e->val, e->len);
    return ERR_OK;
}

static int kv_delete(void *ctx, capos_key_value_delete_params_r p,
                     capos_key_value_delete_results_b r)
{
    struct ctx *c = ctx;
    struct capnp_text k = capos_key_value_delete_params_get_key(p);
    bool ok;
    struct entry *e = lookup(k, &ok);

    (void)r;
    if (!ok)
        return fail(c, ERR_INVAL, "key must be 1..32 bytes");
    printf("kvstore: #%u delete \"%s\"%s\n", c->who, k.str,
           e ? "" : ": no such key");
    if (!e)
        return fail(c, ERR_NOTFOUND, "no such key");
    drop_shared(e);
    e->used = false;
    return ERR_OK;
}

static int kv_list(void *ctx, capos_key_value_list_params_r p,
                   capos_key_value_list_results_b r)
{
    struct ctx *c = ctx;
    uint32_t n = 0, k = 0;
    struct capnp_list_builder l;

    (void)p;
    for (uint32_t i = 0; i < max_entries; i++)
        n += store[i].used;
    l = capos_key_value_list_results_init_keys(r, n);
    for (uint32_t i = 0; i < max_entries; i++) {
        struct capnp_ptr_builder pb = capnp_list_builder_ptr(&l, k);
        if (!store[i].used)
            continue;
        capnp_ptr_set_text(&pb, store[i].key, (uint32_t)strlen(store[i].key));
        k++;
    }
    printf("kvstore: #%u list: %u keys\n", c->who, n);
    return ERR_OK;
}

static int kv_shutdown(void *ctx, capos_key_value_shutdown_params_r p,
                       capos_key_value_shutdown_results_b r)
{
    struct ctx *c = ctx;

    (void)p;
    if (!c->admin) {
        printf("kvstore: #%u shutdown refused (not the admin endpoint)\n",
               c->who);
        return fail(c, ERR_PERM, "shutdown needs the admin endpoint");
    }
    printf("kvstore: #%u shutdown after %u calls\n", c->who, served + 1);
    capos_key_value_shutdown_results_set_served(r, served + 1);
    c->stop = true;
    return ERR_OK;
}

/* Adopt and map the MemoryObject of putShared; *mo, *addr on success. */
static int take_shared(struct ctx *c, capos_key_value_put_shared_params_r p,
                       uint64_t size, uint32_t *mo, uint64_t *addr)
{
    uint64_t pages = 0, osize = 0;
    uint32_t idx = capos_key_value_put_shared_params_get_value(p);
    if (size == 0 || size > SHARED_MAX)
        return fail(c, size ? ERR_RANGE : ERR_INVAL, "size must be 1 byte..1 MiB");
    if (capos_msg_caps_take(&c->req->in, idx, CAPOS_MEMORY_OBJECT_INTERFACE_ID, mo))
        return fail(c, ERR_INVAL, "no MemoryObject in the call");
    err_t e = capos_memobj_info(*mo, &pages, &osize);
    if (!e && size > osize)
        e = ERR_INVAL;
    if (!e)
        e = capos_memobj_map(*mo, 0, 0, (size + 4095) & ~4095ull, CAPOS_PROT_READ, addr);
    if (e) {
        capos_release(*mo);
        return fail(c, e, "cannot map the shared value");
    }
    return ERR_OK;
}

static int kv_put_shared(void *ctx, capos_key_value_put_shared_params_r p,
                         capos_key_value_put_shared_results_b r)
{
    struct ctx *c = ctx;
    struct capnp_text k = capos_key_value_put_shared_params_get_key(p);
    uint64_t size = capos_key_value_put_shared_params_get_size(p), addr = 0, sum = 0;
    uint32_t mo = 0;
    bool ok;
    struct entry *e = lookup(k, &ok);
    if (!ok)
        return fail(c, ERR_INVAL, "key must be 1..32 bytes");
    if (!e && !(e = free_entry()))
        return fail(c, ERR_FULL, "store full (32 entries)");
    int code = take_shared(c, p, size, &mo, &addr);
    if (code)
        return code;
    for (uint64_t i = 0; i < size; i++)
        sum += ((const uint8_t *)(uintptr_t)addr)[i];
    drop_shared(e);
    *e = (struct entry){.used = true, .mo = mo, .addr = addr, .size = size};
    memcpy(e->key, k.str, k.len);           /* zero-terminated by the reset */
    printf("kvstore: #%u putShared \"%s\": %llu bytes mapped at %#llx, no copy, "
           "checksum %llu\n", c->who, e->key, (unsigned long long)size,
           (unsigned long long)addr, (unsigned long long)sum);
    capos_key_value_put_shared_results_set_checksum(r, sum);
    return ERR_OK;
}

static const capos_key_value_server_t kv_server = {
    .put = kv_put, .get = kv_get, .delete = kv_delete, .list = kv_list,
    .shutdown = kv_shutdown, .put_shared = kv_put_shared,
};

/* Run one request and RETURN its results or exception. */
static err_t answer(uint32_t ep, uint32_t which, struct capos_request *req,
                    struct ctx *c)
{
    static uint64_t w[REPLY_WORDS];
    struct capos_msgbuf m;
    struct capnp_builder *b = capos_msg_begin(&m, w, REPLY_WORDS);
    int code;

    c->who = session_no(which, req->session);
    c->req = req;
    code = capnp_msg_error(&req->in.msg) != CAPNP_OK
               ? fail(c, ERR_BADFORMAT, "malformed params")
               : capos_key_value_dispatch(&kv_server, c, req->method,
                                          &req->in.msg, b);
    if (code == ERR_NOSYS && !c->why)
        c->why = "no such method";
    /* Caps a client sent along are not used: do not keep them. */
    (void)capos_msg_caps_release_rest(&req->in);
    served++;
    if (code == ERR_OK && capos_msg_finish(&m) == ERR_OK)
        return capos_server_return(ep, req->call_id, m.words, m.len, NULL, 0);
    return capos_server_return_error(ep, req->call_id,
                                     code ? (err_t)code : ERR_TOOSMALL, c->why);
}

/* Apply the arguments; false (after saying why) on a bad one. */
static bool parse_args(int argc, char **argv)
{
    static const char opt[] = "--max-entries=";
    for (int i = 1; i < argc; i++) {
        int v = strncmp(argv[i], opt, sizeof opt - 1) ? 0
                                                      : atoi(argv[i] + sizeof opt - 1);
        if (v < 1 || v > MAX_ENTRIES) {
            printf("kvstore: bad argument \"%s\" (want --max-entries=1..%u)\n",
                   argv[i], MAX_ENTRIES);
            return false;
        }
        max_entries = (uint32_t)v;
    }
    return true;
}

int main(int argc, char **argv)
{
    static uint64_t rbuf[2][RBUF_WORDS];
    uint32_t ep[2];
    struct capos_request req;
    struct ring_cqe cqe;

    if (capos_capset_find("kv", CAPOS_ENDPOINT_INTERFACE_ID, &ep[0]) ||
        capos_capset_find("admin", CAPOS_ENDPOINT_INTERFACE_ID, &ep[1])) {
        printf("kvstore: needs Endpoints \"kv\" and \"admin\"\n");
        return 1;
    }
    if (!parse_args(argc, argv))
        return 2;
    printf("kvstore: serving KeyValue on \"kv\" and \"admin\", at most %u keys\n",
           max_entries);
    for (uint32_t i = 0; i < 2; i++)
        if (capos_server_recv_submit(ep[i], rbuf[i], sizeof rbuf[i], RECV_UD(i)) != ERR_OK)
            return 1;
    for (;;) {
        struct ctx c = {0};
        err_t e;
        if (capos_ring_wait_any(capos_rt_ring(), CAP_ENTER_NO_TIMEOUT, &cqe) ||
            cqe.user_data < RECV_UD(0) || cqe.user_data > RECV_UD(1))
            return 1;
        uint32_t i = (uint32_t)(cqe.user_data - RECV_UD(0));
        if (capos_server_parse(&cqe, rbuf[i], sizeof rbuf[i], &req) != ERR_OK)
            return 1;
        c.admin = i == 1;
        e = answer(ep[i], i, &req, &c);
        if (e != ERR_OK)
            printf("kvstore: RETURN: %s\n", err_name(e));
        if (c.stop)
            return 0;
        if (capos_server_recv_submit(ep[i], rbuf[i], sizeof rbuf[i], RECV_UD(i)) != ERR_OK)
            return 1;
    }
}
