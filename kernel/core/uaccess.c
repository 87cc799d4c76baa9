/*
 * uaccess.c - user pointer validation around the fault-safe copy in
 * arch/x86_64/uaccess.S.
 */
#include <arch/layout.h>
#include <kernel/uaccess.h>

long uaccess_copy(void *dst, const void *src, size_t n);

bool user_range_ok(uint64_t addr, uint64_t len)
{
    if (addr + len < addr)
        return false;
    return addr + len <= USER_TOP;
}

err_t copy_from_user(void *dst, uint64_t usrc, size_t n)
{
    if (!user_range_ok(usrc, n))
        return ERR_FAULT;
    if (n == 0)
        return ERR_OK;
    return uaccess_copy(dst, (const void *)(uintptr_t)usrc, n) ? ERR_FAULT
                                                                : ERR_OK;
}

err_t copy_to_user(uint64_t udst, const void *src, size_t n)
{
    if (!user_range_ok(udst, n))
        return ERR_FAULT;
    if (n == 0)
        return ERR_OK;
    return uaccess_copy((void *)(uintptr_t)udst, src, n) ? ERR_FAULT : ERR_OK;
}

err_t probe_user_writable(uint64_t addr, size_t len)
{
    if (!user_range_ok(addr, len))
        return ERR_FAULT;
    for (uint64_t a = addr; a < addr + len; a = (a | (PAGE_SIZE - 1)) + 1) {
        uint8_t b;
        if (uaccess_copy(&b, (const void *)(uintptr_t)a, 1) ||
            uaccess_copy((void *)(uintptr_t)a, &b, 1))
            return ERR_FAULT;
    }
    return ERR_OK;
}
