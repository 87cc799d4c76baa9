/*
 * layout.h - the user address space every capOS process starts with (ABI).
 *
 *   [USER_IMAGE_MIN, USER_IMAGE_MAX)  ELF PT_LOAD segments (static, ET_EXEC)
 *   USER_STACK_TOP - USER_STACK_SIZE  the initial stack, grows down; the page
 *                                     below it is an unmapped guard page
 *   RING_VADDR                        the capability ring page (RW)
 *   CAPSET_VADDR                      the CapSet page (read-only): a
 *                                     single-segment capnp CapSet message
 *
 * Entry ABI: RIP = ELF entry, RSP = USER_STACK_TOP (16-byte aligned),
 * RDI = RING_VADDR, RSI = process id, RDX = CAPSET_VADDR; all other
 * registers zero; RFLAGS = IF.
 */
#pragma once

#define USER_IMAGE_MIN   0x0000000000010000ull
#define USER_IMAGE_MAX   0x00007f0000000000ull
#define USER_STACK_TOP   0x00007ffff0000000ull
#define USER_STACK_SIZE  (64ull * 1024)
#define RING_VADDR_ABI   0x00007fff00000000ull
#define CAPSET_VADDR     (RING_VADDR_ABI + 0x1000ull)
#define CAPSET_MAX_SIZE  4096u
