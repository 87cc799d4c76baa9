/* SPDX-License-Identifier: MIT */
/*
 * tiny.c - the program posix_spawn starts in the Linux spawn benchmark: a
 * static executable without libc that exits at once (the counterpart of
 * user/bench/tiny.c on capOS).
 */
void _start(void);

__attribute__((noreturn)) void _start(void)
{
    __asm__ volatile("syscall" : : "a"(231), "D"(0) : "rcx", "r11", "memory");
    __builtin_unreachable();
}
