/*
 * session_test.c - the terminal's TerminalSession logic (user/term/
 * session.c) against fakes of the Serial write and of RETURN: a held
 * readLine answered by Enter, Ctrl-D and Ctrl-C; type-ahead (bounded,
 * edited by the next readLine); Ctrl-C while nobody reads (kept for the
 * next readLine or waitInterrupt, or delivered to the held one); a newer
 * readLine or waitInterrupt takes over (the older gets BUSY); the limits
 * (prompt, write) and hostile params (malformed message, unknown method).
 */
#include <capos.capnp.h>
#include <common/test.h>
#include <string.h>

#include "../../../user/term/ledit.h"
#include "../../../user/term/term.h"

/* ---- fakes ---------------------------------------------------------- */

struct reply {
    uint32_t call_id;
    err_t code;                  /* ERR_OK: results in words */
    uint64_t words[64];
    uint32_t len;
};

static struct reply replies[16];
static uint32_t nreplies;
static char screen[8192];
static uint32_t nscreen;

err_t serialc_write(uint32_t cap, const void *data, uint32_t len);
err_t serialc_write(uint32_t cap, const void *data, uint32_t len)
{
    (void)cap;
    if (nscreen + len < sizeof screen) {
        memcpy(screen + nscreen, data, len);
        nscreen += len;
        screen[nscreen] = 0;
    }
    return ERR_OK;
}

err_t capos_server_return(uint32_t ep, uint32_t call_id, const void *reply,
                          uint32_t len, const struct ring_xfer *xfer,
                          uint32_t nxfer)
{
    (void)ep;
    (void)xfer;
    (void)nxfer;
    struct reply *r = &replies[nreplies++ % 16];
    r->call_id = call_id;
    r->code = ERR_OK;
    r->len = len < sizeof r->words ? len : sizeof r->words;
    memcpy(r->words, reply, r->len);
    return ERR_OK;
}

err_t capos_server_return_error(uint32_t ep, uint32_t call_id, err_t code,
                                const char *message)
{
    (void)ep;
    (void)message;
    struct reply *r = &replies[nreplies++ % 16];
    r->call_id = call_id;
    r->code = code;
    r->len = 0;
    return ERR_OK;
}

err_t capos_msg_caps_release_rest(struct capos_msg_caps *m)
{
    (void)m;
    return ERR_OK;
}

/* ---- helpers -------------------------------------------------------- */

static uint64_t pw[64];
static struct capos_request req;

static void reset(void)
{
    static bool once;
    if (!once)
        term_init(1, 2);
    once = true;
    nreplies = 0;
    nscreen = 0;
    screen[0] = 0;
}

/* Deliver a call whose params were built in m. */
static void call(uint32_t id, uint16_t method, struct capos_msgbuf *m)
{
    memset(&req, 0, sizeof req);
    capos_msg_finish(m);
    req.call_id = id;
    req.method = method;
    capos_msg_read(&req.in.msg, m->words, m->len);
    term_request(&req);
}

static void read_line(uint32_t id, const char *prompt)
{
    struct capos_msgbuf m;
    capos_terminal_session_read_line_params_set_prompt(
        capos_terminal_session_read_line_params_init_root(
            capos_msg_begin(&m, pw, 64)),
        prompt, (uint32_t)strlen(prompt));
    call(id, CAPOS_TERMINAL_SESSION_METHOD_READ_LINE, &m);
}

static void wait_intr(uint32_t id)
{
    struct capos_msgbuf m;
    capos_terminal_session_wait_interrupt_params_init_root(
        capos_msg_begin(&m, pw, 64));
    call(id, CAPOS_TERMINAL_SESSION_METHOD_WAIT_INTERRUPT, &m);
}

static void type(const char *s)
{
    term_input((const uint8_t *)s, (uint32_t)strlen(s), 0);
}

/* The last reply is a readLine result for call id with this line/end. */
static int line_reply(uint32_t id, const char *line, capos_line_end_t end)
{
    struct capnp_msg msg;
    struct reply *r = &replies[(nreplies - 1) % 16];
    if (!nreplies || r->call_id != id || r->code != ERR_OK ||
        capos_msg_read(&msg, r->words, r->len) != ERR_OK)
        return 0;
    capos_terminal_session_read_line_results_r rr =
        capos_terminal_session_read_line_results_read_root(&msg);
    struct capnp_text t = capos_terminal_session_read_line_results_get_line(rr);
    return t.len == strlen(line) && !memcmp(t.str, line, t.len) &&
           capos_terminal_session_read_line_results_get_end(rr) == end;
}

static uint32_t intr_reply(uint32_t id)
{
    struct capnp_msg msg;
    struct reply *r = &replies[(nreplies - 1) % 16];
    if (!nreplies || r->call_id != id || r->code != ERR_OK ||
        capos_msg_read(&msg, r->words, r->len) != ERR_OK)
        return 0;
    return capos_terminal_session_wait_interrupt_results_get_count(
        capos_terminal_session_wait_interrupt_results_read_root(&msg));
}

static int error_reply(uint32_t i, uint32_t id, err_t code)
{
    return nreplies > i && replies[i].call_id == id && replies[i].code == code;
}

/* ---- tests ---------------------------------------------------------- */

