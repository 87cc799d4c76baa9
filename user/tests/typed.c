/*
 * typed.c - TYPED0001: every kernel capability through its typed handle
 * and generated stubs (capos.capnp.rpc.h): CapSet lookups by interface,
 * every method with scalar, Text/Data, list, struct and capability
 * params and results, exceptions with the kernel's message in the
 * caller's reply, a result that does not fit the caller's buffer
 * (TOOSMALL), pointer results without a reply (INVAL), a call stating
 * another interface than the cap's (WRONGTYPE before the object runs),
 * the async submit/finish form batching three calls in one cap_enter, and
 * a call on a released handle (BADCAP).
 */
#include "t.h"

static CAPOS_REPLY(rep, 128);

static void console_timer(void)
{
    struct capos_console con;
    struct capos_timer tm;
    uint64_t t0 = 0, t1 = 0;

    CHECK_EQ(capos_capset_get_console("console", &con), ERR_OK);
    CHECK_EQ(capos_capset_get_timer("timer", &tm), ERR_OK);
    CHECK_EQ(capos_capset_get_timer("console", &tm), ERR_WRONGTYPE);
    CHECK_EQ(capos_capset_get_timer("nothing", &tm), ERR_NOTFOUND);
    CHECK_EQ(capos_capset_get_timer("timer", &tm), ERR_OK);
    CHECK_EQ(capos_console_write(con, "TYPED0001: write\n", 17, NULL), ERR_OK);
    CHECK_EQ(capos_console_write_line(con, "TYPED0001: line", 15, &rep), ERR_OK);
    CHECK_EQ(capos_timer_now(tm, &t0, NULL), ERR_OK);
    CHECK_EQ(capos_timer_sleep(tm, 1000000, NULL), ERR_OK);
    CHECK_EQ(capos_timer_now(tm, &t1, &rep), ERR_OK);
    CHECK(t1 >= t0 + 1000000);
    /* An exception: the code, and the kernel's message in the reply. */
    CHECK_EQ(capos_timer_sleep(tm, UINT64_MAX, &rep), ERR_OVERFLOW);
    CHECK(capos_reply_message(&rep)[0] != 0);
    /* Another interface than the cap's: refused before Timer runs. */
    CHECK_EQ(capos_console_write(CAPOS_HANDLE(capos_console, tm.cap), "x", 1,
                                 &rep), ERR_WRONGTYPE);
    /* Batch: three calls submitted, one cap_enter, then finished. */
    CAPOS_REPLY(a, 32);
    CAPOS_REPLY(b, 32);
    CAPOS_REPLY(c, 32);
    CHECK_EQ(capos_timer_now_submit(tm, &a), ERR_OK);
    CHECK_EQ(capos_timer_sleep_submit(tm, 1000, &b), ERR_OK);
    CHECK_EQ(capos_timer_now_submit(tm, &c), ERR_OK);
    CHECK_EQ(capos_ring_enter(capos_rt_ring(), 3, CAP_ENTER_NO_TIMEOUT), ERR_OK);
    CHECK_EQ(capos_ring_pending(capos_rt_ring()), 0);
    CHECK_EQ(capos_reply_wait(&c), ERR_OK);     /* in any order */
    CHECK_EQ(capos_reply_wait(&a), ERR_OK);
    CHECK_EQ(capos_reply_wait(&b), ERR_OK);
    CHECK_EQ(capos_reply_wait(&b), ERR_INVAL);  /* nothing submitted */
    CHECK_EQ(capos_timer_now_finish(&a, &t0), ERR_OK);
    CHECK_EQ(capos_timer_sleep_finish(&b), ERR_OK);
    CHECK_EQ(capos_timer_now_finish(&c, &t1), ERR_OK);
    CHECK(t1 >= t0);
}

