/*
 * kstack.h - kernel stacks with guard pages.
 *
 * Every thread's kernel stack lives in its own slot of the kernel-stack
 * window (arch/layout.h KSTACK_BASE): KSTACK_PAGES mapped pages above one
 * page that is never mapped, so running off the bottom of a stack faults
 * (and, since the fault cannot be pushed there, arrives as a double fault
 * on its own IST stack, reported as a kernel stack overflow) instead of
 * silently overwriting whatever lies below.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <abi/errors.h>

#define KSTACK_PAGES 4

/* Build the page tables of the stack window (boot, after paging_init). */
void kstack_init(void);
/* A fresh stack: *top is its highest address (16-byte aligned). */
err_t kstack_alloc(uint64_t *top) __attribute__((warn_unused_result));
/* Give back the stack whose top is `top`. */
void kstack_free(uint64_t top);
/* True if va lies in a guard page of the kernel-stack window. */
bool kstack_is_guard(uint64_t va);
/* Stacks allocated now (leak checks). */
uint64_t kstack_live(void);
