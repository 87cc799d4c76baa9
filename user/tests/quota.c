/*
 * quota.c - the quota tree and ProcessHandle.kill (issue 9 item 6;
 * docs/capabilities.md, "Quotas").
 *
 * QUOTA0001: a child holding only a spawner ("hog", quota 3,072 frames,
 * 6 processes) spawns hogs until its quota refuses, each of which does
 * the same and then blocks forever (spawns are carved: the hog holds two
 * children of 1,024 frames, its children none).  Without the carving it
 * would spawn until the machine's memory is gone.  Meanwhile the test (the victim)
 * still spawns and waits for a child of its own, the frames the hog's
 * subtree took stay within the hog's quota, and killing the hog ends its
 * whole subtree; every frame comes back.
 *
 * KILL0001: kill ends a child blocked anywhere: in Timer.sleep, in a bare
 * cap_enter wait, in an Endpoint RECV, in a CALL nobody answers, in
 * ProcessHandle.wait for its own child (which dies with it), and one
 * spinning without system calls.  Each exits with -137; a second kill of
 * an exited process does nothing; frames and caps are back to baseline.
 */
#include "memt.h"
#include "tspawn.h"

#define HOG_FRAMES 3072u
#define FOREVER 3600000000000ull    /* 1 h */

static uint32_t spawner, timer, fa;

/* Block in cap_enter until killed. */
__attribute__((noreturn)) static int block_forever(void)
{
    struct ring_cqe c;
    for (;;)
        capos_ring_wait_any(capos_rt_ring(), CAP_ENTER_NO_TIMEOUT, &c);
}

/* hog: spawn hogs (only a spawner each) until refused, then block. */
static int hog(void)
{
    uint32_t sp = t_cap("spawner"), h;
    struct tgrant g = {"spawner", sp, CAPOS_PROCESS_SPAWNER_INTERFACE_ID, 0};
    while (t_spawn(sp, "hog", "quota", &g, 1, &h) == ERR_OK)
        ;
    return block_forever();
}

/* The child roles of KILL0001, by name. */
static int child(const char *role)
{
    if (!strcmp(role, "sleeper"))
        return capos_timer_sleep(CAPOS_HANDLE(capos_timer, t_cap("timer")), FOREVER, NULL) ? 3 : 4;
    if (!strcmp(role, "blocker"))
        return block_forever();
    if (!strcmp(role, "receiver")) {
        static uint64_t buf[64];
        struct capos_request req;
        return capos_server_recv(t_cap("ep"), buf, sizeof buf, &req) ? 3 : 4;
    }
    if (!strcmp(role, "caller")) {
        uint64_t res[16];
        struct ring_cqe c;
        return capos_call(t_cap("svc"), 0, NULL, 0, res, sizeof res, &c) ? 3 : 4;
    }
    if (!strcmp(role, "spinner"))
        for (;;)
            ;
    if (!strcmp(role, "parent")) {     /* waits for its own sleeper */
        uint32_t h = 0;
        int64_t code = 0;
        struct tgrant g = {"timer", t_cap("timer"), CAPOS_TIMER_INTERFACE_ID, 0};
        if (t_spawn(t_cap("spawner"), "sleeper", "quota", &g, 1, &h))
            return 5;
        return capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL) ? 3 : 4;
    }
    return 9;
}

/* Frames free once dead processes are reaped. */
static uint64_t settled_free(void)
{
    CHECK_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, timer), 20000000ull, NULL), ERR_OK);
    return fa_free(fa);
}

/* Spawn the quota binary as `role` with grants g[n] and quota q. */
static uint32_t spawn_role(const char *role, const struct capos_spawn_grant *g,
                           uint32_t n, const struct capos_quota *q)
{
    uint32_t h = 0;
    CHECK_EQ(capos_spawner_spawn_quota(spawner, role, "quota", g, n, NULL, 0, q,
                                      &h), ERR_OK);
    return h;
}

/* Kill h, which must then exit with -137; release it. */
static void kill_and_reap(uint32_t h, const char *role)
{
    int64_t code = 0;
    CHECK_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, timer), 30000000ull, NULL), ERR_OK);   /* let it block */
    CHECK_EQ(capos_process_handle_kill(CAPOS_HANDLE(capos_process_handle, h), NULL), ERR_OK);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    if (code != -137)
        printf("  %s exited with %lld\n", role, (long long)code);
    CHECK_EQ(code, -137);
    CHECK_EQ(capos_process_handle_kill(CAPOS_HANDLE(capos_process_handle, h), NULL), ERR_OK);    /* exited: nothing happens */
    CHECK_EQ(capos_release(h), ERR_OK);
}

