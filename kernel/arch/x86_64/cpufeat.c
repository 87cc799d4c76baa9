/*
 * cpufeat.c - CPUID feature detection and enabling of protection features.
 *
 * NX is switched on by boot.S already (needed before the first NX PTE);
 * here we add SMEP, SMAP, UMIP and global pages when the CPU has them.
 * With SMAP on, every kernel access to user memory must be bracketed by
 * user_access_begin()/user_access_end() (stac/clac).
 */
#include <arch/cpu.h>
#include <arch/hw.h>
#include <kernel/printk.h>

struct cpu_features cpu_feat;
/* Read by uaccess.S: stac/clac only when SMAP is on (they #UD otherwise). */
uint8_t cpu_smap_enabled;

/* Copy 4 registers' worth of CPUID string bytes. */
static void put_regs(char *dst, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    uint32_t r[4] = {a, b, c, d};
    for (int i = 0; i < 16; i++)
        dst[i] = (char)(r[i / 4] >> (8 * (i % 4)));
}

void cpu_features_detect(void)
{
    uint32_t a, b, c, d, max, maxext;
    struct cpu_features *f = &cpu_feat;

    cpuid(0, 0, &max, &b, &c, &d);
    put_regs(f->vendor, b, d, c, 0);
    f->vendor[12] = 0;
    cpuid(1, 0, &a, &b, &c, &d);
    f->apic = d & (1u << 9);
    f->pcid = c & (1u << 17);
    f->x2apic = c & (1u << 21);
    f->tsc_deadline = c & (1u << 24);
    f->rdrand = c & (1u << 30);
    f->hypervisor = c & (1u << 31);
    if (max >= 7) {
        cpuid(7, 0, &a, &b, &c, &d);
        f->fsgsbase = b & (1u << 0);
        f->smep = b & (1u << 7);
        f->smap = b & (1u << 20);
        f->umip = c & (1u << 2);
    }
    cpuid(0x80000000u, 0, &maxext, &b, &c, &d);
    if (maxext >= 0x80000001u) {
        cpuid(0x80000001u, 0, &a, &b, &c, &d);
        f->nx = d & (1u << 20);
        f->syscall = d & (1u << 11);
        f->pages_1g = d & (1u << 26);
    }
    if (maxext >= 0x80000004u) {
        for (uint32_t i = 0; i < 3; i++) {
            cpuid(0x80000002u + i, 0, &a, &b, &c, &d);
            put_regs(f->brand + 16 * i, a, b, c, d);
        }
        f->brand[48] = 0;
    }
    if (maxext >= 0x80000007u) {
        cpuid(0x80000007u, 0, &a, &b, &c, &d);
        f->invariant_tsc = d & (1u << 8);
    }
    if (maxext >= 0x80000008u) {
        cpuid(0x80000008u, 0, &a, &b, &c, &d);
        f->phys_bits = a & 0xff;
        f->virt_bits = (a >> 8) & 0xff;
    }
}

void cpu_features_enable(void)
{
    /* SSE for user space: the kernel itself is built without it and saves
     * each user thread's state on switch (sched.c).  NE: an unmasked x87
     * exception raises #MF (which ends only the process), not the legacy
     * FERR# interrupt nothing listens to. */
    uint64_t cr4 = read_cr4() | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT;
    write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
    if (cpu_feat.smep)
        cr4 |= CR4_SMEP;
    if (cpu_feat.smap)
        cr4 |= CR4_SMAP;
    cpu_smap_enabled = cpu_feat.smap;
    if (cpu_feat.umip)
        cr4 |= CR4_UMIP;
    write_cr4(cr4);
    write_cr0(read_cr0() | CR0_WP);
    if (!cpu_feat.nx)
        panic("cpu: NX (execute disable) is required");
}

void cpu_features_print(void)
{
    const char *brand = cpu_feat.brand;
    while (*brand == ' ')
        brand++;
    printk("cpu: %s \"%s\" phys %u bits, virt %u bits%s\n", cpu_feat.vendor,
           brand, cpu_feat.phys_bits, cpu_feat.virt_bits,
           cpu_feat.hypervisor ? ", hypervisor" : "");
    printk("cpu: features:%s%s%s%s%s%s%s%s%s%s%s\n",
           cpu_feat.nx ? " nx" : "", cpu_feat.smep ? " smep" : "",
           cpu_feat.smap ? " smap" : "", cpu_feat.umip ? " umip" : "",
           cpu_feat.pcid ? " pcid" : "", cpu_feat.fsgsbase ? " fsgsbase" : "",
           cpu_feat.apic ? " apic" : "", cpu_feat.x2apic ? " x2apic" : "",
           cpu_feat.tsc_deadline ? " tsc-deadline" : "",
           cpu_feat.invariant_tsc ? " invariant-tsc" : "",
           cpu_feat.pages_1g ? " 1g-pages" : "");
    printk("cpu: enabled: nx%s%s%s wp\n", cpu_feat.smep ? " smep" : "",
           cpu_feat.smap ? " smap" : "", cpu_feat.umip ? " umip" : "");
}
