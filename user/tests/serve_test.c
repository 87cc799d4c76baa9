/*
 * serve_test.c - SERVE0001: a service written only with the framework
 * (serve_server.c) serving many clients (serve_client.c).  Four clients
 * at once, one killed by a fault after a call, one that moves its facet
 * to a child and one facet released without a call: each session is
 * reported closed exactly once (the server checks and exits 1
 * otherwise), after the calls queued before it.  Through its own facet
 * the driver checks the documented errors: another interface's method
 * (WRONGTYPE, never reaching the server), a result too large for its
 * buffer (TOOSMALL), a malformed request, params larger than the
 * server's receive buffer and an unknown method (precise exceptions, the
 * server goes on), then releases its facet: the last
 * one, so the server gets "no more clients" and exits 0.  A second
 * server stops after one call: a call after its exit is DISCONNECTED.
 * Its second endpoint serves rpc_test's Tester: a capability sent with a
 * call comes back twice with the results (adopted after an interface
 * check on both sides).
 */
#include <rpc_test.capnp.rpc.h>

#include "t.h"

#define NCLIENTS 4

static CAPOS_REPLY(rep, 160);

/* Spawn binary with console, cap (moved) and, if extra, one more grant. */
static uint32_t start_with(const char *name, const char *binary,
                           const char *arg, const char *cap_name, uint32_t cap,
                           uint64_t iface, const struct capos_spawn_grant *extra)
{
    uint32_t h = 0;
    struct capos_spawn_grant g[3] = {
        {"console", t_cap("console"), CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {cap_name, cap, iface, XFER_MOVE},
    };
    if (extra)
        g[2] = *extra;
    const char *args[] = {arg};
    /* A child given an extra grant (the spawner) may start one of its own:
     * room for it in the quota it is carved. */
    static const struct capos_quota two = {.frames = 2048, .processes = 2,
                                           .threads = 2};
    CHECK_EQ(capos_spawner_spawn_quota(t_cap("spawner"), name, binary, g,
                                       extra ? 3 : 2, args, 1,
                                       extra ? &two : NULL, &h), ERR_OK);
    return h;
}

/* start_with, the extra grant being the spawner if asked. */
static uint32_t start(const char *name, const char *binary, const char *arg,
                      const char *cap_name, uint32_t cap, uint64_t iface,
                      bool spawner)
{
    const struct capos_spawn_grant sp = {"spawner", t_cap("spawner"),
                                         CAPOS_PROCESS_SPAWNER_INTERFACE_ID,
                                         XFER_COPY};
    return start_with(name, binary, arg, cap_name, cap, iface,
                      spawner ? &sp : NULL);
}

/* Tester.caps: a Counter facet goes to the server and comes back twice. */
static void caps_round_trip(struct capos_endpoint tester_ep,
                            struct capos_process_spawner sp)
{
    struct capos_endpoint other = {0};
    struct capos_client_endpoint f = {0}, t = {0};
    struct rpc_test_counter a = {0}, b = {0};
    struct capos_key_value wrong = {0};

    CHECK_EQ(capos_process_spawner_new_endpoint(sp, &other, NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_make_client(other, RPC_TEST_COUNTER_INTERFACE_ID,
                                        &f, NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_make_client(tester_ep, RPC_TEST_TESTER_INTERFACE_ID,
                                        &t, NULL), ERR_OK);
    struct rpc_test_tester tst = CAPOS_HANDLE(rpc_test_tester, t.cap);
    CHECK_EQ(rpc_test_tester_caps(tst, CAPOS_HANDLE(rpc_test_counter, f.cap),
                                  3, &a, &b, &rep), ERR_OK);
    CHECK(a.cap != 0 && b.cap != 0 && a.cap != b.cap);
    /* A cap of another interface (a KeyValue facet) is refused by the
     * server's adoption check. */
    CHECK_EQ(capos_endpoint_make_client(other, CAPOS_KEY_VALUE_INTERFACE_ID,
                                        (struct capos_client_endpoint *)&wrong,
                                        NULL), ERR_OK);
    CHECK_EQ(rpc_test_tester_caps(tst, CAPOS_HANDLE(rpc_test_counter,
                                                    wrong.cap), 3, &a, &b,
                                  &rep), ERR_INVAL);
    CHECK(!strcmp(capos_reply_message(&rep), "no Counter in the call"));
    CHECK_EQ(capos_release(wrong.cap), ERR_OK);
    CHECK_EQ(capos_release(a.cap), ERR_OK);
    CHECK_EQ(capos_release(b.cap), ERR_OK);
    CHECK_EQ(capos_release(f.cap), ERR_OK);
    CHECK_EQ(capos_release(t.cap), ERR_OK);   /* tester's last facet */
    CHECK_EQ(capos_release(other.cap), ERR_OK);
}

static int64_t finish(uint32_t h)
{
    int64_t code = -1;
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h),
                                       &code, NULL), ERR_OK);
    CHECK_EQ(capos_release(h), ERR_OK);
    return code;
}

/* A KeyValue facet of ep. */
static struct capos_key_value facet(struct capos_endpoint ep)
{
    struct capos_client_endpoint c = {0};
    CHECK_EQ(capos_endpoint_make_client(ep, CAPOS_KEY_VALUE_INTERFACE_ID, &c,
                                        NULL), ERR_OK);
    return CAPOS_HANDLE(capos_key_value, c.cap);
}

