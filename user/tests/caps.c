/*
 * caps.c - CAP0001..: capability ids and the table.
 * Bad, zero and all-ones CapIds fail with BADCAP; a released cap's id is
 * stale (BADCAP) and stays so after its slot is reused; double release
 * fails; a method ordinal beyond the interface is "unimplemented"; CapSet
 * lookup checks the interface; CapabilityManager lists exactly the table.
 */
#include "t.h"

static void bad_ids(uint32_t con)
{
    /* zero, all ones, another generation of the console's slot, a slot
     * never used, and an index beyond the table. */
    uint32_t bad[] = {0, 0xffffffffu, con ^ 0x00100000u, (con & ~0xfffu) | 200u,
                      (con & ~0xfffu) | 0xfffu};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ring_cqe c = raw(raw_call(bad[i], 0, 0, 0, 0, 0));
        CHECK_EQ(c.result, CAP_ERR_INVOKE_FAILED);
        CHECK_EQ(c.aux, ERR_BADCAP);
    }
}

static void stale_ids(void)
{
    uint32_t timer = t_cap("timer"), caps = t_cap("caps");
    uint64_t ns;
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &ns, NULL), ERR_OK);
    CHECK_EQ(capos_release(timer), ERR_OK);
    CHECK_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, timer), &ns, NULL), ERR_BADCAP);
    CHECK_EQ(capos_release(timer), ERR_BADCAP);
    /* Listing now shows one cap fewer and never the stale id. */
    struct capos_cap_info info[8];
    uint32_t n = 0;
    CHECK_EQ(capos_capmgr_list(CAPOS_HANDLE(capos_capability_manager, caps), info, 8, &n), ERR_OK);
    CHECK_EQ(n, capos_capset_count() - 1);
    for (uint32_t i = 0; i < n; i++)
        CHECK(info[i].cap_id != timer);
}

static void list_matches_capset(void)
{
    struct capos_cap_info info[8];
    uint32_t n = 0;
    CHECK_EQ(capos_capmgr_list(CAPOS_HANDLE(capos_capability_manager, t_cap("caps")), info, 8, &n), ERR_OK);
    CHECK_EQ(n, capos_capset_count());
    for (uint32_t i = 0; i < n && i < capos_capset_count(); i++) {
        const struct capos_capset_entry *e = capos_capset_entry(i);
        CHECK_EQ(info[i].cap_id, e->cap_id);
        CHECK_EQ(info[i].interface_id, e->interface_id);
        CHECK(!strcmp(info[i].name, e->name));
    }
}

int main(void)
{
    uint32_t con = t_cap("console"), id;
    bad_ids(con);
    CHECK_EQ(capos_capset_find("console", CAPOS_CONSOLE_INTERFACE_ID, &id), ERR_OK);
    CHECK_EQ(id, con);
    CHECK_EQ(capos_capset_find("console", CAPOS_TIMER_INTERFACE_ID, &id),
             ERR_WRONGTYPE);
    CHECK_EQ(capos_capset_find("nosuch", CAPOS_TIMER_INTERFACE_ID, &id),
             ERR_NOTFOUND);
    /* Method ordinal beyond Console's two methods. */
    uint8_t res[256] __attribute__((aligned(8)));
    struct ring_cqe c = raw(raw_call(con, 9, 0, 0, (uintptr_t)res, sizeof res));
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_NOSYS);
    struct capos_exception ex;
    CHECK_EQ(capos_exception_decode(&c, res, sizeof res, &ex), ERR_OK);
    CHECK_EQ(ex.type, CAPOS_EXCEPTION_TYPE_UNIMPLEMENTED);
    list_matches_capset();
    stale_ids();
    /* RELEASE of a bad id. */
    c = raw((struct ring_sqe){.opcode = RING_OP_RELEASE, .cap_id = 12345});
    CHECK_EQ(c.result, CAP_ERR_INVOKE_FAILED);
    CHECK_EQ(c.aux, ERR_BADCAP);
    return t_result();
}
