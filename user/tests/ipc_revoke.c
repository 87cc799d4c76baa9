/*
 * ipc_revoke.c - IPC0004: Endpoint.revokeClients.  A call queued through
 * a facet minted before the revoke fails with REVOKED; new calls through
 * such facets fail with INVOKE_FAILED, aux REVOKED; nothing stays queued;
 * a facet minted after the revoke works.
 */
#include "ipc_t.h"

static uint64_t res[2][16];

int main(void)
{
    uint32_t ep = 0, c1 = 0, c2 = 0, c3 = 0, n = 9;
    uint64_t w[16];
    struct capos_msgbuf m = t_msg(w, 1, T_NOCAP);

    t_endpoint(&ep, &c1);
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&c2), NULL), ERR_OK);
    uint64_t queued = t_submit(c1, 0, &m, NULL, 0, res[0], 128);
    CHECK_EQ(capos_endpoint_revoke_clients(CAPOS_HANDLE(capos_endpoint, ep), NULL), ERR_OK);
    struct ring_cqe c = t_wait(queued);
    if (c.aux != ERR_REVOKED || c.result >= 0)
        printf("  queued call: result %d aux %u\n", c.result, c.aux);
    CHECK(c.result < 0);
    CHECK_EQ(c.aux, ERR_REVOKED);
    CHECK_EQ(capos_endpoint_pending(CAPOS_HANDLE(capos_endpoint, ep), &n, NULL), ERR_OK);
    CHECK_EQ(n, 0);
    for (int i = 0; i < 2; i++) {
        c = t_wait(t_submit(i ? c2 : c1, 0, &m, NULL, 0, res[1], 128));
        CHECK_EQ(c.result, CAP_ERR_INVOKE_FAILED);
        CHECK_EQ(c.aux, ERR_REVOKED);
    }
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&c3), NULL), ERR_OK);
    uint64_t ud = t_submit(c3, 0, &m, NULL, 0, res[1], 128);
    CHECK_EQ(t_serve_one(ep, 2, NULL), 1);
    c = t_wait(ud);
    CHECK_EQ(t_result_tag(&c, res[1], 128), 2);
    /* A revoked facet can still be released (its slot is freed). */
    uint32_t n0 = t_ncaps();
    err_t e1 = capos_release(c1), e2 = capos_release(c2);
    if (e1 != ERR_OK || e2 != ERR_OK)
        printf("  release of revoked facets: %s %s\n", err_name(e1),
               err_name(e2));
    CHECK_EQ(t_ncaps(), n0 - 2);
    CHECK_EQ(capos_release(c3), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
    return t_result();
}
