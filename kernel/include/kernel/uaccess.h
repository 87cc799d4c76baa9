/*
 * uaccess.h - validated, fault-safe access to the current process's memory.
 *
 * Every user pointer is checked (canonical lower half, no wrap of
 * addr + len) before use and only touched through these helpers, which
 * open the SMAP window and recover from page faults with an error.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <abi/errors.h>

/* True if [addr, addr + len) lies in the user half without wrapping. */
bool user_range_ok(uint64_t addr, uint64_t len);

/* Copy from / to the current address space; ERR_FAULT on a bad range or
 * an unmapped or protected page.  Partial copies may have happened on
 * ERR_FAULT into kernel buffers (never visible to user space). */
err_t copy_from_user(void *dst, uint64_t usrc, size_t n)
    __attribute__((warn_unused_result));
err_t copy_to_user(uint64_t udst, const void *src, size_t n)
    __attribute__((warn_unused_result));

/* ERR_FAULT unless every page of [addr, addr + len) of the current
 * address space is present and user-writable: one byte of each page is
 * read and written back (one CPU runs, with interrupts off: no one sees
 * it; an SMP kernel must walk the page tables instead).  ERR_OK for len 0. */
err_t probe_user_writable(uint64_t addr, size_t len)
    __attribute__((warn_unused_result));
