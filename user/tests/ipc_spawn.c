/*
 * ipc_spawn.c - IPC0007: ProcessSpawner.spawn with hostile arguments.
 * Each failure has its exact code and leaves the caller's table as it was
 * (a MOVE in a failed spawn does not happen): unknown binary (NOTFOUND),
 * malformed ELF (BADFORMAT), grant cap index outside the transfer list
 * (INVAL), wrong interface id (WRONGTYPE), duplicate grant names (INVAL),
 * a ProcessHandle grant (INVOKE_FAILED/PERM).  A good spawn gives the
 * child exactly its grants in order (ipc_child checks and exits 0), a
 * moved grant leaves the parent, and the handle reports pid and exit code.
 */
#include "ipc_t.h"

static uint64_t pw[256];
static uint64_t res[64];

struct raw_grant {
    const char *name;
    uint32_t index;       /* into the transfer list */
    uint64_t iface;
};

/* Spawn with explicit cap indices; returns the completion. */
static struct ring_cqe spawn_raw(const char *binary, const struct raw_grant *g,
                                 uint32_t n, const struct ring_xfer *x,
                                 uint32_t nx)
{
    struct capos_msgbuf m;
    capos_process_spawner_spawn_params_b p =
        capos_process_spawner_spawn_params_init_root(capos_msg_begin(&m, pw, 256));
    capos_process_spawner_spawn_params_set_name(p, "hostile", 7);
    capos_process_spawner_spawn_params_set_binary(p, binary,
                                                  (uint32_t)strlen(binary));
    capos_spawn_grant_blist l = capos_process_spawner_spawn_params_init_grants(p, n);
    for (uint32_t i = 0; i < n; i++) {
        capos_spawn_grant_b b = capos_spawn_grant_blist_at(l, i);
        struct capnp_ptr_builder s = capos_spawn_grant_slot_cap(b);
        capos_spawn_grant_set_name(b, g[i].name, (uint32_t)strlen(g[i].name));
        capos_spawn_grant_set_interface_id(b, g[i].iface);
        capnp_ptr_set_cap_index(&s, g[i].index);
    }
    CHECK_EQ(capos_msg_finish(&m), ERR_OK);
    struct ring_cqe c = {0};
    capos_call_xfer(t_cap("spawner"), CAPOS_PROCESS_SPAWNER_METHOD_SPAWN,
                    m.words, m.len, x, nx, res, sizeof res, &c);
    return c;
}

/* spawn_raw must fail with (result, aux) and change nothing. */
static void must_fail(const char *what, const char *binary,
                      const struct raw_grant *g, uint32_t n,
                      const struct ring_xfer *x, uint32_t nx, int32_t result,
                      uint32_t aux)
{
    uint32_t n0 = t_ncaps();
    struct ring_cqe c = spawn_raw(binary, g, n, x, nx);
    if (c.result != result || c.aux != aux)
        printf("  %s: got result %d aux %u (%s)\n", what, c.result, c.aux,
               err_name((int)c.aux));
    CHECK_EQ(c.result, result);
    CHECK_EQ(c.aux, aux);
    CHECK_EQ(c.cap_count, 0);
    CHECK_EQ(t_ncaps(), n0);
    for (uint32_t i = 0; i < nx; i++)
        CHECK(t_has_cap(x[i].cap_id));
}

static void hostile(void)
{
    const int32_t EXC = CAP_ERR_APPLICATION_EXCEPTION;
    struct ring_xfer x[2] = {{t_cap("console"), XFER_COPY},
                             {t_cap("timer"), XFER_MOVE}};
    struct raw_grant ok[2] = {{"console", 0, CAPOS_CONSOLE_INTERFACE_ID},
                              {"timer", 1, CAPOS_TIMER_INTERFACE_ID}};
    struct raw_grant g[2];

    must_fail("unknown binary", "nosuch", ok, 2, x, 2, EXC, ERR_NOTFOUND);
    must_fail("malformed ELF", "bad_truncated", ok, 2, x, 2, EXC,
              ERR_BADFORMAT);
    must_fail("bad magic", "bad_magic", ok, 2, x, 2, EXC, ERR_BADFORMAT);
    g[0] = ok[0];
    g[1] = (struct raw_grant){"timer", 2, CAPOS_TIMER_INTERFACE_ID};
    must_fail("index out of range", "exit_code", g, 2, x, 2, EXC, ERR_INVAL);
    g[1] = (struct raw_grant){"timer", 1, CAPOS_CONSOLE_INTERFACE_ID};
    must_fail("wrong interface", "exit_code", g, 2, x, 2, EXC, ERR_WRONGTYPE);
    g[1] = (struct raw_grant){"console", 1, CAPOS_TIMER_INTERFACE_ID};
    must_fail("duplicate name", "exit_code", g, 2, x, 2, EXC, ERR_INVAL);
}

/* A ProcessHandle cannot be granted. */
static void handle_not_transferable(void)
{
    uint32_t h = 0;
    int64_t code = 0;
    const struct capos_spawn_grant g = {"console", t_cap("console"),
                                        CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY};
    CHECK_EQ(capos_spawner_spawn(t_cap("spawner"), "seven", "exit_code", &g, 1,
                                 &h), ERR_OK);
    struct ring_xfer x[1] = {{h, XFER_COPY}};
    struct raw_grant hg[1] = {{"h", 0, CAPOS_PROCESS_HANDLE_INTERFACE_ID}};
    must_fail("ProcessHandle grant", "exit_code", hg, 1, x, 1,
              CAP_ERR_INVOKE_FAILED, ERR_PERM);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(code, 7);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);   /* exited: at once */
    CHECK_EQ(code, 7);
    CHECK_EQ(capos_release(h), ERR_OK);
}

/* A good spawn: exact CapSet in the child, MOVE leaves the parent. */
static void good(void)
{
    uint32_t h = 0, pid = 0, t2 = 0;
    int64_t code = -1;
    uint64_t ns;

    struct capos_spawn_grant g[3] = {
        {"console", t_cap("console"), CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
        {"alpha", t_cap("timer"), CAPOS_TIMER_INTERFACE_ID, XFER_COPY},
        {"beta", t_cap("console"), CAPOS_CONSOLE_INTERFACE_ID, XFER_COPY},
    };
    CHECK_EQ(capos_spawner_spawn(t_cap("spawner"), "check", "ipc_child", g, 3,
                                 &h), ERR_OK);
    CHECK_EQ(capos_process_handle_pid(CAPOS_HANDLE(capos_process_handle, h), &pid, NULL), ERR_OK);
    CHECK(pid != 0 && pid != capos_rt_pid());
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(code, 0);
    CHECK_EQ(capos_release(h), ERR_OK);
    CHECK(t_has_cap(t_cap("timer")));
    /* MOVE: the parent's timer goes to the child. */
    t2 = t_cap("timer");
    g[1].mode = XFER_MOVE;
    CHECK_EQ(capos_spawner_spawn(t_cap("spawner"), "check2", "ipc_child", g, 3,
                                 &h), ERR_OK);
    CHECK(!t_has_cap(t2));
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, t2), &ns, NULL), ERR_BADCAP);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(code, 0);
    CHECK_EQ(capos_release(h), ERR_OK);
}

int main(void)
{
    hostile();
    handle_not_transferable();
    good();
    return t_result();
}
