/* SPDX-License-Identifier: MIT */
/*
 * nothread.c - POSIX0003: a POSIX program granted a console but no
 * ThreadControl cannot set up its thread pointer (so neither errno nor
 * stdio): the POSIX layer says so on the console and exits with 127
 * before main.  Output compared with tests/posix/POSIX0003.out.
 */
#include <stdio.h>

int main(void)
{
    printf("main ran without a thread pointer\n");
    return 0;
}
