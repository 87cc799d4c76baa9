/*
 * revoke_child.c - child of IPC0009.  With a cap named "early" it CALLs
 * "svc" at once (the call waits in the queue until the parent revokes);
 * otherwise it waits 50 ms first (the revoke has happened by then).  Either
 * way the call must fail with REVOKED: exit 0 if it did, 1 if not.
 */
#include <capos/spawn.h>
#include "t.h"

static uint8_t res[256] __attribute__((aligned(8)));

int main(void)
{
    uint32_t svc = t_cap("svc"), id;
    bool early = capos_capset_find("early", CAPOS_TIMER_INTERFACE_ID, &id) == ERR_OK;
    if (!early)
        capos_timer_sleep(CAPOS_HANDLE(capos_timer, t_cap("timer")), 50000000ull, NULL);
    struct ring_cqe c = raw(raw_call(svc, 1, 0, 0, (uintptr_t)res, sizeof res));
    bool revoked = (c.result == CAP_ERR_INVOKE_FAILED ||
                    c.result == CAP_ERR_APPLICATION_EXCEPTION) &&
                   c.aux == ERR_REVOKED;
    return revoked && !t_failures ? 0 : 1;
}
