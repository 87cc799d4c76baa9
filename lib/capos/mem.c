/*
 * mem.c - FrameAllocator and MemoryObject wrappers (see capos/mem.h).
 * Params built with the generated builders, results read with the
 * generated readers; a result cap arrives in cqe.cap0.
 */
#include <capos.capnp.h>
#include <capos/mem.h>
#include <capos/rt.h>

#include "kcall.h"

#define PARAM_WORDS 12

err_t capos_frames_alloc(uint32_t fa, uint32_t pages, uint32_t *mo)
{
    uint64_t pw[PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    struct ring_cqe cqe;
    capos_frame_allocator_alloc_contiguous_params_set_count(
        capos_frame_allocator_alloc_contiguous_params_init_root(
            capos_msg_begin(&m, pw, PARAM_WORDS)),
        pages);
    err_t e = capos_msg_finish(&m);
    if (!e)
        e = capos_call(fa, CAPOS_FRAME_ALLOCATOR_METHOD_ALLOC_CONTIGUOUS,
                       m.words, m.len, rw, sizeof rw, &cqe);
    if (!e && cqe.cap_count != 1)
        e = ERR_BADFORMAT;
    if (!e)
        *mo = cqe.cap0.cap_id;
    return e;
}

err_t capos_memobj_map(uint32_t mo, uint64_t hint, uint64_t off, uint64_t size,
                       uint32_t prot, uint64_t *addr)
{
    uint64_t pw[PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    capos_memory_object_map_params_b p = capos_memory_object_map_params_init_root(
        capos_msg_begin(&m, pw, PARAM_WORDS));
    capos_memory_object_map_params_set_hint(p, hint);
    capos_memory_object_map_params_set_offset(p, off);
    capos_memory_object_map_params_set_size(p, size);
    capos_memory_object_map_params_set_prot(p, prot);
    err_t e = kcall(mo, CAPOS_MEMORY_OBJECT_METHOD_MAP, &m, rw, sizeof rw, &res);
    if (e)
        return e;
    *addr = capos_memory_object_map_results_get_addr(
        capos_memory_object_map_results_read_root(&res));
    return capnp_msg_error(&res) == CAPNP_OK ? ERR_OK : ERR_BADFORMAT;
}

err_t capos_memobj_unmap(uint32_t mo, uint64_t addr, uint64_t size)
{
    uint64_t pw[PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    capos_memory_object_unmap_params_b p = capos_memory_object_unmap_params_init_root(
        capos_msg_begin(&m, pw, PARAM_WORDS));
    capos_memory_object_unmap_params_set_addr(p, addr);
    capos_memory_object_unmap_params_set_size(p, size);
    return kcall(mo, CAPOS_MEMORY_OBJECT_METHOD_UNMAP, &m, rw, sizeof rw, &res);
}

err_t capos_memobj_info(uint32_t mo, uint64_t *pages, uint64_t *size)
{
    uint64_t pw[PARAM_WORDS], rw[KCALL_SMALL_RESULT_WORDS];
    struct capos_msgbuf m;
    struct capnp_msg res;
    capos_memory_object_info_params_init_root(capos_msg_begin(&m, pw, PARAM_WORDS));
    err_t e = kcall(mo, CAPOS_MEMORY_OBJECT_METHOD_INFO, &m, rw, sizeof rw, &res);
    if (e)
        return e;
    capos_memory_object_info_results_r r = capos_memory_object_info_results_read_root(&res);
    *pages = capos_memory_object_info_results_get_pages(r);
    *size = capos_memory_object_info_results_get_size(r);
    return capnp_msg_error(&res) == CAPNP_OK ? ERR_OK : ERR_BADFORMAT;
}
