/* SPDX-License-Identifier: MIT */
/*
 * main.c - the terminal service: owns the serial line and serves
 * TerminalSession to the programs of one login session (docs/terminal.md).
 *
 * Theory of operation.  Like getty, the terminal starts the session's
 * first program, the leader: argv[1] names its boot-package binary and
 * argv[2..] the terminal's own CapSet entries the leader receives
 * (copies, under the same names), plus "stdio", a fresh client facet of
 * the terminal's Endpoint "term".  Nothing else is passed.  Then three
 * operations stay outstanding on the ring: a Serial.read (input, waiting
 * for ever), a RECV on "term" (a TerminalSession call) and a
 * ProcessHandle.wait on the leader; whichever completes is handled
 * (session.c) and renewed.  When the leader exits, the terminal says so
 * and exits 0.  Needs "serial" (Serial), "term" (Endpoint) and
 * "spawner" (ProcessSpawner).
 */
#include <stdio.h>
#include <string.h>

#include "serialc.h"
#include "term.h"

#define UD_SERIAL 1
#define UD_RECV 2
#define UD_WAIT 3
#define RBUF_WORDS 1200          /* a 4,096-byte write and its framing */
#define MAX_PASS 8

static uint64_t rbuf[RBUF_WORDS];
static uint64_t wait_params[4], wait_result[16];
static struct serialc_read rd;

/* Tell the person at the line (the terminal may hold no Console). */
static void say(uint32_t serial, const char *msg)
{
    (void)serialc_write(serial, msg, (uint32_t)strlen(msg));
}

/* The CapSet entry called name, or NULL. */
static const struct capos_capset_entry *entry(const char *name)
{
    for (uint32_t i = 0; i < capos_capset_count(); i++)
        if (!strcmp(capos_capset_entry(i)->name, name))
            return capos_capset_entry(i);
    return NULL;
}

/* Spawn the leader argv[1] with stdio + argv[2..]; *handle on success. */
static err_t start_leader(uint32_t serial, uint32_t ep, uint32_t spawner,
                          int argc, char **argv, uint32_t *handle)
{
    struct capos_spawn_grant g[1 + MAX_PASS];
    uint32_t n = 1, facet;
    char msg[128];
    err_t e;

    if (argc < 2 || argc - 2 > MAX_PASS) {
        say(serial, "term: usage: term LEADER [CAP...] (at most 8 caps)\n");
        return ERR_INVAL;
    }
    for (int i = 2; i < argc; i++, n++) {
        const struct capos_capset_entry *c = entry(argv[i]);
        if (!c) {
            snprintf(msg, sizeof msg, "term: no capability \"%s\" to pass on\n",
                     argv[i]);
            say(serial, msg);
            return ERR_NOTFOUND;
        }
        g[n] = (struct capos_spawn_grant){c->name, c->cap_id, c->interface_id,
                                          XFER_COPY};
    }
    if ((e = capos_endpoint_make_client(CAPOS_HANDLE(capos_endpoint, ep), 0, (struct capos_client_endpoint *)&facet, NULL)) != ERR_OK)
        return e;
    g[0] = (struct capos_spawn_grant){"stdio", facet,
                                      CAPOS_CLIENT_ENDPOINT_INTERFACE_ID,
                                      XFER_MOVE};
    /* The shell starts programs: its quota holds a few (carved out of
     * term's, docs/capabilities.md "The quota tree"). */
    static const struct capos_quota shell_quota = {
        .frames = 8192, .processes = 6, .threads = 6};
    e = capos_spawner_spawn_quota(spawner, argv[1], argv[1], g, n, NULL, 0,
                                  &shell_quota, handle);
    if (e != ERR_OK) {
        snprintf(msg, sizeof msg, "term: cannot start \"%s\": %s\n", argv[1],
                 err_name(e));
        say(serial, msg);
        capos_release(facet);
    }
    return e;
}

