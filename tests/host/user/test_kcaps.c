/* SPDX-License-Identifier: MIT */
/*
 * test_kcaps.c - the typed kernel-cap wrappers (lib/capos/console.c,
 * kcaps.c) and the runtime globals (rt.c) against a fake kernel whose
 * objects are served with the generated server dispatch, as the real
 * kernel does.  Checks that params built by the wrappers decode with the
 * generated readers and that results and exceptions come back.
 */
#include <capos.capnp.h>
#include <capos/capos.h>
#include <common/test.h>
#include <string.h>

#include "fake_kernel.h"

enum { CAP_CONSOLE = 1, CAP_TIMER, CAP_BOOT, CAP_CAPMGR, CAP_PROC };

static struct fake_kernel k;
static char console_out[8192];
static size_t console_len;
static uint64_t clock_ns = 1000;
static uint8_t manifest[10000];

static int con_write(void *ctx, capos_console_write_params_r p,
                     capos_console_write_results_b r)
{
    struct capnp_data d = capos_console_write_params_get_data(p);
    (void)ctx; (void)r;
    memcpy(console_out + console_len, d.ptr, d.len);
    console_len += d.len;
    return ERR_OK;
}
static int con_line(void *ctx, capos_console_write_line_params_r p,
                    capos_console_write_line_results_b r)
{
    struct capnp_text t = capos_console_write_line_params_get_text(p);
    (void)ctx; (void)r;
    memcpy(console_out + console_len, t.str, t.len);
    console_len += t.len;
    console_out[console_len++] = '\n';
    return ERR_OK;
}
static int tm_now(void *ctx, capos_timer_now_params_r p,
                  capos_timer_now_results_b r)
{
    (void)ctx; (void)p;
    capos_timer_now_results_set_ns(r, clock_ns);
    return ERR_OK;
}
static int tm_sleep(void *ctx, capos_timer_sleep_params_r p,
                    capos_timer_sleep_results_b r)
{
    uint64_t ns = capos_timer_sleep_params_get_ns(p);
    (void)ctx; (void)r;
    if (ns > UINT64_MAX - clock_ns)
        return ERR_OVERFLOW;
    clock_ns += ns;
    return ERR_OK;
}
static int bp_size(void *ctx, capos_boot_package_manifest_size_params_r p,
                   capos_boot_package_manifest_size_results_b r)
{
    (void)ctx; (void)p;
    capos_boot_package_manifest_size_results_set_size(r, sizeof(manifest));
    return ERR_OK;
}
static int bp_read(void *ctx, capos_boot_package_read_manifest_params_r p,
                   capos_boot_package_read_manifest_results_b r)
{
    uint64_t off = capos_boot_package_read_manifest_params_get_offset(p);
    uint32_t max = capos_boot_package_read_manifest_params_get_max_bytes(p);
    (void)ctx;
    if (off > sizeof(manifest))
        return ERR_RANGE;
    if (max > sizeof(manifest) - off)
        max = (uint32_t)(sizeof(manifest) - off);
    capos_boot_package_read_manifest_results_set_data(r, manifest + off, max);
    return ERR_OK;
}
static int cm_list(void *ctx, capos_capability_manager_list_params_r p,
                   capos_capability_manager_list_results_b r)
{
    capos_capability_info_blist l =
        capos_capability_manager_list_results_init_capabilities(r, 3);
    (void)ctx; (void)p;
    for (uint32_t i = 0; i < 3; i++) {
        capos_capability_info_b e = capos_capability_info_blist_at(l, i);
        capos_capability_info_set_cap_id(e, 10 + i);
        capos_capability_info_set_interface_id(e, 0xabc0 + i);
        capos_capability_info_set_name(e, i ? "timer" : "console",
                                       i ? 5 : 7);
    }
    return ERR_OK;
}
static int ph_wait(void *ctx, capos_process_handle_wait_params_r p,
                   capos_process_handle_wait_results_b r)
{
    (void)ctx; (void)p;
    capos_process_handle_wait_results_set_exit_code(r, -42);
    return ERR_OK;
}
static int ph_pid(void *ctx, capos_process_handle_pid_params_r p,
                  capos_process_handle_pid_results_b r)
{
    (void)ctx; (void)p;
    capos_process_handle_pid_results_set_pid(r, 7);
    return ERR_OK;
}

static int ph_kill(void *ctx, capos_process_handle_kill_params_r p,
                   capos_process_handle_kill_results_b r)
{
    (void)ctx; (void)p; (void)r;
    return ERR_OK;
}

static const capos_console_server_t con_srv = {con_write, con_line};
static const capos_timer_server_t tm_srv = {tm_now, tm_sleep};
static const capos_boot_package_server_t bp_srv = {bp_size, bp_read};
static const capos_capability_manager_server_t cm_srv = {cm_list};
static const capos_process_handle_server_t ph_srv = {ph_wait, ph_pid, ph_kill};

