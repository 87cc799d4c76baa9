/* SPDX-License-Identifier: MIT */
/*
 * stdlib.h - capOS libc: memory allocation and process exit.
 *
 * malloc and friends allocate from a fixed 1 MiB arena in .bss (first fit,
 * 16-byte alignment, see lib/libc/heap.h); they return NULL when it is
 * exhausted.  Growing the heap with VirtualMemory.map comes with the
 * memory-capability work.  exit() runs the runtime exit hooks (stdout is
 * flushed) and ends the process; abort() prints a message and exits with
 * 134 (as a shell reports SIGABRT).
 */
#pragma once

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define CAPOS_MALLOC_ARENA_SIZE (1024u * 1024u)

void *malloc(size_t n);
void free(void *p);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t n);
_Noreturn void exit(int code);
_Noreturn void abort(void);
int abs(int x);
long labs(long x);
int atoi(const char *s);