static void memory(void)
{
    struct capos_frame_allocator fa;
    struct capos_memory_object one = {0}, two = {0}, child = {0};
    struct capos_virtual_memory vm;
    uint64_t free0 = 0, total = 0, pages = 0, size = 0, phys = 0, addr = 0;
    struct capnp_data d = {0};

    CHECK_EQ(capos_capset_get_frame_allocator("frames", &fa), ERR_OK);
    CHECK_EQ(capos_capset_get_virtual_memory("vm", &vm), ERR_OK);
    CHECK_EQ(capos_frame_allocator_stats(fa, &free0, &total, NULL), ERR_OK);
    CHECK(total >= free0 && free0 > 0);
    CHECK_EQ(capos_frame_allocator_alloc_frame(fa, &one, NULL), ERR_OK);
    CHECK_EQ(capos_frame_allocator_alloc_contiguous(fa, 2, &two, NULL), ERR_OK);
    CHECK_EQ(capos_frame_allocator_alloc_contiguous(fa, 0, &child, &rep),
             ERR_INVAL);
    CHECK_EQ(child.cap, 0);                    /* untouched on error */
    CHECK_EQ(capos_memory_object_info(two, &pages, &size, &phys, NULL), ERR_OK);
    CHECK_EQ(pages, 2);
    CHECK_EQ(size, 8192);
    CHECK_EQ(capos_memory_object_write(one, 8, "typed", 5, NULL), ERR_OK);
    CHECK_EQ(capos_memory_object_read(one, 8, 5, &d, NULL), ERR_INVAL);
    CHECK_EQ(capos_memory_object_read(one, 8, 5, &d, &rep), ERR_OK);
    CHECK(d.len == 5 && !memcmp(d.ptr, "typed", 5));
    /* 600 bytes do not fit a 128-word reply's result part: TOOSMALL. */
    CHECK_EQ(capos_memory_object_read(one, 0, 1200, &d, &rep), ERR_TOOSMALL);
    CHECK_EQ(capos_memory_object_subrange(two, 4096, 4096, &child, NULL), ERR_OK);
    CHECK_EQ(capos_memory_object_map(child, 0, 0, 4096,
                                     CAPOS_PROT_READ | CAPOS_PROT_WRITE, &addr,
                                     NULL), ERR_OK);
    *(volatile uint32_t *)(uintptr_t)addr = 7;
    CHECK_EQ(capos_memory_object_unmap(child, addr, 4096, NULL), ERR_OK);
    CHECK_EQ(capos_memory_object_unmap(child, addr, 4096, &rep), ERR_NOTFOUND);
    CHECK_EQ(capos_release(child.cap), ERR_OK);
    CHECK_EQ(capos_release(two.cap), ERR_OK);
    CHECK_EQ(capos_release(one.cap), ERR_OK);
    CHECK_EQ(capos_memory_object_info(one, &pages, NULL, NULL, NULL), ERR_BADCAP);
    /* VirtualMemory: every method. */
    CHECK_EQ(capos_virtual_memory_map(vm, 0, 4096, CAPOS_PROT_READ, &addr, NULL),
             ERR_OK);
    CHECK_EQ(capos_virtual_memory_protect(vm, addr, 4096,
                                          CAPOS_PROT_READ | CAPOS_PROT_WRITE,
                                          NULL), ERR_OK);
    CHECK_EQ(capos_virtual_memory_unmap(vm, addr, 4096, NULL), ERR_OK);
    CHECK_EQ(capos_virtual_memory_reserve(vm, 0, 8192, &addr, NULL), ERR_OK);
    CHECK_EQ(capos_virtual_memory_commit(vm, addr, 4096, CAPOS_PROT_READ, NULL),
             ERR_OK);
    CHECK_EQ(capos_virtual_memory_decommit(vm, addr, 4096, NULL), ERR_OK);
    CHECK_EQ(capos_virtual_memory_unmap(vm, addr, 8192, NULL), ERR_OK);
    CHECK_EQ(capos_frame_allocator_stats(fa, &pages, NULL, NULL), ERR_OK);
    CHECK(pages + 8 >= free0);      /* page tables stay until exit */
}

