/* SPDX-License-Identifier: MIT */
/*
 * kvstore.c - the demo key-value server (interface KeyValue in
 * schema/capos.capnp), written on the service framework (capos/serve.h).
 *
 * Theory of operation: the CapSet holds two Endpoints, "kv" (for ordinary
 * clients) and "admin" (whose callers may also call stats).  capos_serve
 * runs the handlers below through the generated KeyValue table for both;
 * a handler learns the caller's session and endpoint from its call
 * context.  Sessions are numbered #1, #2, ... as they open (first call)
 * and reported when the kernel says they closed; once no client facet of
 * either endpoint is left, capos_serve returns and the server exits 0 -
 * there is no shutdown method.  One argument is understood:
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
#define SHARED_MAX (1u << 20)
#define EP_KV 0
#define EP_ADMIN 1

struct entry {
    char key[KEY_MAX + 1];
    uint8_t val[VALUE_MAX];
    uint32_t len;
    bool used;
    /* A shared value (putShared): the client's MemoryObject, mapped
     * read-only here; get reads through the mapping (no copy). */
    struct capos_memory_object mo;
    uint64_t addr, size;
};

static struct entry store[MAX_ENTRIES];
static uint32_t max_entries = MAX_ENTRIES;   /* --max-entries=N */
static uint32_t nsessions, open_sessions;