TEST(term_read_line_enter_eof_intr)
{
    reset();
    read_line(1, "> ");
    EXPECT_EQ(nreplies, 0);                 /* held */
    EXPECT_TRUE(!strcmp(screen, "> "));
    type("hi\r");
    EXPECT_TRUE(line_reply(1, "hi", CAPOS_LINE_END_LINE));
    read_line(2, "> ");
    type("\x04");
    EXPECT_TRUE(line_reply(2, "", CAPOS_LINE_END_END_OF_INPUT));
    read_line(3, "> ");
    type("abc\x03");
    EXPECT_TRUE(line_reply(3, "", CAPOS_LINE_END_INTERRUPTED));
    EXPECT_EQ(nreplies, 3);
}

TEST(term_type_ahead_is_edited_by_the_next_read_line)
{
    reset();
    type("ab\x7f" "c\rnext");                /* nobody reads: kept */
    EXPECT_EQ(nreplies, 0);
    EXPECT_EQ(nscreen, 0);                  /* no echo before a reader */
    read_line(4, "$ ");
    EXPECT_TRUE(line_reply(4, "ac", CAPOS_LINE_END_LINE));
    read_line(5, "$ ");                     /* "next" is still kept */
    EXPECT_EQ(nreplies, 1);
    type("!\r");                            /* typed after "next" */
    EXPECT_EQ(nreplies, 2);
    EXPECT_TRUE(line_reply(5, "next!", CAPOS_LINE_END_LINE));
}

TEST(term_type_ahead_is_bounded)
{
    static char big[TERM_TYPEAHEAD + 100];
    reset();
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = 0;
    type(big);
    EXPECT_TRUE(strchr(screen, '\a') != NULL);    /* refused with a bell */
    read_line(6, "");
    type("\x15zz\r");                             /* Ctrl-U: all gone */
    EXPECT_TRUE(line_reply(6, "zz", CAPOS_LINE_END_LINE));
}

TEST(term_ctrl_c_with_nobody_reading_is_kept)
{
    reset();
    type("junk\x03\x03");
    EXPECT_TRUE(strstr(screen, "^C") != NULL);
    EXPECT_EQ(nreplies, 0);
    wait_intr(7);                                 /* answered at once */
    EXPECT_EQ(intr_reply(7), 2);
    read_line(8, "> ");                           /* nothing kept now, */
    type("ok\r");                                 /* junk was discarded */
    EXPECT_TRUE(line_reply(8, "ok", CAPOS_LINE_END_LINE));
    type("\x03");
    read_line(9, "> ");                           /* a kept ^C ends it */
    EXPECT_TRUE(line_reply(9, "", CAPOS_LINE_END_INTERRUPTED));
}

TEST(term_ctrl_c_goes_to_the_held_wait_interrupt)
{
    reset();
    wait_intr(10);
    EXPECT_EQ(nreplies, 0);
    type("\x03");
    EXPECT_EQ(intr_reply(10), 1);
}

TEST(term_newer_reader_takes_over)
{
    reset();
    read_line(11, "a> ");
    read_line(12, "b> ");
    EXPECT_TRUE(error_reply(0, 11, ERR_BUSY));
    type("x\r");
    EXPECT_TRUE(line_reply(12, "x", CAPOS_LINE_END_LINE));
    wait_intr(13);
    wait_intr(14);
    EXPECT_TRUE(error_reply(2, 13, ERR_BUSY));
    type("\x03");
    EXPECT_EQ(intr_reply(14), 1);
}

TEST(term_limits_and_hostile_calls)
{
    char p[LEDIT_PROMPT_MAX + 2];
    static uint8_t data[TERM_WRITE_MAX + 1];
    struct capos_msgbuf m;
    static uint64_t w[TERM_WRITE_MAX / 8 + 16];
    reset();
    memset(p, 'p', sizeof p - 1);
    p[sizeof p - 1] = 0;
    read_line(15, p);                             /* 81 bytes */
    EXPECT_TRUE(error_reply(0, 15, ERR_RANGE));
    capos_terminal_session_write_params_set_data(
        capos_terminal_session_write_params_init_root(
            capos_msg_begin(&m, w, sizeof w / 8)),
        data, TERM_WRITE_MAX + 1);
    call(16, CAPOS_TERMINAL_SESSION_METHOD_WRITE, &m);
    EXPECT_TRUE(error_reply(1, 16, ERR_RANGE));
    EXPECT_EQ(nscreen, 0);                        /* nothing written */
    capos_terminal_session_write_params_set_data(
        capos_terminal_session_write_params_init_root(
            capos_msg_begin(&m, w, sizeof w / 8)),
        "ok\n", 3);
    call(17, CAPOS_TERMINAL_SESSION_METHOD_WRITE, &m);
    EXPECT_EQ(replies[2].code, ERR_OK);
    EXPECT_TRUE(!strcmp(screen, "ok\n"));
    /* unknown method; params that are not a message at all */
    capos_terminal_session_wait_interrupt_params_init_root(
        capos_msg_begin(&m, pw, 64));
    call(18, 77, &m);
    EXPECT_TRUE(error_reply(3, 18, ERR_NOSYS));
    memset(&req, 0, sizeof req);
    static const uint64_t bad[2] = {0x0000000500000000ull, 0};
    capos_msg_read(&req.in.msg, bad, sizeof bad);  /* reader error */
    req.call_id = 19;
    req.method = CAPOS_TERMINAL_SESSION_METHOD_READ_LINE;
    term_request(&req);
    EXPECT_TRUE(error_reply(4, 19, ERR_BADFORMAT));
}
