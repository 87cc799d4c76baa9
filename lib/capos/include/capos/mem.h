/*
 * mem.h - typed wrappers for FrameAllocator and MemoryObject (the shared
 * memory path: allocate, map, pass the MemoryObject cap by transfer).
 */
#pragma once

#include <abi/errors.h>
#include <stdint.h>

/* FrameAllocator.allocContiguous(pages): a MemoryObject cap in *mo. */
err_t capos_frames_alloc(uint32_t fa, uint32_t pages, uint32_t *mo);
/* MemoryObject.map: [off, off + size) at `hint` (0: anywhere) with prot
 * (CAPOS_PROT_*); *addr gets the address. */
err_t capos_memobj_map(uint32_t mo, uint64_t hint, uint64_t off, uint64_t size,
                       uint32_t prot, uint64_t *addr);
/* MemoryObject.unmap of a mapping made by capos_memobj_map. */
err_t capos_memobj_unmap(uint32_t mo, uint64_t addr, uint64_t size);
/* MemoryObject.info: pages and size in bytes. */
err_t capos_memobj_info(uint32_t mo, uint64_t *pages, uint64_t *size);