/* Run the method on the object named by cap_id. */
static int dispatch(uint32_t cap, uint16_t m, struct capnp_msg *params,
                    struct capnp_builder *res)
{
    switch (cap) {
    case CAP_CONSOLE: return capos_console_dispatch(&con_srv, NULL, m, params, res);
    case CAP_TIMER: return capos_timer_dispatch(&tm_srv, NULL, m, params, res);
    case CAP_BOOT: return capos_boot_package_dispatch(&bp_srv, NULL, m, params, res);
    case CAP_CAPMGR: return capos_capability_manager_dispatch(&cm_srv, NULL, m, params, res);
    case CAP_PROC: return capos_process_handle_dispatch(&ph_srv, NULL, m, params, res);
    default: return -1;
    }
}

/* Serialize b (or an exception for error e) into the SQE's result buffer. */
static void answer(const struct ring_sqe *sqe, struct ring_cqe *cqe,
                   struct capnp_builder *b, uint64_t *arena, int e)
{
    size_t n = 0;

    if (e != ERR_OK) {
        capnp_builder_init(b, arena, 256);
        capos_cap_exception_b x = capos_cap_exception_init_root(b);
        capos_cap_exception_set_type(x, CAPOS_EXCEPTION_TYPE_FAILED);
        capos_cap_exception_set_message(x, "fake failure", 12);
        capos_cap_exception_set_code(x, (uint16_t)e);
        cqe->aux = (uint32_t)e;
    }
    if (capnp_builder_serialize(b, (void *)(uintptr_t)sqe->result_addr,
                                sqe->result_len, &n) != CAPNP_OK) {
        cqe->result = e ? CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED
                        : CAP_ERR_APPLICATION_EXCEPTION;
        cqe->aux = e ? (uint32_t)e : ERR_TOOSMALL;
        return;
    }
    cqe->result = e ? CAP_ERR_APPLICATION_EXCEPTION : (int32_t)n;
}

/* The fake kernel's CALL path. */
static enum fake_verdict serve(struct fake_kernel *kk,
                               const struct ring_sqe *sqe,
                               struct ring_cqe *cqe)
{
    static uint64_t arena[4096];
    struct capnp_builder b;
    struct capnp_msg params;
    int e;

    (void)kk;
    if (sqe->opcode != RING_OP_CALL || sqe->cap_id > CAP_PROC ||
        sqe->cap_id == 0) {
        cqe->result = CAP_ERR_INVOKE_FAILED;
        cqe->aux = ERR_BADCAP;
        return FAKE_NOW;
    }
    capnp_builder_init(&b, arena, 4096);
    if (capnp_msg_init(&params, (const void *)(uintptr_t)sqe->addr, sqe->len,
                       NULL) != CAPNP_OK)
        e = ERR_BADFORMAT;
    else
        e = dispatch(sqe->cap_id, sqe->method_id, &params, &b);
    answer(sqe, cqe, &b, arena, e);
    return sqe->cap_id == CAP_TIMER && sqe->method_id == 1 ? FAKE_DEFER
                                                           : FAKE_NOW;
}

static void setup(void)
{
    fake_init(&k, UINT32_MAX - 3);
    k.handler = serve;
    console_len = 0;
    clock_ns = 1000;
    for (size_t i = 0; i < sizeof(manifest); i++)
        manifest[i] = (uint8_t)(i * 7);
    capos_rt_setup(k.page, 9, NULL, 0, fake_enter, &k);
}

TEST(kcaps_console_write_and_line)
{
    static char big[3000];

    setup();
    ASSERT_EQ(capos_console_puts(CAPOS_HANDLE(capos_console, CAP_CONSOLE), "hello "), ERR_OK);
    ASSERT_EQ(capos_console_puts_line(CAPOS_HANDLE(capos_console, CAP_CONSOLE), "world"), ERR_OK);
    EXPECT_EQ(console_len, 12);
    EXPECT_TRUE(memcmp(console_out, "hello world\n", 12) == 0);
    memset(big, 'z', sizeof(big));
    ASSERT_EQ(capos_console_write_all(CAPOS_HANDLE(capos_console, CAP_CONSOLE), big, sizeof(big)), ERR_OK);
    EXPECT_EQ(console_len, 12 + sizeof(big));
    EXPECT_EQ(k.consumed, 2 + 3);   /* 3000 bytes = 3 chunks */
    EXPECT_EQ(capos_rt_pid(), 9);
}

TEST(kcaps_timer_now_and_deferred_sleep)
{
    uint64_t t0 = 0, t1 = 0;

    setup();
    ASSERT_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, CAP_TIMER), &t0, NULL), ERR_OK);
    ASSERT_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, CAP_TIMER), 100000000, NULL), ERR_OK);
    ASSERT_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, CAP_TIMER), &t1, NULL), ERR_OK);
    EXPECT_EQ(t0, 1000);
    EXPECT_EQ(t1 - t0, 100000000);
}

