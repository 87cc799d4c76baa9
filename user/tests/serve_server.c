/*
 * serve_server.c - the framework server of SERVE0001 (serve_test.c): a
 * small KeyValue (put, get, list, stats; the other methods are left out
 * and answer NOSYS) written only with capos_serve and the generated
 * table.  It checks the peer events it gets: every session closed exactly
 * once, sessions that never called reported with a NULL state (their
 * number must equal --unopened=N), and it stops at the no-clients event
 * (or after --stop-after=N calls).  Exit 0 iff the counts are right.
 */
#include <capos/capos.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEEN 64
#define VALUE_MAX 512

static struct { uint64_t id; int opened, closed; } seen[MAX_SEEN];
static uint32_t nseen, unopened, expect_unopened, stop_after, no_clients, bad;
static char key[32], value[VALUE_MAX];
static uint32_t key_len, value_len;

static int put(void *ctx, capos_key_value_put_params_r p,
               capos_key_value_put_results_b r)
{
    struct capnp_text k = capos_key_value_put_params_get_key(p);
    struct capnp_data v = capos_key_value_put_params_get_value(p);

    if (!k.len || k.len > sizeof key || v.len > VALUE_MAX)
        return capos_serve_fail(ctx, ERR_INVAL, "bad key or value");
    capos_key_value_put_results_set_replaced(r, key_len == k.len &&
                                                !memcmp(key, k.str, k.len));
    memcpy(key, k.str, key_len = k.len);
    memcpy(value, v.ptr, value_len = v.len);
    if (stop_after && ((struct capos_srv_call *)ctx)->srv->calls + 1 >= stop_after)
        capos_serve_stop(ctx);
    return ERR_OK;
}

static int get(void *ctx, capos_key_value_get_params_r p,
               capos_key_value_get_results_b r)
{
    struct capnp_text k = capos_key_value_get_params_get_key(p);

    if (k.len != key_len || memcmp(key, k.str, k.len))
        return capos_serve_fail(ctx, ERR_NOTFOUND, "no such key");
    capos_key_value_get_results_set_value(r, value, value_len);
    return ERR_OK;
}

static int list(void *ctx, capos_key_value_list_params_r p,
                capos_key_value_list_results_b r)
{
    (void)ctx;
    (void)p;
    struct capnp_list_builder l = capos_key_value_list_results_init_keys(r, 1);
    struct capnp_ptr_builder e = capnp_list_builder_ptr(&l, 0);
    capnp_ptr_set_text(&e, key, key_len);
    return ERR_OK;
}

static int stats(void *ctx, capos_key_value_stats_params_r p,
                 capos_key_value_stats_results_b r)
{
    uint32_t open = 0;

    (void)p;
    for (uint32_t i = 0; i < nseen; i++)
        open += seen[i].opened && !seen[i].closed;
    capos_key_value_stats_results_set_served(
        r, ((struct capos_srv_call *)ctx)->srv->calls + 1);
    capos_key_value_stats_results_set_sessions(r, open);
    return ERR_OK;
}

static const capos_key_value_server_t handlers = {
    .put = put, .get = get, .list = list, .stats = stats};

/* The record of session id (added if new; NULL if the table is full). */
static void *record(uint64_t id)
{
    for (uint32_t i = 0; i < nseen; i++)
        if (seen[i].id == id)
            return &seen[i];
    if (nseen == MAX_SEEN)
        return NULL;
    seen[nseen].id = id;
    return &seen[nseen++];
}

static void *opened(struct capos_srv_call *c)
{
    typeof(&seen[0]) s = record(c->session);
    if (!s || s->opened++ || s->closed)
        bad++;                  /* opened twice, or after its close */
    return s;
}

static void closed(struct capos_server *srv, uint32_t ep, uint64_t session,
                   void *state)
{
    (void)srv;
    (void)ep;
    typeof(&seen[0]) s = record(session);
    if (!state)
        unopened++;
    if (!s || s->closed++ || (state && state != s))
        bad++;                  /* closed twice, or state mixed up */
}

static bool on_no_clients(struct capos_server *srv, uint32_t ep)
{
    (void)srv;
    (void)ep;
    no_clients++;
    return true;
}

int main(int argc, char **argv)
{
    struct capos_endpoint ep;
    struct capos_serve_ep eps[1];
    struct capos_server srv = {.eps = eps, .neps = 1, .opened = opened,
                               .closed = closed, .no_clients = on_no_clients};
    uint32_t open = 0;

    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--unopened=", 11))
            expect_unopened = (uint32_t)atoi(argv[i] + 11);
        if (!strncmp(argv[i], "--stop-after=", 13))
            stop_after = (uint32_t)atoi(argv[i] + 13);
    }
    if (capos_capset_get_endpoint("ep", &ep))
        return 2;
    eps[0] = (struct capos_serve_ep){ep.cap, capos_key_value_impl(&handlers)};
    err_t e = capos_serve(&srv);
    for (uint32_t i = 0; i < nseen; i++)
        open += seen[i].opened && !seen[i].closed;
    printf("  serve_server: %s, %u calls (%u failed), %u sessions, %u open, "
           "%u never called, %u no-clients, %u bad\n", err_name(e), srv.calls,
           srv.errors, nseen, open, unopened, no_clients, bad);
    if (e || bad)
        return 1;
    if (stop_after)
        return 0;
    return open || unopened != expect_unopened || no_clients != 1 ? 1 : 0;
}
