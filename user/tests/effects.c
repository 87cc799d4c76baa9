/*
 * effects.c - a completion that is not a success means the call had no
 * effect (issue 9 items 2 and 3; docs/capabilities.md).
 *
 * EFFECT0001: every method that creates something (allocFrame,
 * allocContiguous, newEndpoint, makeClient, subrange, VirtualMemory.map,
 * MemoryObject.map, spawn) called with a result buffer that is unmapped,
 * read-only, or mapped only at its start completes with exactly
 * INVALID_RESULT_BUFFER / FAULT, and nothing stays: no cap in the table,
 * no frame taken, no mapping (the same fixed address maps afterwards), no
 * child (the spawned "spinner" has no timer and would spin forever: the
 * driver's process leak check would see it), a MOVEd cap usable again.
 *
 * EFFECT0002: spawn with the caller's table full fails with QUOTA before
 * the child ever runs; the cap it would have MOVEd stays the caller's and
 * usable; with one slot free the same spawn succeeds and the move commits.
 */
#include "memt.h"
#include "tspawn.h"

#define SCRATCH (MMAP_BASE + 0x2000000)     /* two pages, second unmapped */
#define FIXED (MMAP_BASE + 0x3000000)       /* map's fixed hint */

static uint32_t fa, vm, spawner, timer;
static uint64_t bad_addr[3];
static const uint32_t bad_len[3] = {64, 256, 64};

/* Frames free once dead processes are reaped (a sleep lets the reaper
 * run). */
static uint64_t settled_free(void)
{
    CHECK_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, timer), 20000000ull, NULL), ERR_OK);
    return fa_free(fa);
}

/* Call `method` of cap with mc's params, results to [raddr, +rlen). */
static struct ring_cqe call_to(struct mt_call *mc, uint32_t cap,
                               uint16_t method, uint64_t raddr, uint32_t rlen)
{
    CHECK_EQ(capos_msg_finish(&mc->m), ERR_OK);
    return raw(raw_call(cap, method, (uintptr_t)mc->m.words, mc->m.len,
                        raddr, rlen));
}

/* The completion of a refused result buffer, exactly. */
static void check_refused(const struct ring_cqe *c, const char *what)
{
    if (c->result != CAP_ERR_INVALID_RESULT_BUFFER || c->aux != ERR_FAULT)
        printf("  %s: result %d aux %u\n", what, c->result, c->aux);
    CHECK_EQ(c->result, CAP_ERR_INVALID_RESULT_BUFFER);
    CHECK_EQ(c->aux, ERR_FAULT);
    CHECK_EQ(c->cap_count, 0);
}

/* One params-builder per creating method; `arg` is the target cap. */
static struct ring_cqe creator(int k, uint32_t arg, uint64_t ra, uint32_t rl)
{
    struct mt_call mc;
    struct capnp_builder *b = mt_begin(&mc);
    switch (k) {
    case 0:
        capos_frame_allocator_alloc_frame_params_init_root(b);
        return call_to(&mc, fa, CAPOS_FRAME_ALLOCATOR_METHOD_ALLOC_FRAME, ra, rl);
    case 1:
        capos_frame_allocator_alloc_contiguous_params_set_count(
            capos_frame_allocator_alloc_contiguous_params_init_root(b), 4);
        return call_to(&mc, fa, CAPOS_FRAME_ALLOCATOR_METHOD_ALLOC_CONTIGUOUS,
                       ra, rl);
    case 2:
        capos_process_spawner_new_endpoint_params_init_root(b);
        return call_to(&mc, spawner, CAPOS_PROCESS_SPAWNER_METHOD_NEW_ENDPOINT,
                       ra, rl);
    case 3:
        capos_endpoint_make_client_params_init_root(b);
        return call_to(&mc, arg, CAPOS_ENDPOINT_METHOD_MAKE_CLIENT, ra, rl);
    case 4: {
        capos_memory_object_subrange_params_b p =
            capos_memory_object_subrange_params_init_root(b);
        capos_memory_object_subrange_params_set_offset(p, 0);
        capos_memory_object_subrange_params_set_size(p, PG);
        return call_to(&mc, arg, CAPOS_MEMORY_OBJECT_METHOD_SUBRANGE, ra, rl);
    }
    case 5: {
        capos_virtual_memory_map_params_b p =
            capos_virtual_memory_map_params_init_root(b);
        capos_virtual_memory_map_params_set_hint(p, FIXED);
        capos_virtual_memory_map_params_set_size(p, 4 * PG);
        capos_virtual_memory_map_params_set_prot(p, RW);
        return call_to(&mc, vm, CAPOS_VIRTUAL_MEMORY_METHOD_MAP, ra, rl);
    }
    default: {
        capos_memory_object_map_params_b p =
            capos_memory_object_map_params_init_root(b);
        capos_memory_object_map_params_set_hint(p, FIXED);
        capos_memory_object_map_params_set_size(p, PG);
        capos_memory_object_map_params_set_prot(p, RW);
        return call_to(&mc, arg, CAPOS_MEMORY_OBJECT_METHOD_MAP, ra, rl);
    }
    }
}

static const char *const creator_name[7] = {
    "allocFrame", "allocContiguous", "newEndpoint", "makeClient", "subrange",
    "VirtualMemory.map", "MemoryObject.map"};

/* FIXED is free: a map there works (and is undone). */
static void check_fixed_free(void)
{
    uint64_t a = 0;
    CHECK_EQ(vm_map(vm, FIXED, 4 * PG, RW, &a), ERR_OK);
    CHECK_EQ(a, FIXED);
    CHECK_EQ(vm_range(vm, CAPOS_VIRTUAL_MEMORY_METHOD_UNMAP, FIXED, 4 * PG, 0),
             ERR_OK);
}