/* Errors through the driver's own facet; the server keeps serving. */
static void errors(struct capos_key_value kv)
{
    static char big[400];
    struct capnp_data d = {0};
    uint32_t served = 0, open = 0;
    CAPOS_REPLY(small, 48);       /* 16 words of params, 32 for results */

    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, kv.cap), NULL, &rep),
             ERR_WRONGTYPE);
    memset(big, 'b', sizeof big);
    CHECK_EQ(capos_key_value_put(kv, "big", 3, big, sizeof big, NULL, &rep),
             ERR_OK);
    CHECK_EQ(capos_key_value_get(kv, "big", 3, &d, &small), ERR_TOOSMALL);
    CHECK_EQ(capos_key_value_get(kv, "big", 3, &d, &rep), ERR_OK);
    CHECK_EQ(d.len, sizeof big);
    /* A malformed request: a segment table claiming 1000 words. */
    static const uint64_t junk[2] = {0x000003e800000000ull, 0};
    struct ring_sqe s = raw_call(kv.cap, CAPOS_KEY_VALUE_METHOD_GET,
                                 (uintptr_t)junk, sizeof junk,
                                 (uintptr_t)rep.buf, 512);
    struct ring_cqe c = raw(s);
    struct capos_exception ex;
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_BADFORMAT);
    CHECK_EQ(capos_exception_decode(&c, rep.buf, 512, &ex), ERR_OK);
    CHECK(!strcmp(ex.message, "malformed params"));
    /* Params larger than the server's 8 KiB receive buffer: served
     * (refused by the handler), and the server goes on. */
    static char huge[9000];
    static CAPOS_REPLY(bigrep, 1200);
    CHECK_EQ(capos_key_value_put(kv, "h", 1, huge, sizeof huge, NULL, &bigrep),
             ERR_INVAL);
    CHECK(!strcmp(capos_reply_message(&bigrep), "bad key or value"));
    s.method_id = 40;
    s.len = 0;
    c = raw(s);
    CHECK_EQ(c.aux, ERR_NOSYS);
    CHECK_EQ(capos_key_value_delete(kv, "big", 3, &rep), ERR_NOSYS);
    CHECK(!strcmp(capos_reply_message(&rep), "ERR_NOSYS") ||
          capos_reply_message(&rep)[0]);
    /* Still serving; every other session is closed by now (their close
     * events were queued before this call). */
    CHECK_EQ(capos_key_value_stats(kv, &served, &open, NULL), ERR_OK);
    CHECK_EQ(open, 1);
    CHECK(served > NCLIENTS * 40);
}

static void after_exit(struct capos_process_spawner sp)
{
    struct capos_endpoint ep = {0};
    CHECK_EQ(capos_process_spawner_new_endpoint(sp, &ep, NULL), ERR_OK);
    struct capos_key_value kv = facet(ep);
    uint32_t h = start("server2", "serve_server", "--stop-after=1", "ep",
                       ep.cap, CAPOS_ENDPOINT_INTERFACE_ID, false);
    CHECK_EQ(capos_key_value_put(kv, "a", 1, "b", 1, NULL, NULL), ERR_OK);
    CHECK_EQ(finish(h), 0);
    CHECK_EQ(capos_key_value_put(kv, "a", 1, "b", 1, NULL, &rep),
             ERR_DISCONNECTED);
    CHECK_EQ(capos_release(kv.cap), ERR_OK);
}

int main(void)
{
    struct capos_process_spawner sp;
    struct capos_endpoint ep = {0}, tep = {0};
    struct capos_key_value f[NCLIENTS + 4];
    uint32_t h[NCLIENTS];

    CHECK_EQ(capos_capset_get_process_spawner("spawner", &sp), ERR_OK);
    CHECK_EQ(capos_process_spawner_new_endpoint(sp, &ep, NULL), ERR_OK);
    CHECK_EQ(capos_process_spawner_new_endpoint(sp, &tep, NULL), ERR_OK);
    for (uint32_t i = 0; i < NCLIENTS + 4; i++)
        f[i] = facet(ep);
    const struct capos_spawn_grant tg = {"tester", tep.cap,
                                         CAPOS_ENDPOINT_INTERFACE_ID, XFER_COPY};
    uint32_t server = start_with("server", "serve_server", "--unopened=1", "ep",
                                 ep.cap, CAPOS_ENDPOINT_INTERFACE_ID, &tg);
    caps_round_trip(tep, sp);
    CHECK_EQ(capos_release(tep.cap), ERR_OK);  /* only the server has it now */
    CHECK_EQ(capos_release(f[NCLIENTS + 3].cap), ERR_OK);   /* never calls */
    for (uint32_t i = 0; i < NCLIENTS; i++)
        h[i] = start("client", "serve_client", "calls", "kv", f[i].cap,
                     CAPOS_KEY_VALUE_INTERFACE_ID, false);
    for (uint32_t i = 0; i < NCLIENTS; i++)
        CHECK_EQ(finish(h[i]), 0);
    CHECK(finish(start("faulter", "serve_client", "fault", "kv",
                       f[NCLIENTS].cap, CAPOS_KEY_VALUE_INTERFACE_ID,
                       false)) < 0);
    CHECK_EQ(finish(start("relay", "serve_client", "relay", "kv",
                          f[NCLIENTS + 1].cap, CAPOS_KEY_VALUE_INTERFACE_ID,
                          true)), 0);
    errors(f[NCLIENTS + 2]);
    CHECK_EQ(capos_release(f[NCLIENTS + 2].cap), ERR_OK);  /* the last one */
    CHECK_EQ(finish(server), 0);
    after_exit(sp);
    return t_result();
}