/* The log number of the calling session. */
static uint32_t who(void *ctx)
{
    return (uint32_t)(uintptr_t)((struct capos_srv_call *)ctx)->session_state;
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

/* Forget e's shared value (unmap, release the MemoryObject). */
static void drop_shared(struct entry *e)
{
    if (!e->mo.cap)
        return;
    capos_memory_object_unmap(e->mo, e->addr, (e->size + 4095) & ~4095ull, NULL);
    capos_release(e->mo.cap);
    e->mo.cap = 0;
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
    struct capnp_text k = capos_key_value_put_params_get_key(p);
    struct capnp_data v = capos_key_value_put_params_get_value(p);
    bool ok;
    struct entry *e = lookup(k, &ok);

    if (!ok)
        return capos_serve_fail(ctx, ERR_INVAL, "key must be 1..32 bytes");
    if (v.len > VALUE_MAX)
        return capos_serve_fail(ctx, ERR_RANGE, "value longer than 256 bytes");
    capos_key_value_put_results_set_replaced(r, e != NULL);
    if (!e)
        e = free_entry();
    if (!e)
        return capos_serve_fail(ctx, ERR_FULL, "store full");
    printf("kvstore: #%u put \"%s\" (%u bytes)%s\n", who(ctx), k.str, v.len,
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
    struct capnp_text k = capos_key_value_get_params_get_key(p);
    bool ok;
    struct entry *e = lookup(k, &ok);

    if (!ok)
        return capos_serve_fail(ctx, ERR_INVAL, "key must be 1..32 bytes");
    printf("kvstore: #%u get \"%s\"%s\n", who(ctx), k.str,
           e ? "" : ": no such key");
    if (!e)
        return capos_serve_fail(ctx, ERR_NOTFOUND, "no such key");
    if (e->mo.cap)      /* read through the shared mapping: no copy */
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
    struct capnp_text k = capos_key_value_delete_params_get_key(p);
    bool ok;
    struct entry *e = lookup(k, &ok);

    (void)r;
    if (!ok)
        return capos_serve_fail(ctx, ERR_INVAL, "key must be 1..32 bytes");
    printf("kvstore: #%u delete \"%s\"%s\n", who(ctx), k.str,
           e ? "" : ": no such key");
    if (!e)
        return capos_serve_fail(ctx, ERR_NOTFOUND, "no such key");
    drop_shared(e);
    e->used = false;
    return ERR_OK;
}

static int kv_list(void *ctx, capos_key_value_list_params_r p,
                   capos_key_value_list_results_b r)
{
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
    printf("kvstore: #%u list: %u keys\n", who(ctx), n);
    return ERR_OK;
}

static int kv_stats(void *ctx, capos_key_value_stats_params_r p,
                    capos_key_value_stats_results_b r)
{
    struct capos_srv_call *c = ctx;

    (void)p;
    if (c->ep_index != EP_ADMIN) {
        printf("kvstore: #%u stats refused (not the admin endpoint)\n", who(ctx));
        return capos_serve_fail(ctx, ERR_PERM, "stats needs the admin endpoint");
    }
    capos_key_value_stats_results_set_served(r, c->srv->calls + 1);
    capos_key_value_stats_results_set_sessions(r, open_sessions);
    return ERR_OK;
}

/* Adopt and map the MemoryObject of putShared into e->mo, e->addr. */
static int take_shared(void *ctx, capos_key_value_put_shared_params_r p,
                       uint64_t size, struct entry *e)
{
    struct capos_srv_call *c = ctx;
    uint64_t pages = 0, osize = 0;
    uint32_t idx = capos_key_value_put_shared_params_get_value(p);

    if (size == 0 || size > SHARED_MAX)
        return capos_serve_fail(ctx, size ? ERR_RANGE : ERR_INVAL,
                                "size must be 1 byte..1 MiB");
    if (capos_take_memory_object(&c->req->in, idx, &e->mo))
        return capos_serve_fail(ctx, ERR_INVAL, "no MemoryObject in the call");
    err_t err = capos_memory_object_info(e->mo, &pages, &osize, NULL, NULL);
    if (!err && size > osize)
        err = ERR_INVAL;
    if (!err)
        err = capos_memory_object_map(e->mo, 0, 0, (size + 4095) & ~4095ull,
                                      CAPOS_PROT_READ, &e->addr, NULL);
    if (err) {
        capos_release(e->mo.cap);
        e->mo.cap = 0;
        return capos_serve_fail(ctx, err, "cannot map the shared value");
    }
    return ERR_OK;
}

static int kv_put_shared(void *ctx, capos_key_value_put_shared_params_r p,
                         capos_key_value_put_shared_results_b r)
{
    struct capnp_text k = capos_key_value_put_shared_params_get_key(p);
    uint64_t size = capos_key_value_put_shared_params_get_size(p), sum = 0;
    bool ok;
    struct entry *e = lookup(k, &ok), fresh = {.used = true, .size = size};

    if (!ok)
        return capos_serve_fail(ctx, ERR_INVAL, "key must be 1..32 bytes");
    if (!e && !(e = free_entry()))
        return capos_serve_fail(ctx, ERR_FULL, "store full");
    int code = take_shared(ctx, p, size, &fresh);
    if (code)
        return code;
    for (uint64_t i = 0; i < size; i++)
        sum += ((const uint8_t *)(uintptr_t)fresh.addr)[i];
    drop_shared(e);
    *e = fresh;
    memcpy(e->key, k.str, k.len);           /* zero-terminated by the reset */
    printf("kvstore: #%u putShared \"%s\": %llu bytes mapped at %#llx, no copy, "
           "checksum %llu\n", who(ctx), e->key, (unsigned long long)size,
           (unsigned long long)e->addr, (unsigned long long)sum);
    capos_key_value_put_shared_results_set_checksum(r, sum);
    return ERR_OK;
}

static const capos_key_value_server_t kv_server = {
    .put = kv_put, .get = kv_get, .delete = kv_delete, .list = kv_list,
    .stats = kv_stats, .put_shared = kv_put_shared,
};

/* A session's first call: give it the next log number. */
static void *opened(struct capos_srv_call *c)
{
    open_sessions++;
    printf("kvstore: session #%u opened on \"%s\"\n", ++nsessions,
           c->ep_index == EP_ADMIN ? "admin" : "kv");
    return (void *)(uintptr_t)nsessions;
}

/* The kernel says a session's last facet is gone. */
static void closed(struct capos_server *s, uint32_t ep, uint64_t session,
                   void *state)
{
    (void)s;
    (void)ep;
    (void)session;
    if (!state)
        return;                 /* a facet that never called */
    open_sessions--;
    printf("kvstore: session #%u closed\n", (uint32_t)(uintptr_t)state);
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
    struct capos_endpoint kv, admin;
    static struct capos_serve_ep eps[2];
    static struct capos_server srv = {.eps = eps, .neps = 2,
                                      .opened = opened, .closed = closed};

    if (capos_capset_get_endpoint("kv", &kv) ||
        capos_capset_get_endpoint("admin", &admin)) {
        printf("kvstore: needs Endpoints \"kv\" and \"admin\"\n");
        return 1;
    }
    if (!parse_args(argc, argv))
        return 2;
    eps[EP_KV] = (struct capos_serve_ep){kv.cap, capos_key_value_impl(&kv_server)};
    eps[EP_ADMIN] = (struct capos_serve_ep){admin.cap,
                                            capos_key_value_impl(&kv_server)};
    printf("kvstore: serving KeyValue on \"kv\" and \"admin\", at most %u keys\n",
           max_entries);
    err_t e = capos_serve(&srv);
    printf("kvstore: no clients left after %u calls: %s\n", srv.calls,
           e ? err_name(e) : "exiting");
    return e ? 1 : 0;
}
