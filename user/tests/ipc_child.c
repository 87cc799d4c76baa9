/*
 * ipc_child.c - the child process of the IPC tests, spawned with
 * ProcessSpawner.spawn (never run as a test on its own).  What it does
 * depends on its CapSet:
 *   "ep" (Endpoint)           server: answers method 0 with tag + 1;
 *                             method 1 makes it exit(5) without answering
 *   "fill" (ClientEndpoint)   queue filler: queues 16 calls (tags 0..15),
 *                             waits for all; exit 0 iff each reply's tag
 *                             is 1000 + its own
 *   "cl" (ClientEndpoint)     dying caller: queues two calls, sleeps 50 ms
 *                             on "timer", exits(3) without waiting
 *   otherwise                 CapSet check: exit 0 iff the CapSet is
 *                             exactly console:Console, alpha:Timer,
 *                             beta:Console, in that order; else 1
 */
#include "ipc_t.h"

static uint64_t rbuf[128];
static uint64_t res[16][16];

/* Server mode: serve until told to exit. */
static int serve(uint32_t ep)
{
    struct capos_request req;
    uint64_t w[16];

    for (;;) {
        if (capos_server_recv(ep, rbuf, sizeof rbuf, &req) != ERR_OK)
            return 2;
        if (req.method == 1)
            return 5;
        struct capos_msgbuf m = t_msg(w, t_tag(&req.in.msg) + 1, T_NOCAP);
        if (capos_server_return(ep, req.call_id, m.words, m.len, NULL, 0) !=
            ERR_OK)
            return 2;
    }
}

/* Caller mode: leave two calls behind and die. */
static int die_calling(uint32_t cl)
{
    uint64_t w[16];
    uint32_t timer;

    for (int i = 0; i < 2; i++) {
        struct capos_msgbuf m = t_msg(w, 10 + (uint64_t)i, T_NOCAP);
        t_submit(cl, 0, &m, NULL, 0, res[i], sizeof res[i]);
    }
    if (capos_capset_find("timer", CAPOS_TIMER_INTERFACE_ID, &timer) == ERR_OK)
        capos_timer_sleep(CAPOS_HANDLE(capos_timer, timer), 50ull * 1000 * 1000, NULL);
    return 3;
}

/* Fill mode: 16 calls outstanding at once, every reply checked. */
static int fill_queue(uint32_t cl)
{
    uint64_t w[16], ud[16];

    for (int i = 0; i < 16; i++) {
        struct capos_msgbuf m = t_msg(w, (uint64_t)i, T_NOCAP);
        ud[i] = t_submit(cl, 0, &m, NULL, 0, res[i], sizeof res[i]);
    }
    for (int i = 0; i < 16; i++) {
        struct ring_cqe c = t_wait(ud[i]);
        if (t_result_tag(&c, res[i], sizeof res[i]) != 1000 + (uint64_t)i)
            return 1;
    }
    return t_result();
}

/* Check mode: the exact CapSet the spawn test asked for. */
static int check_capset(void)
{
    static const struct { const char *name; uint64_t iface; } want[] = {
        {"console", CAPOS_CONSOLE_INTERFACE_ID},
        {"alpha", CAPOS_TIMER_INTERFACE_ID},
        {"beta", CAPOS_CONSOLE_INTERFACE_ID},
    };
    uint64_t ns;

    if (capos_capset_count() != 3)
        return 1;
    for (uint32_t i = 0; i < 3; i++) {
        const struct capos_capset_entry *e = capos_capset_entry(i);
        if (strcmp(e->name, want[i].name) || e->interface_id != want[i].iface)
            return 1;
    }
    return capos_timer_now(CAPOS_HANDLE(capos_timer, capos_capset_entry(1)->cap_id), &ns, NULL) == ERR_OK ? 0 : 1;
}

int main(void)
{
    uint32_t cap;

    if (capos_capset_find("ep", CAPOS_ENDPOINT_INTERFACE_ID, &cap) == ERR_OK)
        return serve(cap);
    if (capos_capset_find("fill", CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, &cap) ==
        ERR_OK)
        return fill_queue(cap);
    if (capos_capset_find("cl", CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, &cap) ==
        ERR_OK)
        return die_calling(cap);
    return check_capset();
}
