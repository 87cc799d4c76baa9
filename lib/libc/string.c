/* SPDX-License-Identifier: MIT */
/*
 * string.c - the string functions of the libc that lib/common/string.c
 * does not have (the rest is lib/common/string.c, linked as is).
 */
#include <string.h>

/* First byte equal to (unsigned char)c in s[n], or NULL. */
void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for (size_t i = 0; i < n; i++)
        if (p[i] == (unsigned char)c)
            return (void *)(p + i);
    return NULL;
}

/* Last occurrence of (char)c in s, or NULL. */
char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    do {
        if (*s == (char)c)
            last = s;
    } while (*s++);
    return (char *)last;
}
