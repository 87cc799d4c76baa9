/* SPDX-License-Identifier: MIT */
/*
 * sys_mem.c - anonymous memory over VirtualMemory: mmap, munmap,
 * mprotect, madvise, brk.
 *
 * Theory of operation: the first mmap reserves one arena of
 * POSIX_ARENA_SIZE bytes of address space (VirtualMemory.reserve: no
 * memory, one kernel record) and vma.c hands out page ranges of it.  An
 * mmap commits its pages (zeroed, as POSIX requires of anonymous memory)
 * unless it is PROT_NONE; mprotect commits what is not committed yet and
 * then sets the protection; munmap decommits (the memory goes back to
 * the kernel at once) and frees the range.  W^X holds: PROT_WRITE with
 * PROT_EXEC is EACCES.  Unsupported, with their errno: file mappings
 * (ENODEV; EBADF for a closed descriptor), MAP_FIXED (EINVAL), mprotect to
 * PROT_NONE (EINVAL: VirtualMemory cannot take access away while keeping
 * the contents).  brk has no area to grow (it answers 0), so musl's
 * malloc takes all of its memory from mmap.
 */
#include <errno.h>
#include <sys/mman.h>

#include "posix.h"

#define PAGE 4096ull
#define POSIX_ARENA_SIZE (64ull << 30)      /* 64 GiB of address space */
#define VM_READ 1u                          /* schema's protRead etc. */
#define VM_WRITE 2u
#define VM_EXEC 4u

/* The capOS prot bits for a POSIX prot, or -errno. */
static long vm_prot(long prot, uint32_t *out)
{
    if (prot & ~(long)(PROT_READ | PROT_WRITE | PROT_EXEC))
        return -EINVAL;
    if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
        return -EACCES;
    *out = VM_READ | (prot & PROT_WRITE ? VM_WRITE : 0) |
           (prot & PROT_EXEC ? VM_EXEC : 0);
    return 0;
}

/* Reserve the arena on first use. */
static long arena_ready(void)
{
    uint64_t base;
    if (posix.vma.pages)
        return 0;
    if (posix.caps.vm == CAPS_NONE)
        return -ENOMEM;
    err_t e = posix_cap_vm_reserve(posix.caps.vm, POSIX_ARENA_SIZE, &base);
    if (e != ERR_OK)
        return posix_err(e);
    posix_vma_init(&posix.vma, base, POSIX_ARENA_SIZE / PAGE);
    return 0;
}

/* Pages covering len bytes, or 0 if len is 0 or larger than the arena. */
static uint64_t len_pages(uint64_t len)
{
    if (len == 0 || len > POSIX_ARENA_SIZE)
        return 0;
    return (len + PAGE - 1) / PAGE;
}

/* mmap(addr, len, prot, flags, fd, off). */
long posix_sys_mmap(const long a[6])
{
    long prot = a[2], flags = a[3], r;
    uint64_t pages = len_pages((uint64_t)a[1]), addr;
    uint32_t vp = 0;
    if (!(flags & MAP_ANONYMOUS))
        return posix_fd_get(&posix.fds, a[4]) ? -ENODEV : -EBADF;
    if ((flags & MAP_TYPE) != MAP_PRIVATE && (flags & MAP_TYPE) != MAP_SHARED)
        return -EINVAL;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
        return -EINVAL;
    if ((uint64_t)a[1] == 0)
        return -EINVAL;
    if (!pages)
        return -ENOMEM;
    if (prot != PROT_NONE && (r = vm_prot(prot, &vp)) != 0)
        return r;
    if ((r = arena_ready()) != 0)
        return r;
    if (!posix_vma_alloc(&posix.vma, pages, &addr))
        return -ENOMEM;
    if (prot != PROT_NONE) {
        err_t e = posix_cap_vm_commit(posix.caps.vm, addr, pages * PAGE, vp);
        if (e != ERR_OK) {
            posix_vma_free(&posix.vma, addr, pages);
            return posix_err(e);
        }
    }
    return (long)addr;
}

/* munmap(addr, len): the range must be one this layer mapped. */
long posix_sys_munmap(const long a[6])
{
    uint64_t addr = (uint64_t)a[0], pages = len_pages((uint64_t)a[1]);
    if (addr % PAGE || !pages ||
        !posix_vma_is_allocated(&posix.vma, addr, pages))
        return -EINVAL;
    err_t e = posix_cap_vm_decommit(posix.caps.vm, addr, pages * PAGE);
    if (e != ERR_OK)
        return posix_err(e);
    posix_vma_free(&posix.vma, addr, pages);
    return 0;
}

/* mprotect(addr, len, prot). */
long posix_sys_mprotect(const long a[6])
{
    uint64_t addr = (uint64_t)a[0], pages = len_pages((uint64_t)a[1]);
    uint32_t vp;
    long r;
    if (addr % PAGE)
        return -EINVAL;
    if (!pages)
        return a[1] ? -ENOMEM : 0;
    if (a[2] == PROT_NONE)
        return -EINVAL;
    if ((r = vm_prot(a[2], &vp)) != 0)
        return r;
    if (!posix_vma_is_allocated(&posix.vma, addr, pages))
        return -ENOMEM;
    err_t e = posix_cap_vm_commit(posix.caps.vm, addr, pages * PAGE, vp);
    if (e == ERR_OK)
        e = posix_cap_vm_protect(posix.caps.vm, addr, pages * PAGE, vp);
    return e == ERR_OK ? 0 : posix_err(e);
}

/* madvise: advice only; MADV_DONTNEED and others that change contents
 * are EINVAL. */
long posix_sys_madvise(const long a[6])
{
    switch (a[2]) {
    case MADV_NORMAL:
    case MADV_RANDOM:
    case MADV_SEQUENTIAL:
    case MADV_WILLNEED:
    case MADV_FREE:
        return (uint64_t)a[0] % PAGE ? -EINVAL : 0;
    default:
        return -EINVAL;
    }
}

/* brk: no break area (0 at every request, which musl reads as failure). */
long posix_sys_brk(const long a[6])
{
    (void)a;
    return 0;
}
