/* SPDX-License-Identifier: MIT */
/*
 * mem.c - memory and process benchmarks: VirtualMemory.map + touch every
 * page + VirtualMemory.unmap for 1 and 256 pages (against Linux's
 * mmap/touch/munmap), and ProcessSpawner.spawn of a tiny static program +
 * ProcessHandle.wait + release (against posix_spawn and fork).
 *
 * These operations go through the runtime (capos_call with params built
 * by the generated builders), as any program would; the user-side
 * building and reading of messages is part of the measured cost, as
 * glibc's wrappers are on Linux.
 */
#include <string.h>

#include "cbench.h"

#define PAGE 4096u
#define PROT_RW 3u      /* protRead | protWrite */

err_t cb_call(uint32_t cap, uint16_t method, struct capos_msgbuf *m,
              uint64_t *res, uint32_t nres, struct capnp_msg *msg,
              struct ring_cqe *cqe)
{
    err_t e = capos_msg_finish(m);
    if (!e)
        e = capos_call(cap, method, m->words, m->len, res, nres * 8, cqe);
    if (!e)
        e = capos_msg_read(msg, res, (size_t)cqe->result);
    return e;
}

/* VirtualMemory.map(0, size, RW) -> *addr. */
static err_t vm_map(uint64_t size, uint64_t *addr)
{
    uint64_t w[8], res[8];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    capos_virtual_memory_map_params_b p =
        capos_virtual_memory_map_params_init_root(capos_msg_begin(&m, w, 8));
    capos_virtual_memory_map_params_set_size(p, size);
    capos_virtual_memory_map_params_set_prot(p, PROT_RW);
    err_t e = cb_call(cb_caps.vm, CAPOS_VIRTUAL_MEMORY_METHOD_MAP, &m, res, 8,
                      &msg, &cqe);
    if (!e)
        *addr = capos_virtual_memory_map_results_get_addr(
            capos_virtual_memory_map_results_read_root(&msg));
    return e;
}

/* VirtualMemory.unmap(addr, size). */
static err_t vm_unmap(uint64_t addr, uint64_t size)
{
    uint64_t w[8], res[8];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    capos_virtual_memory_unmap_params_b p =
        capos_virtual_memory_unmap_params_init_root(capos_msg_begin(&m, w, 8));
    capos_virtual_memory_unmap_params_set_addr(p, addr);
    capos_virtual_memory_unmap_params_set_size(p, size);
    return cb_call(cb_caps.vm, CAPOS_VIRTUAL_MEMORY_METHOD_UNMAP, &m, res, 8,
                   &msg, &cqe);
}

/* FrameAllocator.allocContiguous(pages) -> *mo. */
static err_t fa_alloc(uint32_t pages, uint32_t *mo)
{
    uint64_t w[8], res[8];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    capos_frame_allocator_alloc_contiguous_params_set_count(
        capos_frame_allocator_alloc_contiguous_params_init_root(
            capos_msg_begin(&m, w, 8)), pages);
    err_t e = cb_call(cb_caps.frames,
                      CAPOS_FRAME_ALLOCATOR_METHOD_ALLOC_CONTIGUOUS, &m, res,
                      8, &msg, &cqe);
    if (!e && cqe.cap_count != 1)
        e = ERR_BADFORMAT;
    if (!e)
        *mo = cqe.cap0.cap_id;
    return e;
}

/* MemoryObject.map(0, 0, size, RW) -> *addr. */
static err_t mo_map(uint32_t mo, uint64_t size, uint64_t *addr)
{
    uint64_t w[8], res[8];
    struct capos_msgbuf m;
    struct capnp_msg msg;
    struct ring_cqe cqe;
    capos_memory_object_map_params_b p =
        capos_memory_object_map_params_init_root(capos_msg_begin(&m, w, 8));
    capos_memory_object_map_params_set_size(p, size);
    capos_memory_object_map_params_set_prot(p, PROT_RW);
    err_t e = cb_call(mo, CAPOS_MEMORY_OBJECT_METHOD_MAP, &m, res, 8, &msg,
                      &cqe);
    if (!e)
        *addr = capos_memory_object_map_results_get_addr(
            capos_memory_object_map_results_read_root(&msg));
    return e;
}

err_t cb_alloc_mapped(uint32_t pages, uint32_t *mo, uint64_t *addr)
{
    err_t e = fa_alloc(pages, mo);
    if (!e)
        e = mo_map(*mo, (uint64_t)pages * PAGE, addr);
    return e;
}

/* ---- map / touch / unmap ------------------------------------------------- */

static void op_map(void *ctx, uint64_t n)
{
    uint64_t pages = *(uint64_t *)ctx, size = pages * PAGE, addr;
    for (uint64_t i = 0; i < n; i++) {
        if (vm_map(size, &addr) != ERR_OK) {
            cb_errors++;
            return;
        }
        for (uint64_t off = 0; off < size; off += PAGE)
            *(volatile char *)(uintptr_t)(addr + off) = 1;
        if (vm_unmap(addr, size) != ERR_OK)
            cb_errors++;
    }
}

void cb_mem_bench(void)
{
    static uint64_t one = 1, many = 256;
    bench_report("map_1", op_map, &one, cb_n(100), "insn/op");
    bench_report("map_256", op_map, &many, cb_n(4), "insn/op");
}

/* ---- spawn + exit + wait ------------------------------------------------- */

static void op_spawn(void *ctx, uint64_t n)
{
    (void)ctx;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t h;
        int64_t code = -1;
        if (capos_spawner_spawn(cb_caps.spawner, "tiny", "bench_tiny", NULL,
                                0, &h) != ERR_OK) {
            cb_errors++;
            return;
        }
        if (capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL) != ERR_OK || code != 0)
            cb_errors++;
        capos_release(h);
    }
}

void cb_spawn_bench(void)
{
    bench_report("spawn_exit_wait", op_spawn, NULL, cb_n(16), "insn/op");
}