static void quota0001(void)
{
    uint64_t base = settled_free();
    struct capos_spawn_grant g = {"spawner", spawner,
                                  CAPOS_PROCESS_SPAWNER_INTERFACE_ID, XFER_COPY};
    struct capos_quota q = {.frames = HOG_FRAMES, .processes = 6, .threads = 6};
    uint32_t hog_h = spawn_role("hog", &g, 1, &q);
    CHECK_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, timer), 200000000ull, NULL), ERR_OK);
    uint64_t used = base - fa_free(fa);
    printf("  the hog's subtree holds %llu frames (quota %u)\n",
           (unsigned long long)used, HOG_FRAMES);
    CHECK(used > 0 && used <= HOG_FRAMES);
    /* The victim's own spawns still work. */
    uint32_t h = 0;
    struct tgrant none = {"none", 0, 0, 0};
    CHECK_EQ(t_spawn(spawner, "seven", "exit_code", &none, 0, &h), ERR_OK);
    CHECK_EQ(t_wait(h), 7);
    /* A quota the caller cannot hold, and out-of-range fields. */
    struct capos_quota big = {.frames = 1u << 30};
    CHECK_EQ(capos_spawner_spawn_quota(spawner, "big", "exit_code", NULL, 0,
                                      NULL, 0, &big, &h), ERR_QUOTA);
    struct capos_quota slots = {.cap_slots = 257};
    CHECK_EQ(capos_spawner_spawn_quota(spawner, "slots", "exit_code", NULL, 0,
                                      NULL, 0, &slots, &h), ERR_RANGE);
    struct capos_quota tiny = {.frames = 8};
    CHECK_EQ(capos_spawner_spawn_quota(spawner, "tiny", "exit_code", NULL, 0,
                                      NULL, 0, &tiny, &h), ERR_QUOTA);
    kill_and_reap(hog_h, "hog");
    CHECK_EQ(settled_free(), base);
}

static void kill0001(void)
{
    uint32_t ep = 0, cl = 0, ncaps = t_ncaps();
    uint64_t base = settled_free();
    CHECK_EQ(capos_process_spawner_new_endpoint(CAPOS_HANDLE(capos_process_spawner, spawner), (struct capos_endpoint *)&ep, NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)&cl, NULL), ERR_OK);
    struct capos_spawn_grant tg = {"timer", timer, CAPOS_TIMER_INTERFACE_ID,
                                   XFER_COPY};
    struct capos_spawn_grant eg = {"ep", ep, CAPOS_ENDPOINT_INTERFACE_ID,
                                   XFER_COPY};
    struct capos_spawn_grant cg = {"svc", cl, CAPOS_CLIENT_ENDPOINT_INTERFACE_ID,
                                   XFER_COPY};
    struct capos_spawn_grant pg[2] = {
        {"timer", timer, CAPOS_TIMER_INTERFACE_ID, XFER_COPY},
        {"spawner", spawner, CAPOS_PROCESS_SPAWNER_INTERFACE_ID, XFER_COPY}};
    struct capos_quota two = {.frames = 2048, .processes = 2, .threads = 2};
    kill_and_reap(spawn_role("sleeper", &tg, 1, NULL), "sleeper");
    kill_and_reap(spawn_role("blocker", NULL, 0, NULL), "blocker");
    kill_and_reap(spawn_role("receiver", &eg, 1, NULL), "receiver");
    kill_and_reap(spawn_role("caller", &cg, 1, NULL), "caller");
    kill_and_reap(spawn_role("spinner", NULL, 0, NULL), "spinner");
    kill_and_reap(spawn_role("parent", pg, 2, &two), "parent");
    CHECK_EQ(capos_release(cl), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    CHECK_EQ(t_ncaps(), ncaps);
    CHECK_EQ(settled_free(), base);
}

int main(int argc, char **argv)
{
    const char *me = argc > 0 ? argv[0] : "";
    if (!strcmp(me, "hog"))
        return hog();
    if (strcmp(me, "QUOTA0001") && strcmp(me, "KILL0001"))
        return child(me);
    spawner = t_cap("spawner");
    timer = t_cap("timer");
    fa = t_cap("frames");
    if (!strcmp(me, "QUOTA0001"))
        quota0001();
    else
        kill0001();
    return t_result();
}
