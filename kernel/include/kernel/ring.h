/*
 * ring.h - the kernel's ring entry points (kernel/ring/dispatch.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <abi/ring.h>

struct process;

/* The cap_enter system call for p, the calling thread's process. */
int64_t cap_enter(struct process *p, uint64_t min_complete,
                  uint64_t timeout_ns);

/* Post a completion to p's ring and wake p if its wait is satisfied;
 * `reserved` consumes a slot promised by a deferred operation. */
void proc_post_cqe(struct process *p, const struct ring_cqe *cqe,
                   bool reserved);