/* Submit ProcessHandle.wait on h (no wait). */
static err_t wait_submit(uint32_t h)
{
    struct capos_msgbuf m;
    struct ring_sqe sqe;
    err_t e;
    capos_process_handle_wait_params_init_root(capos_msg_begin(&m, wait_params, 4));
    if ((e = capos_msg_finish(&m)) != ERR_OK)
        return e;
    capos_process_handle_wait_call(&sqe, h, m.words, m.len, wait_result,
                                   sizeof wait_result);
    sqe.user_data = UD_WAIT;
    if ((e = capos_ring_submit(capos_rt_ring(), &sqe)) != ERR_OK)
        return e;
    return capos_ring_flush(capos_rt_ring());
}

/* The leader's exit code from the wait completion. */
static int64_t exit_code(const struct ring_cqe *c)
{
    struct capnp_msg msg;
    if (capos_cqe_err(c) || capos_msg_read(&msg, wait_result, (size_t)c->result))
        return -1;
    return capos_process_handle_wait_results_get_exit_code(
        capos_process_handle_wait_results_read_root(&msg));
}

/* Serial input arrived: hand it over, read again. */
static err_t on_serial(uint32_t serial, const struct ring_cqe *c)
{
    uint8_t buf[256];
    uint32_t n = 0;
    uint64_t dropped = 0;
    err_t e = serialc_read_parse(&rd, c, buf, sizeof buf, &n, &dropped);
    if (e != ERR_OK)
        return e;
    term_input(buf, n, dropped);
    return serialc_read_submit(&rd, serial, sizeof buf, UINT64_MAX, UD_SERIAL);
}

/* A TerminalSession call arrived: serve it, receive again. */
static err_t on_recv(uint32_t ep, const struct ring_cqe *c)
{
    struct capos_request req;
    err_t e = capos_server_parse(c, rbuf, sizeof rbuf, &req);
    if (e == ERR_OK)
        term_request(&req);
    else if (e != ERR_BADFORMAT)
        return e;
    return capos_server_recv_submit(ep, rbuf, sizeof rbuf, UD_RECV);
}

static int serve(uint32_t serial, uint32_t ep, uint32_t leader)
{
    struct ring_cqe c;
    char msg[80];
    err_t e = serialc_read_submit(&rd, serial, 256, UINT64_MAX, UD_SERIAL);
    if (!e)
        e = capos_server_recv_submit(ep, rbuf, sizeof rbuf, UD_RECV);
    if (!e)
        e = wait_submit(leader);
    while (!e) {
        if ((e = capos_ring_wait_any(capos_rt_ring(), CAP_ENTER_NO_TIMEOUT, &c)))
            break;
        if (c.user_data == UD_SERIAL)
            e = on_serial(serial, &c);
        else if (c.user_data == UD_RECV)
            e = on_recv(ep, &c);
        else if (c.user_data == UD_WAIT) {
            snprintf(msg, sizeof msg, "term: session ended (exit code %lld)\n",
                     (long long)exit_code(&c));
            term_write(msg, (uint32_t)strlen(msg));
            return 0;
        }
    }
    snprintf(msg, sizeof msg, "term: stopped: %s\n", err_name(e));
    say(serial, msg);
    return 1;
}

int main(int argc, char **argv)
{
    uint32_t serial, ep, spawner, leader;

    if (capos_capset_find("serial", CAPOS_SERIAL_INTERFACE_ID, &serial))
        return 2;                   /* nowhere to say anything */
    if (capos_capset_find("term", CAPOS_ENDPOINT_INTERFACE_ID, &ep) ||
        capos_capset_find("spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID,
                          &spawner)) {
        say(serial, "term: needs \"term\" (Endpoint) and \"spawner\" "
                    "(ProcessSpawner)\n");
        return 2;
    }
    term_init(serial, ep);
    if (start_leader(serial, ep, spawner, argc, argv, &leader) != ERR_OK)
        return 1;
    return serve(serial, ep, leader);
}
