/*
 * framealloc.c - the FrameAllocator capability: physical memory handed
 * out as MemoryObject capabilities.
 *
 * A singleton: every allocation is charged to the calling process's
 * frame ledger (memcap_charge against p->quota.frames) before any frame
 * is taken, and the new MemoryObject carries the charge until it dies
 * (kernel/obj/memobj.c).  Frames are zeroed.  The result cap is the only
 * reference the caller gets; if it cannot be inserted (cap quota) the
 * object dies at once and everything is refunded.
 */
#include <capos.capnp.h>
#include <kernel/cap_table.h>
#include <kernel/memcaps.h>
#include <kernel/pmm.h>

static const struct kobj_ops framealloc_ops = {.name = "framealloc",
                                               .type = KOBJ_FRAMEALLOC};
static struct kobj framealloc;

struct kobj *framealloc_obj(void)
{
    if (!framealloc.ops)
        kobj_init(&framealloc, &framealloc_ops);
    return &framealloc;
}

/* Create a MemoryObject of n frames as the call's result cap. */
static err_t alloc_result(struct call_ctx *c, uint64_t n)
{
    struct memobj *mo;
    err_t r = memobj_create(c->caller, n, &mo);
    if (r)
        return call_fail(c, r, r == ERR_QUOTA ? "frame quota exceeded"
                                              : "out of physical memory");
    c->result_obj = &mo->obj;
    c->result_iface = CAPOS_MEMORY_OBJECT_INTERFACE_ID;
    c->result_flags = CAP_F_TRANSFERABLE;   /* shared memory is meant to travel */
    return ERR_OK;
}

static int fa_alloc_frame(void *ctx, capos_frame_allocator_alloc_frame_params_r params,
                          capos_frame_allocator_alloc_frame_results_b results)
{
    (void)params;
    err_t r = alloc_result(ctx, 1);
    if (!r)
        capos_frame_allocator_alloc_frame_results_set_frame(results, 0);
    return r;
}

static int fa_alloc_contiguous(void *ctx,
                               capos_frame_allocator_alloc_contiguous_params_r params,
                               capos_frame_allocator_alloc_contiguous_results_b results)
{
    uint32_t n = capos_frame_allocator_alloc_contiguous_params_get_count(params);
    if (n == 0)
        return call_fail(ctx, ERR_INVAL, "count is zero");
    if (n > MEMOBJ_CONTIG_MAX)
        return call_fail(ctx, ERR_RANGE, "count above the contiguous limit");
    err_t r = alloc_result(ctx, n);
    if (!r)
        capos_frame_allocator_alloc_contiguous_results_set_memory(results, 0);
    return r;
}

static int fa_stats(void *ctx, capos_frame_allocator_stats_params_r params,
                    capos_frame_allocator_stats_results_b results)
{
    (void)ctx;
    (void)params;
    capos_frame_allocator_stats_results_set_free_frames(results, pmm_free_frames());
    capos_frame_allocator_stats_results_set_total_frames(results,
                                                         pmm_total_frames());
    return ERR_OK;
}

static const capos_frame_allocator_server_t framealloc_server = {
    .alloc_frame = fa_alloc_frame,
    .alloc_contiguous = fa_alloc_contiguous,
    .stats = fa_stats,
};

static int framealloc_dispatch(struct call_ctx *c, uint16_t m,
                               struct capnp_msg *params,
                               struct capnp_builder *res)
{
    return capos_frame_allocator_dispatch(&framealloc_server, c, m, params, res);
}

const struct kiface frame_allocator_iface = {
    .id = CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, .name = "FrameAllocator",
    .dispatch = framealloc_dispatch};
