/*
 * threadctl.c - THREAD0001: ThreadControl.  setFsBase points %fs at a
 * user block (a read through %fs:0 sees it); a kernel-half base is INVAL;
 * exitThread ends the (single-threaded) process with its code (9), and
 * nothing after it runs.
 */
#include "t.h"

static uint64_t block[4] = {0x1122334455667788ull, 0, 0, 0};
static uint64_t pw[16], rw[16];

/* One ThreadControl call with a uint64 argument (raw, generated builders). */
static err_t tc_call(uint32_t tc, uint16_t method, uint64_t arg)
{
    struct capos_msgbuf m;
    struct capnp_builder *b = capos_msg_begin(&m, pw, 16);
    if (method == CAPOS_THREAD_CONTROL_METHOD_SET_FS_BASE)
        capos_thread_control_set_fs_base_params_set_base(
            capos_thread_control_set_fs_base_params_init_root(b), arg);
    else
        capos_thread_control_exit_thread_params_set_code(
            capos_thread_control_exit_thread_params_init_root(b), (int64_t)arg);
    capos_msg_finish(&m);
    struct ring_cqe c;
    return capos_call(tc, method, m.words, m.len, rw, sizeof rw, &c);
}

int main(void)
{
    uint32_t tc = t_cap("thread");
    uint64_t v = 0;
    CHECK_EQ(tc_call(tc, CAPOS_THREAD_CONTROL_METHOD_SET_FS_BASE,
                     (uintptr_t)block), ERR_OK);
    __asm__ volatile("mov %%fs:0, %0" : "=r"(v));
    CHECK_EQ(v, 0x1122334455667788ull);
    CHECK_EQ(tc_call(tc, CAPOS_THREAD_CONTROL_METHOD_SET_FS_BASE,
                     0xffff800000000000ull), ERR_INVAL);
    if (t_failures)
        return t_result();
    tc_call(tc, CAPOS_THREAD_CONTROL_METHOD_EXIT_THREAD, 9);
    return 1;       /* not reached */
}
