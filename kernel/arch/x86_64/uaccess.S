/*
 * uaccess.S - copies between kernel memory and the current process's user
 * memory that survive any fault.
 *
 * long uaccess_copy(void *dst, const void *src, size_t n)
 *   Copies n / 8 quadwords with `rep movsq`, then n % 8 bytes with `rep
 *   movsb`, inside a stac/clac window (SMAP).  If the copy faults
 *   (unmapped or protected user page), trap.c sees a kernel #PF at
 *   uaccess_copy_insn or uaccess_copy_tail and resumes at uaccess_fault,
 *   which returns -1.  Returns 0 on success.  Callers validate the user
 *   range first (kernel/uaccess.c): this only catches faults, not bad
 *   ranges.
 */
    .text
    .global uaccess_copy
    .global uaccess_copy_insn
    .global uaccess_copy_tail
    .global uaccess_fault
uaccess_copy:
    mov %rdx, %rcx
    shr $3, %rcx
    and $7, %edx
    cmpb $0, cpu_smap_enabled(%rip)
    je 1f
    stac
1:
uaccess_copy_insn:
    rep movsq
    mov %rdx, %rcx
uaccess_copy_tail:
    rep movsb
    cmpb $0, cpu_smap_enabled(%rip)
    je 2f
    clac
2:  xor %eax, %eax
    ret
uaccess_fault:
    cmpb $0, cpu_smap_enabled(%rip)
    je 3f
    clac
3:  mov $-1, %rax
    ret
