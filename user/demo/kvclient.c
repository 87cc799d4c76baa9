/* SPDX-License-Identifier: MIT */
/*
 * kvclient.c - a demo KeyValue client.  It has no arguments (ServiceEntry
 * args are not passed to processes yet): its role is the name of the
 * ClientEndpoint in its CapSet, "alice" (writes) or "bob" (reads what
 * alice wrote, deletes, and tries shutdown, which the server refuses on
 * the ordinary endpoint) or "carol" (sends a 64 KiB value through a shared
 * MemoryObject and shows the server reads her later writes in place).  Exit 0 iff every step gave the expected
 * outcome.
 */
#include <capos/capos.h>
#include <stdio.h>
#include <string.h>

#include "kv.h"

static const char *me = "?";
static int failures;

/* Print one step and its outcome; count unexpected outcomes. */
static void step(const char *what, err_t got, err_t want)
{
    printf("%s: %s -> %s%s%s%s\n", me, what, err_name(got),
           kv_last_error[0] ? " (\"" : "", kv_last_error,
           kv_last_error[0] ? "\")" : "");
    if (got != want) {
        printf("%s: UNEXPECTED: wanted %s\n", me, err_name(want));
        failures++;
    }
}

static void alice(uint32_t kv)
{
    static const char big[300] = "x";
    bool rep = true;
    char buf[KV_VALUE_MAX + 1], keys[256];
    uint32_t len = 0;

    step("put greeting = \"hello from alice\"",
         kv_put(kv, "greeting", "hello from alice", 16, &rep), ERR_OK);
    step("put color = \"blue\"", kv_put(kv, "color", "blue", 4, &rep), ERR_OK);
    step("put color = \"green\"", kv_put(kv, "color", "green", 5, &rep), ERR_OK);
    printf("%s:   replaced: %s\n", me, rep ? "yes" : "no");
    step("put big = 300 bytes", kv_put(kv, "big", big, sizeof big, NULL),
         ERR_RANGE);
    step("get color", kv_get(kv, "color", buf, &len), ERR_OK);
    printf("%s:   color = \"%s\"\n", me, buf);
    step("list", kv_list(kv, keys, sizeof keys), ERR_OK);
    printf("%s:   keys: %s\n", me, keys);
}

static void bob(uint32_t kv)
{
    char buf[KV_VALUE_MAX + 1];
    uint32_t len = 0, served = 0;

    step("get greeting", kv_get(kv, "greeting", buf, &len), ERR_OK);
    printf("%s:   greeting = \"%s\"\n", me, buf);
    step("delete color", kv_delete(kv, "color"), ERR_OK);
    step("get color", kv_get(kv, "color", buf, &len), ERR_NOTFOUND);
    step("shutdown", kv_shutdown(kv, &served), ERR_PERM);
}

/* carol: a 64 KiB value through shared memory (no copy), then a change
 * made through her own mapping that the server sees on the next get. */
static void carol(uint32_t kv)
{
    enum { SIZE = 64 * 1024 };
    uint32_t fa, mo = 0, len = 0;
    uint64_t addr = 0, sum = 0, want = 0;
    char buf[KV_VALUE_MAX + 1];
    if (capos_capset_find("frames", CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, &fa) ||
        capos_frames_alloc(fa, SIZE / 4096, &mo) ||
        capos_memobj_map(mo, 0, 0, SIZE, CAPOS_PROT_READ | CAPOS_PROT_WRITE, &addr)) {
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
         kv_put_shared(kv, "log", mo, SIZE, &sum), ERR_OK);
    printf("%s:   server checksum %llu, mine %llu: %s\n", me,
           (unsigned long long)sum, (unsigned long long)want,
           sum == want ? "same bytes, no copy made" : "DIFFERENT");
    failures += sum != want;
    memcpy(p, "log v2: ", 8);                 /* change it in place */
    step("get log (after writing through my own mapping)",
         kv_get(kv, "log", buf, &len), ERR_OK);
    buf[16] = 0;
    printf("%s:   server now reads \"%s...\"\n", me, buf);
    failures += memcmp(buf, "log v2: ", 8) != 0;
    capos_memobj_unmap(mo, addr, SIZE);
    capos_release(mo);                        /* the server keeps its copy */
}

int main(void)
{
    for (uint32_t i = 0; i < capos_capset_count(); i++) {
        const struct capos_capset_entry *e = capos_capset_entry(i);
        if (e->interface_id != CAPOS_CLIENT_ENDPOINT_INTERFACE_ID)
            continue;
        me = e->name;
        if (!strcmp(me, "alice"))
            alice(e->cap_id);
        else if (!strcmp(me, "bob"))
            bob(e->cap_id);
        else if (!strcmp(me, "carol"))
            carol(e->cap_id);
        else
            continue;
        return failures ? 1 : 0;
    }
    printf("kvclient: no \"alice\" or \"bob\" ClientEndpoint in the CapSet\n");
    return 2;
}
