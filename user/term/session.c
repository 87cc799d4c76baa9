/* SPDX-License-Identifier: MIT */
/*
 * session.c - the terminal's TerminalSession server: readLine with the
 * line discipline (ledit.c), Ctrl-C as an event, type-ahead, write.
 *
 * Theory of operation.  At most one readLine and one waitInterrupt are
 * held (received, not yet answered) at a time; a newer one takes over and
 * the older gets BUSY.  Input bytes go to the line editor while a
 * readLine is held.  Otherwise Ctrl-C is handled at once (echoed as ^C,
 * the type-ahead is discarded, and the interrupt goes to the held
 * waitInterrupt or is kept for the next readLine/waitInterrupt, which
 * then answers at once) and every other byte is kept in a bounded
 * type-ahead buffer (TERM_TYPEAHEAD; bytes beyond it are dropped, with
 * a bell) that the next readLine edits first.  Echo is collected in a
 * small buffer and written to the Serial capability in one call at the
 * end of each event.  Everything the terminal answers or refuses is
 * decided here; main.c only moves bytes and calls.
 */
#include <stdio.h>
#include <string.h>

#include "ledit.h"
#include "serialc.h"
#include "term.h"

#define OUT_MAX 1024u
#define REPLY_WORDS 64

struct held {
    bool active;
    uint32_t call_id;
};

static struct {
    uint32_t serial, ep;
    struct ledit ed;
    struct held line, intr;
    uint32_t intr_kept;             /* Ctrl-C not delivered yet */
    uint8_t ahead[TERM_TYPEAHEAD];
    uint32_t nahead;
    uint64_t ahead_dropped, line_dropped, line_dropped_shown;
    char out[OUT_MAX];
    uint32_t nout;
} t;

static void flush(void)
{
    if (t.nout)
        (void)serialc_write(t.serial, t.out, t.nout);
    t.nout = 0;
}

/* Echo sink of the line editor. */
static void emit(void *ctx, const char *s, uint32_t n)
{
    (void)ctx;
    while (n) {
        if (t.nout == OUT_MAX)
            flush();
        uint32_t k = OUT_MAX - t.nout < n ? OUT_MAX - t.nout : n;
        memcpy(t.out + t.nout, s, k);
        t.nout += k;
        s += k;
        n -= k;
    }
}

void term_write(const char *s, uint32_t n)
{
    flush();
    (void)serialc_write(t.serial, s, n);
}

void term_init(uint32_t serial, uint32_t ep)
{
    t.serial = serial;
    t.ep = ep;
    ledit_init(&t.ed, emit, NULL);
}

/* RETURN results built in m (or an exception if building failed). */
static void answer(uint32_t call_id, struct capos_msgbuf *m)
{
    if (capos_msg_finish(m) == ERR_OK)
        (void)capos_server_return(t.ep, call_id, m->words, m->len, NULL, 0);
    else
        (void)capos_server_return_error(t.ep, call_id, ERR_TOOSMALL,
                                        "reply too large");
}

/* Answer the held readLine with the editor's line and `end`. */
static void answer_line(capos_line_end_t end)
{
    static uint64_t w[REPLY_WORDS];
    struct capos_msgbuf m;
    uint32_t len;
    const char *l = ledit_line(&t.ed, &len);
    capos_terminal_session_read_line_results_b r =
        capos_terminal_session_read_line_results_init_root(
            capos_msg_begin(&m, w, REPLY_WORDS));
    if (end != CAPOS_LINE_END_LINE)
        len = 0;
    capos_terminal_session_read_line_results_set_line(r, l, len);
    capos_terminal_session_read_line_results_set_end(r, end);
    t.line.active = false;
    answer(t.line.call_id, &m);
}

/* Answer the held waitInterrupt with the kept count. */
static void answer_intr(void)
{
    uint64_t w[8];
    struct capos_msgbuf m;
    capos_terminal_session_wait_interrupt_results_b r =
        capos_terminal_session_wait_interrupt_results_init_root(
            capos_msg_begin(&m, w, 8));
    capos_terminal_session_wait_interrupt_results_set_count(r, t.intr_kept);
    t.intr_kept = 0;
    t.intr.active = false;
    answer(t.intr.call_id, &m);
}

/* Ctrl-C while no readLine is held. */
static void interrupt(void)
{
    emit(NULL, "^C\r\n", 4);
    t.nahead = 0;
    t.intr_kept++;
    if (t.intr.active)
        answer_intr();
}

/* Feed one byte to the held readLine; answers it when the line ends. */
static void edit(uint8_t b)
{
    enum ledit_result r = ledit_feed(&t.ed, b);
    if (r == LEDIT_LINE)
        answer_line(CAPOS_LINE_END_LINE);
    else if (r == LEDIT_EOF)
        answer_line(CAPOS_LINE_END_END_OF_INPUT);
    else if (r == LEDIT_INTR)
        answer_line(CAPOS_LINE_END_INTERRUPTED);
}

