/*
 * serve_client.c - a client of SERVE0001 (serve_test.c) on the generated
 * KeyValue stubs; what it does is its first argument: "calls" (20 put/get
 * rounds with its own key), "fault" (one call, then a null dereference),
 * "relay" (moves its facet to a child "calls" client and waits for it).
 */
#include "t.h"

static void calls(struct capos_key_value kv)
{
    char k[16], v[16];
    struct capnp_data got = {0};
    CAPOS_REPLY(rep, 64);

    snprintf(k, sizeof k, "k%llu", (unsigned long long)capos_rt_pid());
    for (int i = 0; i < 20; i++) {
        int n = snprintf(v, sizeof v, "v%d", i);
        CHECK_EQ(capos_key_value_put(kv, k, strlen(k), v, (size_t)n, NULL, NULL),
                 ERR_OK);
        err_t e = capos_key_value_get(kv, k, strlen(k), &got, &rep);
        /* Another client may have put its key in between. */
        CHECK(e == ERR_OK || e == ERR_NOTFOUND);
    }
}

static int relay(struct capos_key_value kv)
{
    struct capos_console con;
    uint32_t h = 0;
    int64_t code = -1;
    CHECK_EQ(capos_capset_get_console("console", &con), ERR_OK);
    struct capos_spawn_grant g[2] = {
        {"console", con.cap, CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {"kv", kv.cap, CAPOS_KEY_VALUE_INTERFACE_ID, XFER_MOVE},
    };
    const char *args[] = {"calls"};
    CHECK_EQ(capos_spawner_spawn_args(t_cap("spawner"), "relayed",
                                      "serve_client", g, 2, args, 1, &h),
             ERR_OK);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h),
                                       &code, NULL), ERR_OK);
    CHECK_EQ(code, 0);
    CHECK_EQ(capos_release(h), ERR_OK);
    /* The facet left with the child: it is not ours any more. */
    CHECK_EQ(capos_key_value_list(kv, NULL, NULL), ERR_BADCAP);
    return t_result();
}

int main(int argc, char **argv)
{
    struct capos_key_value kv;

    if (argc < 2 || capos_capset_get_key_value("kv", &kv))
        return 2;
    if (!strcmp(argv[1], "relay"))
        return relay(kv);
    if (!strcmp(argv[1], "fault")) {
        CHECK_EQ(capos_key_value_put(kv, "f", 1, "x", 1, NULL, NULL), ERR_OK);
        *(volatile int *)0 = 1;             /* killed: its facet closes */
    }
    calls(kv);
    return t_result();
}
