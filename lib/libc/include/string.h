/* SPDX-License-Identifier: MIT */
/*
 * string.h - capOS libc: the shared lib/common string functions under
 * their standard names, plus memchr and strrchr.
 */
#pragma once

#include <common/string.h>
#include <stddef.h>

/* First byte equal to (unsigned char)c in s[n], or NULL. */
void *memchr(const void *s, int c, size_t n);
/* Last occurrence of (char)c in s (c == 0 finds the terminator), or NULL. */
char *strrchr(const char *s, int c);