/* One input byte, whoever waits. */
static void input_byte(uint8_t b)
{
    if (t.line.active)
        edit(b);
    else if (b == 0x03)
        interrupt();
    else if (t.nahead < TERM_TYPEAHEAD)
        t.ahead[t.nahead++] = b;
    else if (t.ahead_dropped++ == 0 || t.ahead_dropped % 64 == 0)
        emit(NULL, "\a", 1);
}

void term_input(const uint8_t *b, uint32_t n, uint64_t dropped)
{
    t.line_dropped = dropped;
    for (uint32_t i = 0; i < n; i++)
        input_byte(b[i]);
    flush();
}

/* Start editing for a received readLine: a kept Ctrl-C answers it at
 * once; else the prompt, then the type-ahead. */
static void start_line(uint32_t call_id, struct capnp_text prompt)
{
    char note[96];
    t.line = (struct held){true, call_id};
    if (t.intr_kept) {
        t.intr_kept = 0;
        answer_line(CAPOS_LINE_END_INTERRUPTED);
        return;
    }
    if (t.line_dropped != t.line_dropped_shown) {
        int k = snprintf(note, sizeof note, "[term: %llu input bytes were "
                         "lost to a flood]\r\n",
                         (unsigned long long)(t.line_dropped -
                                              t.line_dropped_shown));
        emit(NULL, note, (uint32_t)k);
        t.line_dropped_shown = t.line_dropped;
    }
    ledit_begin(&t.ed, prompt.str, prompt.len);
    uint32_t i = 0;
    while (i < t.nahead && t.line.active)
        edit(t.ahead[i++]);
    memmove(t.ahead, t.ahead + i, t.nahead - i);
    t.nahead -= i;
    flush();
}

/* Take over `h` for a new call: an older held call gets BUSY. */
static void take_over(struct held *h)
{
    if (h->active)
        (void)capos_server_return_error(t.ep, h->call_id, ERR_BUSY,
                                        "another reader took the terminal");
    h->active = false;
}

static void req_read_line(struct capos_request *req)
{
    capos_terminal_session_read_line_params_r p =
        capos_terminal_session_read_line_params_read_root(&req->in.msg);
    struct capnp_text prompt = capos_terminal_session_read_line_params_get_prompt(p);
    if (capnp_msg_error(&req->in.msg) != CAPNP_OK) {
        (void)capos_server_return_error(t.ep, req->call_id, ERR_BADFORMAT,
                                        "malformed params");
        return;
    }
    if (prompt.len > LEDIT_PROMPT_MAX) {
        (void)capos_server_return_error(t.ep, req->call_id, ERR_RANGE,
                                        "prompt longer than 80 bytes");
        return;
    }
    if (t.line.active) {
        emit(NULL, "\r\n", 2);
        take_over(&t.line);
    }
    start_line(req->call_id, prompt);
}

static void req_wait_interrupt(struct capos_request *req)
{
    take_over(&t.intr);
    t.intr = (struct held){true, req->call_id};
    if (t.intr_kept)
        answer_intr();
}

static void req_write(struct capos_request *req)
{
    uint64_t w[8];
    struct capos_msgbuf m;
    capos_terminal_session_write_params_r p =
        capos_terminal_session_write_params_read_root(&req->in.msg);
    struct capnp_data d = capos_terminal_session_write_params_get_data(p);
    if (capnp_msg_error(&req->in.msg) != CAPNP_OK) {
        (void)capos_server_return_error(t.ep, req->call_id, ERR_BADFORMAT,
                                        "malformed params");
        return;
    }
    if (d.len > TERM_WRITE_MAX) {
        (void)capos_server_return_error(t.ep, req->call_id, ERR_RANGE,
                                        "write longer than 4,096 bytes");
        return;
    }
    term_write((const char *)d.ptr, d.len);
    capos_terminal_session_write_results_init_root(capos_msg_begin(&m, w, 8));
    answer(req->call_id, &m);
}

void term_request(struct capos_request *req)
{
    (void)capos_msg_caps_release_rest(&req->in);   /* none are used */
    switch (req->method) {
    case CAPOS_TERMINAL_SESSION_METHOD_WRITE: req_write(req); break;
    case CAPOS_TERMINAL_SESSION_METHOD_READ_LINE: req_read_line(req); break;
    case CAPOS_TERMINAL_SESSION_METHOD_WAIT_INTERRUPT:
        req_wait_interrupt(req);
        break;
    default:
        (void)capos_server_return_error(t.ep, req->call_id, ERR_NOSYS,
                                        "no such method");
    }
    flush();
}
