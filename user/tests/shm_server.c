/*
 * shm_server.c - child of SHM0001: serves its endpoint ("ep").  Method 0
 * carries a MemoryObject (copy transfer) on the first call: the server
 * maps it read-only once and, on every call, returns the sum of its bytes
 * read in place (no copy).  Method 1 ends the server.
 */
#include "memt.h"
#include "t.h"

static uint64_t buf[64];

/* Sum n bytes at a (the shared mapping). */
static uint64_t sum(const volatile uint8_t *a, uint64_t n)
{
    uint64_t s = 0;
    for (uint64_t i = 0; i < n; i++)
        s += a[i];
    return s;
}

int main(void)
{
    uint32_t ep = t_cap("ep");
    uint64_t map = 0, size = 0;
    for (;;) {
        struct ring_cqe c = raw((struct ring_sqe){
            .opcode = RING_OP_RECV, .cap_id = ep,
            .result_addr = (uintptr_t)buf, .result_len = sizeof buf});
        if (c.result < 0)
            return 2;
        struct ring_recv_info info;
        memcpy(&info, buf, sizeof info);
        if (info.method_id == 1) {
            raw((struct ring_sqe){.opcode = RING_OP_RETURN, .cap_id = ep,
                                  .call_id = c.call_id});
            return 0;
        }
        if (info.cap_count == 1 && !map) {
            struct ring_cap_rec rec;
            memcpy(&rec, (uint8_t *)buf + sizeof info + ((info.msg_len + 7) & ~7u),
                   sizeof rec);
            uint64_t pages = 0, phys = 0;
            CHECK_EQ(mo_info(rec.cap_id, &pages, &size, &phys), ERR_OK);
            CHECK_EQ(mo_map(rec.cap_id, 0, 0, size, R, &map), ERR_OK);
        }
        uint64_t s = map ? sum((const volatile uint8_t *)(uintptr_t)map, size) : 0;
        printf("shm-server: call with %u cap(s): sum of %llu shared bytes = %llu\n",
               info.cap_count, (unsigned long long)size, (unsigned long long)s);
        raw((struct ring_sqe){.opcode = RING_OP_RETURN, .cap_id = ep,
                              .call_id = c.call_id, .addr = (uintptr_t)&s,
                              .len = sizeof s});
    }
}
