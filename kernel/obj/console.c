/*
 * console.c - the Console capability: text to the kernel's serial console.
 *
 * A singleton; every holder writes to the same console.  Writes longer than
 * CONSOLE_WRITE_MAX are rejected whole (INVAL), never cut.
 */
#include <capos.capnp.h>
#include <kernel/kobjs.h>
#include <kernel/printk.h>
#include <kernel/serial.h>
#include <kernel/spinlock.h>

static const struct kobj_ops console_ops = {.name = "console",
                                            .type = KOBJ_CONSOLE};
static struct kobj console;
static struct spinlock console_lock = SPINLOCK_INIT("console");

struct kobj *console_obj(void)
{
    if (!console.ops)
        kobj_init(&console, &console_ops);
    return &console;
}

/* Write bytes under the console lock so lines from processes stay whole. */
static void console_put(const char *s, uint32_t len, bool newline)
{
    uint64_t f = spin_lock_irqsave(&console_lock);
    for (uint32_t i = 0; i < len; i++)
        serial_putc(s[i]);
    if (newline)
        serial_putc('\n');
    spin_unlock_irqrestore(&console_lock, f);
}

static int console_write(void *ctx, capos_console_write_params_r params,
                         capos_console_write_results_b results)
{
    (void)results;
    struct capnp_data d = capos_console_write_params_get_data(params);
    if (d.len > CONSOLE_WRITE_MAX)
        return call_fail(ctx, ERR_INVAL, "write longer than the console limit");
    console_put((const char *)d.ptr, d.len, false);
    return ERR_OK;
}

static int console_write_line(void *ctx, capos_console_write_line_params_r params,
                              capos_console_write_line_results_b results)
{
    (void)results;
    struct capnp_text t = capos_console_write_line_params_get_text(params);
    if (t.len > CONSOLE_WRITE_MAX)
        return call_fail(ctx, ERR_INVAL, "line longer than the console limit");
    console_put(t.str, t.len, true);
    return ERR_OK;
}

static const capos_console_server_t console_server = {
    .write = console_write,
    .write_line = console_write_line,
};

static int console_dispatch(struct call_ctx *c, uint16_t m,
                            struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_console_dispatch(&console_server, c, m, params, res);
}

const struct kiface console_iface = {
    .id = CAPOS_CONSOLE_INTERFACE_ID, .name = "Console",
    .dispatch = console_dispatch};