static void effect0001(void)
{
    uint32_t ep = 0, mo = 0, moved = 0;
    uint64_t a = 0;
    CHECK_EQ(capos_process_spawner_new_endpoint(CAPOS_HANDLE(capos_process_spawner, spawner), (struct capos_endpoint *)&ep, NULL), ERR_OK);
    CHECK_EQ(fa_alloc(fa, 0, &mo), ERR_OK);
    CHECK_EQ(fa_alloc(fa, 0, &moved), ERR_OK);
    CHECK_EQ(vm_map(vm, SCRATCH, 2 * PG, RW, &a), ERR_OK);
    CHECK_EQ(vm_range(vm, CAPOS_VIRTUAL_MEMORY_METHOD_UNMAP, SCRATCH + PG, PG, 0),
             ERR_OK);
    bad_addr[0] = SCRATCH + PG;                         /* unmapped */
    bad_addr[1] = SCRATCH + PG - 16;                    /* runs off its page */
    bad_addr[2] = (uintptr_t)&effect0001 & ~(PG - 1);   /* read-only text */
    check_fixed_free();                 /* page tables of FIXED exist now */
    uint32_t ncaps = t_ncaps();
    uint64_t free0 = settled_free();
    for (int k = 0; k < 7; k++)
        for (int b = 0; b < 3; b++) {
            struct ring_cqe c = creator(k, k == 3 ? ep : mo, bad_addr[b],
                                        bad_len[b]);
            check_refused(&c, creator_name[k]);
        }
    for (int b = 0; b < 3; b++) {
        struct tgrant g = {"mo", moved, CAPOS_MEMORY_OBJECT_INTERFACE_ID, 0};
        struct ring_cqe c = t_spawn_cqe(spawner, "spinner", "spinner", &g, 1,
                                        XFER_MOVE, NULL, 0, bad_addr[b],
                                        bad_len[b]);
        check_refused(&c, "spawn");
    }
    uint64_t pages = 0, size = 0, pa = 0;
    CHECK_EQ(mo_info(moved, &pages, &size, &pa), ERR_OK);    /* not BUSY, still ours */
    CHECK_EQ(t_ncaps(), ncaps);
    CHECK_EQ(settled_free(), free0);
    check_fixed_free();
    /* The same calls with a good buffer succeed (the test can fail). */
    struct ring_cqe c = creator(0, 0, (uintptr_t)tspawn_res, sizeof tspawn_res);
    CHECK(c.result >= 0 && c.cap_count == 1);
    CHECK_EQ(capos_release(c.cap0.cap_id), ERR_OK);
    CHECK_EQ(vm_range(vm, CAPOS_VIRTUAL_MEMORY_METHOD_UNMAP, SCRATCH, PG, 0),
             ERR_OK);
    CHECK_EQ(capos_release(moved), ERR_OK);
    CHECK_EQ(capos_release(mo), ERR_OK);
    CHECK_EQ(capos_release(ep), ERR_OK);
}

static void effect0002(void)
{
    uint32_t fill[64], n = 0, moved = 0;
    CHECK_EQ(fa_alloc(fa, 0, &moved), ERR_OK);
    uint64_t free0 = settled_free();
    while (n < 64 && fa_alloc(fa, 0, &fill[n]) == ERR_OK)
        n++;
    CHECK(n > 0 && n < 64);
    uint64_t free1 = settled_free();
    struct tgrant g = {"mo", moved, CAPOS_MEMORY_OBJECT_INTERFACE_ID, 0};
    struct ring_cqe c = t_spawn_cqe(spawner, "spinner", "spinner", &g, 1,
                                    XFER_MOVE, NULL, 0, (uintptr_t)tspawn_res,
                                    sizeof tspawn_res);
    CHECK_EQ(c.result, CAP_ERR_APPLICATION_EXCEPTION);
    CHECK_EQ(c.aux, ERR_QUOTA);
    CHECK_EQ(c.cap_count, 0);
    uint64_t pages = 0, size = 0, pa = 0;
    CHECK_EQ(mo_info(moved, &pages, &size, &pa), ERR_OK);    /* usable, not BUSY */
    CHECK_EQ(settled_free(), free1);                    /* no child */
    /* One slot free: the same spawn (of a child that exits) works. */
    CHECK_EQ(capos_release(fill[--n]), ERR_OK);
    uint32_t h = 0;
    c = t_spawn_cqe(spawner, "exit7", "exit_code", &g, 1, XFER_MOVE, NULL, 0,
                    (uintptr_t)tspawn_res, sizeof tspawn_res);
    CHECK(c.result >= 0 && c.cap_count == 1);
    h = c.cap0.cap_id;
    CHECK_EQ(t_wait(h), 7);
    CHECK_EQ(mo_info(moved, &pages, &size, &pa), ERR_BADCAP);  /* the move committed */
    while (n)
        CHECK_EQ(capos_release(fill[--n]), ERR_OK);
    CHECK_EQ(settled_free(), free0 + 1);    /* moved's frame went with the child */
}

int main(int argc, char **argv)
{
    fa = t_cap("frames");
    vm = t_cap("vm");
    spawner = t_cap("spawner");
    timer = t_cap("timer");
    if (argc > 0 && !strcmp(argv[0], "EFFECT0002"))
        effect0002();
    else
        effect0001();
    return t_result();
}