TEST(kcaps_exception_becomes_error)
{
    struct ring_cqe cqe;
    struct capos_exception ex;
    uint64_t res[32];
    struct capos_msgbuf m;
    uint64_t pw[8];

    setup();
    clock_ns = UINT64_MAX - 5;
    EXPECT_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, CAP_TIMER), 100, NULL), ERR_OVERFLOW);
    /* The same through capos_call, decoding the exception. */
    capos_timer_sleep_params_set_ns(
        capos_timer_sleep_params_init_root(capos_msg_begin(&m, pw, 8)), 100);
    ASSERT_EQ(capos_msg_finish(&m), ERR_OK);
    EXPECT_EQ(capos_call(CAP_TIMER, CAPOS_TIMER_METHOD_SLEEP, m.words, m.len,
                         res, sizeof(res), &cqe), ERR_OVERFLOW);
    ASSERT_EQ(capos_exception_decode(&cqe, res, sizeof(res), &ex), ERR_OK);
    EXPECT_EQ(ex.code, ERR_OVERFLOW);
    EXPECT_TRUE(strcmp(ex.message, "fake failure") == 0);
    /* The generated stub keeps the message in the caller's reply. */
    CAPOS_REPLY(rep, 64);
    EXPECT_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, CAP_TIMER), 100, &rep),
              ERR_OVERFLOW);
    EXPECT_TRUE(strcmp(capos_reply_message(&rep), "fake failure") == 0);
    EXPECT_EQ(capos_timer_sleep(CAPOS_HANDLE(capos_timer, CAP_TIMER), 100, NULL),
              ERR_OVERFLOW);
    EXPECT_EQ(capos_timer_now(CAPOS_HANDLE(capos_timer, 99), &clock_ns, NULL), ERR_BADCAP);
}

TEST(kcaps_boot_manifest_chunks)
{
    static uint8_t copy[sizeof(manifest)];
    uint64_t size = 0, off = 0;
    uint32_t got;

    setup();
    ASSERT_EQ(capos_boot_package_manifest_size(CAPOS_HANDLE(capos_boot_package, CAP_BOOT), &size, NULL), ERR_OK);
    ASSERT_EQ(size, sizeof(manifest));
    while (off < size) {
        ASSERT_EQ(capos_boot_read_manifest(CAPOS_HANDLE(capos_boot_package, CAP_BOOT), off, copy + off, 4096, &got), ERR_OK);
        ASSERT_TRUE(got > 0 && got <= 4096);
        off += got;
    }
    EXPECT_TRUE(memcmp(copy, manifest, sizeof(manifest)) == 0);
    ASSERT_EQ(capos_boot_read_manifest(CAPOS_HANDLE(capos_boot_package, CAP_BOOT), size, copy, 4096, &got),
              ERR_OK);
    EXPECT_EQ(got, 0);
    EXPECT_EQ(capos_boot_read_manifest(CAPOS_HANDLE(capos_boot_package, CAP_BOOT), size + 1, copy, 16, &got),
              ERR_RANGE);
}

TEST(kcaps_capmgr_list_and_process)
{
    struct capos_cap_info info[2];
    uint32_t n = 0, pid = 0;
    int64_t code = 0;

    setup();
    ASSERT_EQ(capos_capmgr_list(CAPOS_HANDLE(capos_capability_manager, CAP_CAPMGR), info, 2, &n), ERR_OK);
    EXPECT_EQ(n, 3);
    EXPECT_EQ(info[0].cap_id, 10);
    EXPECT_EQ(info[1].interface_id, 0xabc1);
    EXPECT_TRUE(strcmp(info[0].name, "console") == 0);
    EXPECT_TRUE(strcmp(info[1].name, "timer") == 0);
    ASSERT_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, CAP_PROC), &code, NULL), ERR_OK);
    EXPECT_EQ(code, -42);
    ASSERT_EQ(capos_process_handle_pid(CAPOS_HANDLE(capos_process_handle, CAP_PROC), &pid, NULL), ERR_OK);
    EXPECT_EQ(pid, 7);
}

static char hook_log[8];
static int hook_n;
static void hook_a(void) { hook_log[hook_n++] = 'a'; }
static void hook_b(void) { hook_log[hook_n++] = 'b'; }

TEST(rt_exit_hooks_run_once_last_first)
{
    setup();
    hook_n = 0;
    ASSERT_EQ(capos_rt_atexit(hook_a), ERR_OK);
    ASSERT_EQ(capos_rt_atexit(hook_b), ERR_OK);
    ASSERT_EQ(capos_rt_atexit(hook_a), ERR_OK);
    ASSERT_EQ(capos_rt_atexit(hook_a), ERR_OK);
    EXPECT_EQ(capos_rt_atexit(hook_b), ERR_FULL);
    capos_rt_run_exit_hooks();
    capos_rt_run_exit_hooks();
    EXPECT_EQ(hook_n, 4);
    EXPECT_TRUE(memcmp(hook_log, "aaba", 4) == 0);
}
