/*
 * memt.h - FrameAllocator, MemoryObject and VirtualMemory calls for the
 * memory-capability tests (user/tests/mem_*.c).  Each helper is one
 * synchronous call; it returns the capOS error (ERR_OK on success) and
 * writes its outputs only on success.  Result caps come back in
 * cqe.cap0.
 */
#pragma once

#include "t.h"

#define PG 4096ull
#define MT_WORDS 16
#define MT_RES_WORDS 64

/* Params builder state of one call. */
struct mt_call {
    uint64_t pw[MT_WORDS];
    uint64_t rw[MT_RES_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    struct ring_cqe cqe;
};

/* Frame mc's params and call `method` of cap; opens the result. */
static inline err_t mt_do(struct mt_call *mc, uint32_t cap, uint16_t method)
{
    err_t e = capos_msg_finish(&mc->m);
    if (e)
        return e;
    e = capos_call(cap, method, mc->m.words, mc->m.len, mc->rw,
                   sizeof mc->rw, &mc->cqe);
    if (e)
        return e;
    return capos_msg_read(&mc->res, mc->rw, (size_t)mc->cqe.result);
}

static inline struct capnp_builder *mt_begin(struct mt_call *mc)
{
    return capos_msg_begin(&mc->m, mc->pw, MT_WORDS);
}

/* FrameAllocator.allocFrame (n == 0) or allocContiguous(n). */
static inline err_t fa_alloc(uint32_t fa, uint32_t n, uint32_t *mo)
{
    struct mt_call mc;
    err_t e;
    if (n == 0) {
        capos_frame_allocator_alloc_frame_params_init_root(mt_begin(&mc));
        e = mt_do(&mc, fa, CAPOS_FRAME_ALLOCATOR_METHOD_ALLOC_FRAME);
    } else {
        capos_frame_allocator_alloc_contiguous_params_set_count(
            capos_frame_allocator_alloc_contiguous_params_init_root(mt_begin(&mc)), n);
        e = mt_do(&mc, fa, CAPOS_FRAME_ALLOCATOR_METHOD_ALLOC_CONTIGUOUS);
    }
    if (!e && mc.cqe.cap_count != 1)
        e = ERR_BADFORMAT;
    if (!e)
        *mo = mc.cqe.cap0.cap_id;
    return e;
}

static inline err_t fa_stats(uint32_t fa, uint64_t *free_frames, uint64_t *total)
{
    struct mt_call mc;
    capos_frame_allocator_stats_params_init_root(mt_begin(&mc));
    err_t e = mt_do(&mc, fa, CAPOS_FRAME_ALLOCATOR_METHOD_STATS);
    if (e)
        return e;
    capos_frame_allocator_stats_results_r r =
        capos_frame_allocator_stats_results_read_root(&mc.res);
    *free_frames = capos_frame_allocator_stats_results_get_free_frames(r);
    if (total)
        *total = capos_frame_allocator_stats_results_get_total_frames(r);
    return ERR_OK;
}

/* Free frames now (0 on error, which the caller's checks catch). */
static inline uint64_t fa_free(uint32_t fa)
{
    uint64_t f = 0;
    CHECK_EQ(fa_stats(fa, &f, NULL), ERR_OK);
    return f;
}

static inline err_t mo_info(uint32_t mo, uint64_t *pages, uint64_t *size,
                            uint64_t *pa)
{
    struct mt_call mc;
    capos_memory_object_info_params_init_root(mt_begin(&mc));
    err_t e = mt_do(&mc, mo, CAPOS_MEMORY_OBJECT_METHOD_INFO);
    if (e)
        return e;
    capos_memory_object_info_results_r r =
        capos_memory_object_info_results_read_root(&mc.res);
    *pages = capos_memory_object_info_results_get_pages(r);
    *size = capos_memory_object_info_results_get_size(r);
    *pa = capos_memory_object_info_results_get_phys_addr(r);
    return ERR_OK;
}

/* MemoryObject.read into buf (at most sizeof rw minus framing). */
static inline err_t mo_read(uint32_t mo, uint64_t off, uint32_t len, void *buf)
{
    struct mt_call mc;
    capos_memory_object_read_params_b p =
        capos_memory_object_read_params_init_root(mt_begin(&mc));
    capos_memory_object_read_params_set_offset(p, off);
    capos_memory_object_read_params_set_len(p, len);
    err_t e = mt_do(&mc, mo, CAPOS_MEMORY_OBJECT_METHOD_READ);
    if (e)
        return e;
    struct capnp_data d = capos_memory_object_read_results_get_data(
        capos_memory_object_read_results_read_root(&mc.res));
    if (d.len != len)
        return ERR_BADFORMAT;
    memcpy(buf, d.ptr, len);
    return ERR_OK;
}

static inline err_t mo_write(uint32_t mo, uint64_t off, const void *data,
                             uint32_t len)
{
    struct mt_call mc;
    capos_memory_object_write_params_b p =
        capos_memory_object_write_params_init_root(mt_begin(&mc));
    capos_memory_object_write_params_set_offset(p, off);
    capos_memory_object_write_params_set_data(p, data, len);
    return mt_do(&mc, mo, CAPOS_MEMORY_OBJECT_METHOD_WRITE);
}

static inline err_t mo_map(uint32_t mo, uint64_t hint, uint64_t off,
                           uint64_t size, uint32_t prot, uint64_t *addr)
{
    struct mt_call mc;
    capos_memory_object_map_params_b p =
        capos_memory_object_map_params_init_root(mt_begin(&mc));
    capos_memory_object_map_params_set_hint(p, hint);
    capos_memory_object_map_params_set_offset(p, off);
    capos_memory_object_map_params_set_size(p, size);
    capos_memory_object_map_params_set_prot(p, prot);
    err_t e = mt_do(&mc, mo, CAPOS_MEMORY_OBJECT_METHOD_MAP);
    if (!e)
        *addr = capos_memory_object_map_results_get_addr(
            capos_memory_object_map_results_read_root(&mc.res));
    return e;
}

static inline err_t mo_unmap(uint32_t mo, uint64_t addr, uint64_t size)
{
    struct mt_call mc;
    capos_memory_object_unmap_params_b p =
        capos_memory_object_unmap_params_init_root(mt_begin(&mc));
    capos_memory_object_unmap_params_set_addr(p, addr);
    capos_memory_object_unmap_params_set_size(p, size);
    return mt_do(&mc, mo, CAPOS_MEMORY_OBJECT_METHOD_UNMAP);
}

static inline err_t mo_subrange(uint32_t mo, uint64_t off, uint64_t size,
                                uint32_t *child)
{
    struct mt_call mc;
    capos_memory_object_subrange_params_b p =
        capos_memory_object_subrange_params_init_root(mt_begin(&mc));
    capos_memory_object_subrange_params_set_offset(p, off);
    capos_memory_object_subrange_params_set_size(p, size);
    err_t e = mt_do(&mc, mo, CAPOS_MEMORY_OBJECT_METHOD_SUBRANGE);
    if (!e && mc.cqe.cap_count != 1)
        e = ERR_BADFORMAT;
    if (!e)
        *child = mc.cqe.cap0.cap_id;
    return e;
}

/* VirtualMemory.map (reserve when `reserve`). */
static inline err_t vm_place(uint32_t vm, bool reserve, uint64_t hint,
                             uint64_t size, uint32_t prot, uint64_t *addr)
{
    struct mt_call mc;
    err_t e;
    if (reserve) {
        capos_virtual_memory_reserve_params_b p =
            capos_virtual_memory_reserve_params_init_root(mt_begin(&mc));
        capos_virtual_memory_reserve_params_set_hint(p, hint);
        capos_virtual_memory_reserve_params_set_size(p, size);
        e = mt_do(&mc, vm, CAPOS_VIRTUAL_MEMORY_METHOD_RESERVE);
        if (!e)
            *addr = capos_virtual_memory_reserve_results_get_addr(
                capos_virtual_memory_reserve_results_read_root(&mc.res));
        return e;
    }
    capos_virtual_memory_map_params_b p =
        capos_virtual_memory_map_params_init_root(mt_begin(&mc));
    capos_virtual_memory_map_params_set_hint(p, hint);
    capos_virtual_memory_map_params_set_size(p, size);
    capos_virtual_memory_map_params_set_prot(p, prot);
    e = mt_do(&mc, vm, CAPOS_VIRTUAL_MEMORY_METHOD_MAP);
    if (!e)
        *addr = capos_virtual_memory_map_results_get_addr(
            capos_virtual_memory_map_results_read_root(&mc.res));
    return e;
}

static inline err_t vm_map(uint32_t vm, uint64_t hint, uint64_t size,
                           uint32_t prot, uint64_t *addr)
{
    return vm_place(vm, false, hint, size, prot, addr);
}

static inline err_t vm_reserve(uint32_t vm, uint64_t hint, uint64_t size,
                               uint64_t *addr)
{
    return vm_place(vm, true, hint, size, 0, addr);
}

/* unmap / decommit (no prot) and protect / commit (prot): the four
 * (addr, size[, prot]) methods share one params layout shape. */
static inline err_t vm_range(uint32_t vm, uint16_t method, uint64_t addr,
                             uint64_t size, uint32_t prot)
{
    struct mt_call mc;
    struct capnp_builder *b = mt_begin(&mc);
    switch (method) {
    case CAPOS_VIRTUAL_MEMORY_METHOD_UNMAP: {
        capos_virtual_memory_unmap_params_b p =
            capos_virtual_memory_unmap_params_init_root(b);
        capos_virtual_memory_unmap_params_set_addr(p, addr);
        capos_virtual_memory_unmap_params_set_size(p, size);
        break;
    }
    case CAPOS_VIRTUAL_MEMORY_METHOD_DECOMMIT: {
        capos_virtual_memory_decommit_params_b p =
            capos_virtual_memory_decommit_params_init_root(b);
        capos_virtual_memory_decommit_params_set_addr(p, addr);
        capos_virtual_memory_decommit_params_set_size(p, size);
        break;
    }
    case CAPOS_VIRTUAL_MEMORY_METHOD_PROTECT: {
        capos_virtual_memory_protect_params_b p =
            capos_virtual_memory_protect_params_init_root(b);
        capos_virtual_memory_protect_params_set_addr(p, addr);
        capos_virtual_memory_protect_params_set_size(p, size);
        capos_virtual_memory_protect_params_set_prot(p, prot);
        break;
    }
    default: {
        capos_virtual_memory_commit_params_b p =
            capos_virtual_memory_commit_params_init_root(b);
        capos_virtual_memory_commit_params_set_addr(p, addr);
        capos_virtual_memory_commit_params_set_size(p, size);
        capos_virtual_memory_commit_params_set_prot(p, prot);
        break;
    }
    }
    return mt_do(&mc, vm, method);
}

#define vm_unmap(vm, a, s) vm_range(vm, CAPOS_VIRTUAL_MEMORY_METHOD_UNMAP, a, s, 0)
#define vm_decommit(vm, a, s) vm_range(vm, CAPOS_VIRTUAL_MEMORY_METHOD_DECOMMIT, a, s, 0)
#define vm_protect(vm, a, s, p) vm_range(vm, CAPOS_VIRTUAL_MEMORY_METHOD_PROTECT, a, s, p)
#define vm_commit(vm, a, s, p) vm_range(vm, CAPOS_VIRTUAL_MEMORY_METHOD_COMMIT, a, s, p)

#define R CAPOS_PROT_READ
#define W CAPOS_PROT_WRITE
#define X CAPOS_PROT_EXEC
#define RW (R | W)
#define MMAP_BASE 0x0000600000000000ull
