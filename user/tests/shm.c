/*
 * shm.c - SHM0001: zero-copy bulk data between two processes.  The parent
 * fills a 1 MiB MemoryObject, sends the cap (copy) to a server process
 * over an endpoint; the server maps it and sums it in place.  The parent
 * then changes bytes through its own mapping and the server sees them on
 * the next call without any transfer (shared frames).  Frames come back
 * when both mappings and both caps are gone.
 */
#include <capos/spawn.h>
#include "memt.h"
#include "tspawn.h"

#define SIZE (1ull << 20)

static uint64_t reply[4];

/* One call to the server with an optional cap; returns the sum. */
static uint64_t ask(uint32_t fc, uint32_t mo)
{
    struct ring_xfer x = {.cap_id = mo, .mode = XFER_COPY};
    struct ring_sqe s = raw_call(fc, 0, 0, 0, (uintptr_t)reply, sizeof reply);
    if (mo) {
        s.xfer_count = 1;
        s.xfer_addr = (uintptr_t)&x;
    }
    struct ring_cqe c = raw(s);
    CHECK_EQ(c.result, 8);
    return reply[0];
}

int main(void)
{
    uint32_t sp = t_cap("spawner"), fa = t_cap("frames"), ep = 0, fc = 0, mo = 0, h = 0;
    uint64_t a = 0, during;
    CHECK_EQ(capos_process_spawner_new_endpoint(CAPOS_HANDLE(capos_process_spawner, sp), (struct capos_endpoint *)(&ep), NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)(&fc), NULL), ERR_OK);
    struct tgrant g[2] = {{"ep", ep, CAPOS_ENDPOINT_INTERFACE_ID, 0},
                          {"console", t_cap("console"), CAPOS_CONSOLE_INTERFACE_ID, 1}};
    CHECK_EQ(t_spawn(sp, "shm-server", "shm_server", g, 2, &h), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);         /* the server holds it */
    CHECK_EQ(fa_alloc(fa, SIZE / PG, &mo), ERR_OK);
    CHECK_EQ(mo_map(mo, 0, 0, SIZE, RW, &a), ERR_OK);
    during = fa_free(fa);
    uint8_t *p = (uint8_t *)(uintptr_t)a;
    for (uint64_t i = 0; i < SIZE; i++)
        p[i] = (uint8_t)i;
    uint64_t want = (SIZE / 256) * (255 * 256 / 2);
    CHECK_EQ(ask(fc, mo), want);
    p[0] = 200;                                   /* seen without a copy */
    CHECK_EQ(ask(fc, 0), want + 200);
    struct ring_cqe c = raw(raw_call(fc, 1, 0, 0, (uintptr_t)reply, sizeof reply));
    CHECK_EQ(c.result, 0);
    CHECK_EQ(t_wait(h), 0);
    CHECK_EQ(mo_unmap(mo, a, SIZE), ERR_OK);
    CHECK_EQ(capos_release(mo), ERR_OK);
    CHECK_EQ(capos_release(fc), ERR_OK);
    CHECK(fa_free(fa) >= during + SIZE / PG);     /* all 256 frames back */
    return t_result();
}