static void boot_caps_thread(void)
{
    struct capos_boot_package boot;
    struct capos_capability_manager mgr;
    struct capos_thread_control th;
    capos_capability_info_rlist l;
    uint64_t size = 0;
    struct capnp_data d = {0};

    CHECK_EQ(capos_capset_get_boot_package("boot", &boot), ERR_OK);
    CHECK_EQ(capos_capset_get_capability_manager("caps", &mgr), ERR_OK);
    CHECK_EQ(capos_capset_get_thread_control("thread", &th), ERR_OK);
    CHECK_EQ(capos_boot_package_manifest_size(boot, &size, NULL), ERR_OK);
    CHECK(size > 64);
    CHECK_EQ(capos_boot_package_read_manifest(boot, 0, 64, &d, &rep), ERR_OK);
    CHECK_EQ(d.len, 64);
    CHECK_EQ(capos_boot_package_read_manifest(boot, size + 1, 8, &d, &rep),
             ERR_RANGE);
    CHECK_EQ(capos_capability_manager_list(mgr, &l, &rep), ERR_OK);
    CHECK_EQ(capos_capability_info_rlist_len(l), capos_capset_count());
    CHECK_EQ(capos_capability_manager_list(mgr, &l, NULL), ERR_INVAL);
    CHECK_EQ(capos_thread_control_set_fs_base(th, 1ull << 63, &rep), ERR_INVAL);
}

static void spawn_endpoint(void)
{
    struct capos_process_spawner sp;
    struct capos_endpoint ep = {0};
    struct capos_client_endpoint plain = {0};
    struct capos_key_value kv = {0};
    struct capos_process_handle h = {0};
    struct capos_console con;
    uint32_t n = 9, pid = 0;
    int64_t code = -1;

    CHECK_EQ(capos_capset_get_process_spawner("spawner", &sp), ERR_OK);
    CHECK_EQ(capos_capset_get_console("console", &con), ERR_OK);
    CHECK_EQ(capos_process_spawner_new_endpoint(sp, &ep, NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_make_client(ep, 0, &plain, NULL), ERR_OK);
    /* A typed facet: its table entry says KeyValue. */
    CHECK_EQ(capos_endpoint_make_client(ep, CAPOS_KEY_VALUE_INTERFACE_ID,
                                        (struct capos_client_endpoint *)&kv,
                                        NULL), ERR_OK);
    CHECK_EQ(capos_endpoint_make_client(ep, CAPOS_TIMER_INTERFACE_ID,
                                        &plain, &rep), ERR_INVAL);
    CHECK_EQ(capos_endpoint_pending(ep, &n, NULL), ERR_OK);
    CHECK_EQ(n, 0);
    /* Stating Console on a KeyValue facet: refused, never queued. */
    CHECK_EQ(capos_console_write(CAPOS_HANDLE(capos_console, kv.cap), "x", 1,
                                 NULL), ERR_WRONGTYPE);
    CHECK_EQ(capos_endpoint_pending(ep, &n, NULL), ERR_OK);
    CHECK_EQ(n, 0);
    CHECK_EQ(capos_endpoint_revoke_clients(ep, NULL), ERR_OK);
    CHECK_EQ(capos_release(kv.cap), ERR_OK);
    CHECK_EQ(capos_release(plain.cap), ERR_OK);
    CHECK_EQ(capos_release(ep.cap), ERR_OK);
    /* spawn through the generated stub directly: exit_code exits 7. */
    const char *args[] = {"an argument"};
    CHECK_EQ(capos_process_spawner_spawn(sp, "child", 5, "exit_code", 9, 0,
                                         NULL, NULL, args, 1, NULL, NULL, &h, NULL),
             ERR_OK);
    CHECK_EQ(capos_process_handle_pid(h, &pid, NULL), ERR_OK);
    CHECK(pid != 0);
    CHECK_EQ(capos_process_handle_wait(h, &code, NULL), ERR_OK);
    CHECK_EQ(code, 7);
    CHECK_EQ(capos_release(h.cap), ERR_OK);
    CHECK_EQ(capos_process_spawner_spawn(sp, "child", 5, "no such", 7, 0, NULL,
                                         NULL, NULL, 0, NULL, NULL, &h, &rep),
             ERR_NOTFOUND);
    CHECK(capos_reply_message(&rep)[0] != 0);
}

int main(void)
{
    console_timer();
    memory();
    boot_caps_thread();
    spawn_endpoint();
    return t_result();
}
