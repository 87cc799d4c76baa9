/* SPDX-License-Identifier: MIT */
/*
 * kvclient.c - a demo KeyValue client on the generated stubs.  Its role is
 * the name of the KeyValue facet in its CapSet: "alice" (writes), "bob"
 * (reads what alice wrote, deletes, and tries stats, which the server
 * refuses on the ordinary endpoint) or "carol" (sends a 64 KiB value
 * through a shared MemoryObject and shows the server reads her later
 * writes in place).  Exit 0 iff every step gave the expected outcome.
 */
#include <capos/capos.h>
#include <stdio.h>
#include <string.h>

static const char *me = "?";
static int failures;
static CAPOS_REPLY(rep, 160);   /* results and the server's messages */

/* Print one step and its outcome; count unexpected outcomes. */
static void step(const char *what, err_t got, err_t want)
{
    const char *why = got ? capos_reply_message(&rep) : "";
    printf("%s: %s -> %s%s%s%s\n", me, what, err_name(got), why[0] ? " (\"" : "",
           why, why[0] ? "\")" : "");
    if (got != want) {
        printf("%s: UNEXPECTED: wanted %s\n", me, err_name(want));
        failures++;
    }
}

/* Print the keys of a list result. */
static void print_keys(struct capnp_list keys)
{
    printf("%s:   keys:", me);
    for (uint32_t i = 0; i < capnp_list_len(&keys); i++) {
        struct capnp_ptr p = capnp_list_ptr(&keys, i);
        struct capnp_text t = capnp_ptr_read_text(&p, (struct capnp_text){0});
        printf("%s %s", i ? "," : "", t.str ? t.str : "");
    }
    printf("\n");
}

static void alice(struct capos_key_value kv)
{
    static const char big[300] = "x";
    bool rep_ = true;
    struct capnp_data v = {0};
    struct capnp_list keys = {0};

    step("put greeting = \"hello from alice\"",
         capos_key_value_put(kv, "greeting", 8, "hello from alice", 16, &rep_,
                             &rep), ERR_OK);
    step("put color = \"blue\"",
         capos_key_value_put(kv, "color", 5, "blue", 4, &rep_, &rep), ERR_OK);
    step("put color = \"green\"",
         capos_key_value_put(kv, "color", 5, "green", 5, &rep_, &rep), ERR_OK);
    printf("%s:   replaced: %s\n", me, rep_ ? "yes" : "no");
    step("put big = 300 bytes",
         capos_key_value_put(kv, "big", 3, big, sizeof big, NULL, &rep),
         ERR_RANGE);
    step("get color", capos_key_value_get(kv, "color", 5, &v, &rep), ERR_OK);
    printf("%s:   color = \"%.*s\"\n", me, (int)v.len, (const char *)v.ptr);
    step("list", capos_key_value_list(kv, &keys, &rep), ERR_OK);
    print_keys(keys);
}

static void bob(struct capos_key_value kv)
{
    struct capnp_data v = {0};
    uint32_t served = 0;

    step("get greeting", capos_key_value_get(kv, "greeting", 8, &v, &rep),
         ERR_OK);
    printf("%s:   greeting = \"%.*s\"\n", me, (int)v.len, (const char *)v.ptr);
    step("delete color", capos_key_value_delete(kv, "color", 5, &rep), ERR_OK);
    step("get color", capos_key_value_get(kv, "color", 5, &v, &rep),
         ERR_NOTFOUND);
    step("stats", capos_key_value_stats(kv, &served, NULL, &rep), ERR_PERM);
}

/* carol: a 64 KiB value through shared memory (no copy), then a change
 * made through her own mapping that the server sees on the next get. */
static void carol(struct capos_key_value kv)
{
    enum { SIZE = 64 * 1024 };
    struct capos_frame_allocator fa;
    struct capos_memory_object mo = {0};
    uint64_t addr = 0, sum = 0, want = 0;
    struct capnp_data v = {0};

    if (capos_capset_get_frame_allocator("frames", &fa) ||
        capos_frame_allocator_alloc_contiguous(fa, SIZE / 4096, &mo, NULL) ||
        capos_memory_object_map(mo, 0, 0, SIZE,
                                CAPOS_PROT_READ | CAPOS_PROT_WRITE, &addr,
                                NULL)) {
        printf("%s: cannot set up shared memory\n", me);
        failures++;
        return;
    }
    char *p = (char *)(uintptr_t)addr;
    for (uint32_t i = 0; i < SIZE; i++)
        p[i] = (char)('a' + i % 26);
    memcpy(p, "log v1: ", 8);
    for (uint32_t i = 0; i < SIZE; i++)
        want += (uint8_t)p[i];
    step("putShared log = 64 KiB MemoryObject",
         capos_key_value_put_shared(kv, "log", 3, mo, SIZE, &sum, &rep), ERR_OK);
    printf("%s:   server checksum %llu, mine %llu: %s\n", me,
           (unsigned long long)sum, (unsigned long long)want,
           sum == want ? "same bytes, no copy made" : "DIFFERENT");
    failures += sum != want;
    memcpy(p, "log v2: ", 8);                 /* change it in place */
    step("get log (after writing through my own mapping)",
         capos_key_value_get(kv, "log", 3, &v, &rep), ERR_OK);
    printf("%s:   server now reads \"%.16s...\"\n", me, (const char *)v.ptr);
    failures += v.len < 8 || memcmp(v.ptr, "log v2: ", 8) != 0;
    capos_memory_object_unmap(mo, addr, SIZE, NULL);
    capos_release(mo.cap);                    /* the server keeps its copy */
}

int main(void)
{
    static const char *const roles[] = {"alice", "bob", "carol"};
    static void (*const run[])(struct capos_key_value) = {alice, bob, carol};
    struct capos_key_value kv;

    for (uint32_t i = 0; i < 3; i++) {
        if (capos_capset_get_key_value(roles[i], &kv) != ERR_OK)
            continue;
        me = roles[i];
        run[i](kv);
        return failures ? 1 : 0;
    }
    printf("kvclient: no \"alice\", \"bob\" or \"carol\" KeyValue in the CapSet\n");
    return 2;
}
