/*
 * boot.S - first instructions: Multiboot2 and PVH entry, switch to long
 * mode, jump to the higher half.
 *
 * Both loaders enter in 32-bit protected mode with paging off.  GRUB
 * (Multiboot2) passes EAX = 0x36d76289, EBX = info; QEMU's PVH direct boot
 * (qboot, `-kernel`) enters at pvh_start32 with EBX = hvm_start_info.  We
 * build boot page tables mapping physical 0..1 GiB twice (identity, and at
 * KERNEL_VMA), enable PAE + long mode + NX + write protect, and jump to
 * kernel_entry64 in the higher half with
 *   RDI = boot magic, RSI = info physical address, RDX = TSC at entry.
 * kmain then builds the real page tables and drops the identity map.
 */
#include <arch/layout.h>

#define MB2_MAGIC        0xe85250d6
#define MB2_ARCH_I386    0
#define PVH_MAGIC        0x336ec578

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    .balign 8                       /* entry address tag */
    .word 3, 0
    .long 12
    .long _start32
    .balign 8                       /* module alignment tag */
    .word 6, 0
    .long 8
    .balign 8                       /* end tag */
    .word 0, 0
    .long 8
mb2_header_end:

    .section .note.Xen, "a", @note  /* XEN_ELFNOTE_PHYS32_ENTRY for PVH */
    .balign 4
    .long 4
    .long 4
    .long 18
    .asciz "Xen"
    .balign 4
    .long pvh_start32
    .balign 4

    .section .boot.text, "ax"
    .code32
    .global _start32
_start32:
    cli
    mov %eax, %edi
    mov %ebx, %esi
    jmp boot_common32

    .global pvh_start32
pvh_start32:
    cli
    mov $PVH_MAGIC, %edi
    mov %ebx, %esi

boot_common32:
    rdtsc
    mov %eax, boot_tsc
    mov %edx, boot_tsc + 4

    /* PD: 512 x 2 MiB pages covering 0..1 GiB. */
    mov $boot_pd, %ebx
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax                  /* present, writable, 2 MiB */
    mov %eax, (%ebx,%ecx,8)
    movl $0, 4(%ebx,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jne 1b

    mov $boot_pd, %eax
    or $3, %eax
    mov %eax, boot_pdpt_low
    mov %eax, boot_pdpt_high + 510 * 8
    mov $boot_pdpt_low, %eax
    or $3, %eax
    mov %eax, boot_pml4
    mov $boot_pdpt_high, %eax
    or $3, %eax
    mov %eax, boot_pml4 + 511 * 8

    mov %cr4, %eax
    or $(1 << 5), %eax              /* PAE */
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3

    /* EFER: long mode, plus NX when the CPU has it. */
    mov $0x80000001, %eax
    cpuid
    mov %edx, %ebx                  /* extended feature bits */
    mov $0xC0000080, %ecx
    rdmsr
    or $(1 << 8), %eax
    bt $20, %ebx
    jnc 2f
    or $(1 << 11), %eax
2:  wrmsr

    mov %cr0, %eax
    or $((1 << 31) | (1 << 16) | 1), %eax /* PG, WP, PE */
    mov %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $boot_long64

    .code64
boot_long64:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    mov boot_tsc, %rdx
    movabs $kernel_entry64, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .balign 8
boot_tsc:
    .quad 0
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .boot.bss, "aw", @nobits
    .balign 4096
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096

    .text
    .code64
    .global kernel_entry64
kernel_entry64:
    lea boot_stack_top(%rip), %rsp
    xor %ebp, %ebp
    mov %edi, %edi                  /* zero-extend magic and info */
    mov %esi, %esi
    call kmain
1:  cli
    hlt
    jmp 1b

    .bss
    .balign 16
    .global boot_stack_top
boot_stack:
    .skip 16384
boot_stack_top:
