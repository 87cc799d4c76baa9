/*
 * percpu.h - the x86_64 part of the per-CPU state: GDT, TSS, IST stacks.
 */
#pragma once

#include <stdint.h>

#define IST_STACK_SIZE 8192
#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define IST_MCE          3

struct tss {
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS is 104 bytes");

struct arch_cpu {
    uint64_t gdt[7];
    struct tss tss;
    uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
};
