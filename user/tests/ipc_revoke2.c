/*
 * ipc_revoke2.c - IPC0009: revocation reaches caps held by other processes
 * and calls already queued by them.  Child A holds a facet and calls after
 * the revoke; child B's call is queued (never received) when the revoke
 * happens and must be woken with REVOKED.  Both report by exit code.
 */
#include <capos/spawn.h>
#include "tspawn.h"

int main(void)
{
    uint32_t sp = t_cap("spawner"), timer = t_cap("timer"), ep = 0, fc = 0;
    uint32_t ha, hb, n = 0;
    CHECK_EQ(capos_process_spawner_new_endpoint(CAPOS_HANDLE(capos_process_spawner, sp), (struct capos_endpoint *)(&ep), NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&fc), NULL), ERR_OK);
    struct tgrant ga[2] = {{"svc", fc, CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, 0},
                           {"timer", timer, CAPOS_TIMER_INTERFACE_ID, 1}};
    struct tgrant gb[3] = {{"svc", fc, CAPOS_CLIENT_ENDPOINT_INTERFACE_ID, 0},
                           {"timer", timer, CAPOS_TIMER_INTERFACE_ID, 1},
                           {"early", timer, CAPOS_TIMER_INTERFACE_ID, 2}};
    CHECK_EQ(t_spawn(sp, "late", "revoke_child", ga, 2, &ha), ERR_OK);
    CHECK_EQ(t_spawn(sp, "early", "revoke_child", gb, 3, &hb), ERR_OK);
    for (int i = 0; i < 100 && n == 0; i++) {       /* B's call is queued */
        capos_timer_sleep(CAPOS_HANDLE(capos_timer, timer), 1000000ull, NULL);
        CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    }
    CHECK_EQ(n, 1);
    CHECK_EQ(capos_endpoint_revoke_clients(CAPOS_HANDLE(capos_endpoint, ep), NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, 0);
    CHECK_EQ(t_wait(hb), 0);
    CHECK_EQ(t_wait(ha), 0);
    /* The parent's own copy is revoked too; a new facet works. */
    uint8_t res[128] __attribute__((aligned(8)));
    struct ring_cqe c = raw(raw_call(fc, 0, 0, 0, (uintptr_t)res, sizeof res));
    CHECK_EQ(c.result, CAP_ERR_INVOKE_FAILED);
    CHECK_EQ(c.aux, ERR_REVOKED);
    CHECK_EQ(capos_release(fc), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    return t_result();
}
