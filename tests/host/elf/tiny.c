/*
 * tiny.c - a minimal freestanding static program, linked at build time
 * (mk/elf.mk) into $(BUILD)/elf/tiny.elf as a real-toolchain input for the
 * ELF parser tests.  It is never run.  It has text, rodata, data, bss and a
 * TLS template (.tdata + .tbss), so the linker emits the usual PT_LOAD set,
 * PT_TLS and PT_GNU_STACK.
 */
__thread int tiny_tls_data = 42;
__thread int tiny_tls_bss;
int tiny_data = 7;
int tiny_bss;
static const char tiny_ro[] = "capOS";

void _start(void) __attribute__((noreturn));

/* Entry point: touches every section so none is discarded, then halts. */
void _start(void)
{
    tiny_tls_bss = tiny_tls_data + tiny_data + tiny_bss + tiny_ro[1];
    for (;;)
        __asm__ volatile("pause");
}
