/* SPDX-License-Identifier: MIT */
/*
 * client.h - what the generated client stubs (build/gen/capos.capnp.rpc.h)
 * are built on: one call's memory, in the caller's hands.
 *
 * Theory of operation: a struct capos_reply is one call from submission to
 * its decoded results.  It points at one word array of the caller: the
 * params message is built at its front, the result buffer is the rest, so
 * the kernel never reads params from memory it writes results into.  A
 * generated N_m_submit() starts the params (capos_reply_begin), sets
 * them with the generated builders, adds capability params to the
 * transfer list (capos_reply_cap) and queues the CALL SQE
 * (capos_reply_submit: no kernel entry).  capos_reply_wait() waits for
 * the completion (several submitted calls complete in one cap_enter);
 * N_m_finish() opens the results (capos_reply_open), reads them with the
 * generated readers and adopts result capabilities after an interface
 * check (capos_reply_take); capos_reply_end() turns a reader error into
 * ERR_BADFORMAT and releases every result cap that was not adopted.  The
 * synchronous N_m() is the three in a row.
 *
 * Errors: the capOS code (abi/errors.def).  A server exception is its
 * code, and its message stays in the reply (capos_reply_message) until the
 * reply is reused; no global state.  Views returned by N_m_finish (Text,
 * Data, lists, structs) point into the reply's buffer and live as long as
 * it.  A reply is self-referential: fill it in place, never copy it; one
 * call at a time per reply.
 */
#pragma once

#include <abi/errors.h>
#include <abi/ring.h>
#include <capnp/capnp.h>
#include <capos/exception.h>
#include <capos/ipc.h>
#include <capos/msg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Words of the stack buffer a synchronous stub uses when given no reply:
 * params up to about 1 KiB and results up to about 1 KiB. */
#define CAPOS_REPLY_STACK_WORDS 288u

/* Words reserved after the params for a reply's results (at most half of
 * the buffer): a CapException with a 127-byte message fits. */
#define CAPOS_REPLY_MIN_RESULT_WORDS 32u

struct capos_reply {
    uint64_t *buf;              /* the caller's words: params | results */
    uint32_t words;
    uint32_t param_words;       /* used by the params (framed) */
    struct capos_msgbuf m;      /* params builder over buf */
    struct ring_xfer xfer[RING_MAX_XFER];
    uint32_t nxfer;
    bool xfer_overflow;         /* a 9th capability param */
    bool submitted;
    uint64_t user_data;         /* of the CALL SQE */
    struct ring_cqe cqe;        /* the completion */
    struct capos_msg_caps res;  /* the opened results */
    struct capos_exception ex;  /* the server's exception, if any */
};

/* Declare `name` as a reply over a `words`-word array of the same scope. */
#define CAPOS_REPLY(name, nwords)                                         \
    uint64_t name##_words_[nwords];                                       \
    struct capos_reply name = {.buf = name##_words_, .words = (nwords)}

/* A typed handle of interface struct `type` from a raw CapId (for code
 * that got the id elsewhere, e.g. a CapSet entry it iterated over). */
#define CAPOS_HANDLE(type, id) ((struct type){.cap = (id)})

/* A reply over buf[words] (8-byte aligned, words >= 8). */
void capos_reply_init(struct capos_reply *r, uint64_t *buf, uint32_t words);

/* Start the params message of a new call (forgets the previous call);
 * returns the builder for the generated *_init_root. */
struct capnp_builder *capos_reply_begin(struct capos_reply *r);

/* Add capability `cap` to the call's transfer list with mode XFER_COPY or
 * XFER_MOVE; returns its index, the value of a capability field.  A 9th
 * entry makes capos_reply_submit fail with ERR_RANGE. */
uint32_t capos_reply_cap(struct capos_reply *r, uint32_t cap, uint32_t mode);

/* Frame the params and queue a CALL of `method` on cap, stating
 * interface iface (the kernel refuses the call with ERR_WRONGTYPE if the
 * cap serves another one).  ERR_TOOSMALL if the params do not fit the
 * buffer (leaving fewer than CAPOS_REPLY_MIN_RESULT_WORDS for results),
 * ERR_RANGE for more than RING_MAX_XFER capabilities, ERR_BADFORMAT for
 * another builder error, ERR_FULL if too many calls are in flight. */
err_t capos_reply_submit(struct capos_reply *r, uint32_t cap, uint64_t iface,
                         uint16_t method);

/* Wait for the completion of the submitted call (ERR_INVAL if none);
 * ring errors (ERR_FAULT, ERR_TIMEOUT) as capos_ring_wait.  The call's
 * own outcome is for capos_reply_open. */
err_t capos_reply_wait(struct capos_reply *r);

/* Open the completed call's results.  On an exception the code is
 * returned and the message kept (capos_reply_message); otherwise the
 * transport error as capos_cqe_err (e.g. ERR_TOOSMALL: the results did
 * not fit the buffer; ERR_DISCONNECTED: the server is gone; ERR_WRONGTYPE:
 * the cap does not serve the stated interface), or ERR_BADFORMAT if the
 * results are malformed. */
err_t capos_reply_open(struct capos_reply *r);

/* Adopt result capability `index` (a capability field's value) of
 * interface iface into *cap.  `only` says the method has exactly one
 * capability result: a null field with one delivered cap means that cap
 * (kernel methods deliver it in cqe.cap0 only).  A ClientEndpoint result
 * is adopted whatever interface the facet was minted for.  Errors as
 * capos_msg_caps_take. */
err_t capos_reply_take(struct capos_reply *r, uint32_t index, uint64_t iface,
                       bool only, uint32_t *cap);

/* Finish decoding: ERR_BADFORMAT if reading the results hit an error
 * (else e), and release every result cap not adopted. */
err_t capos_reply_end(struct capos_reply *r, err_t e);

/* The server's exception message of the last call ("" if none). */
const char *capos_reply_message(const struct capos_reply *r);
