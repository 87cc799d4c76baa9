/* SPDX-License-Identifier: MIT */
/*
 * ipc.h - capability transfer, result capabilities and the server side of
 * endpoints (see docs/ipc.md).
 *
 * Theory of operation
 *
 * Client.  capos_call_xfer() is capos_call() plus a transfer list: the
 * SQE's xfer_addr/xfer_count point at struct ring_xfer {cap_id, mode}
 * entries, and capability pointers in the params message index that list
 * (build them with capnp_ptr_set_cap_index / the generated *_set_<cap>).
 * XFER_COPY keeps the sender's cap; XFER_MOVE removes it, but only once
 * the receiver has accepted (a failed call changes nothing).
 *
 * Results.  A result that carries capabilities arrives as
 *     result message | padding to 8 | struct ring_cap_rec[cqe.cap_count]
 * and cqe.cap0 repeats the first record.  capos_msg_caps_open_result()
 * opens such a buffer: the message with its capability table set to the
 * records, so the generated getters of capability fields return indices
 * into m->caps.  capos_msg_caps_take() then adopts one of them after
 * checking its interface (the record holds the low 32 bits of the
 * interface id).  Every delivered cap is already in the caller's table:
 * whatever a caller does not adopt it should release
 * (capos_msg_caps_release_rest) or it stays there.
 *
 * Server.  RECV on an Endpoint cap fills the receive buffer with
 *     struct ring_recv_info | params message | padding | cap records
 * capos_server_recv() waits for one call and parses that into a struct
 * capos_request (session, method, params message, caps, call id);
 * capos_server_return() answers it (optionally moving or copying caps to
 * the caller); capos_server_return_error() answers with a CapException.
 * The session is the unforgeable identity of the client facet that
 * called: use it, never caller_pid, to tell clients apart.  The split
 * capos_server_recv_submit() / capos_server_parse() lets one process
 * serve several endpoints from one ring (one RECV outstanding per
 * endpoint).
 */
#pragma once

#include <abi/errors.h>
#include <abi/ring.h>
#include <capnp/capnp.h>
#include <capos/ring.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- client: calls with transfers, results with caps ------------------- */

/* capos_call with a transfer list xfer[nxfer] (NULL/0 = none).  Errors as
 * capos_call; ERR_RANGE (nothing submitted) if nxfer > RING_MAX_XFER. */
err_t capos_call_xfer(uint32_t cap_id, uint16_t method, const void *params,
                      uint32_t params_len, const struct ring_xfer *xfer,
                      uint32_t nxfer, void *result, uint32_t result_len,
                      struct ring_cqe *out);

/* capos_call_xfer on an explicit ring client. */
err_t capos_ring_call_xfer(struct capos_ring *r, uint32_t cap_id,
                           uint16_t method, const void *params,
                           uint32_t params_len, const struct ring_xfer *xfer,
                           uint32_t nxfer, void *result, uint32_t result_len,
                           struct ring_cqe *out);

/* A message delivered together with capabilities.  Self-referential (the
 * reader points into it): fill it in place, never copy it. */
struct capos_msg_caps {
    struct capnp_msg msg;            /* cap pointers index caps[] */
    const struct ring_cap_rec *caps; /* ncaps records (buffer or cap0) */
    uint32_t ncaps;
    uint32_t taken;                  /* bitmask of adopted records */
    struct ring_cap_rec cap0;        /* copy of cqe.cap0 */
};

/* Open the result of a successful CALL (cqe->result >= 0) in buf[len].
 * ERR_BADFORMAT if the framing is bad or the cap records do not fit
 * buf[len] or disagree with cqe.cap0; ERR_INVAL if cqe is an error. */
err_t capos_msg_caps_open_result(struct capos_msg_caps *m,
                                 const struct ring_cqe *cqe, const void *buf,
                                 size_t len);

/* Adopt record `index` (a capability field's value; CAPNP_CAP_NULL or out
 * of range: ERR_NOTFOUND) whose interface must be iface (ERR_WRONGTYPE
 * otherwise; compared on the low 32 bits the kernel reports); ERR_BUSY if
 * it was already adopted.  *cap_id gets the local CapId. */
err_t capos_msg_caps_take(struct capos_msg_caps *m, uint32_t index,
                          uint64_t iface, uint32_t *cap_id);

/* Release every record not adopted with capos_msg_caps_take; returns the
 * first release error (the others are still attempted). */
err_t capos_msg_caps_release_rest(struct capos_msg_caps *m);

/* ---- server: receive and answer calls ---------------------------------- */

/* One received call, parsed from a receive buffer (in place: never copy
 * it; the params point into the receive buffer). */
struct capos_request {
    uint32_t event;         /* 0: a call; else RING_EVENT_* (no call_id) */
    uint64_t session;       /* caller's facet identity (unforgeable) */
    uint32_t call_id;       /* for capos_server_return */
    uint16_t method;        /* method ordinal the caller used */
    uint32_t caller_pid;    /* diagnostic only */
    const void *params;     /* framed params message (params_len bytes) */
    uint32_t params_len;
    struct capos_msg_caps in; /* params opened; transferred caps */
};

/* Submit a RECV on ep_cap into buf[len] (8-byte aligned) with the given
 * user_data, without waiting.  Errors as capos_ring_submit. */
err_t capos_server_recv_submit(uint32_t ep_cap, void *buf, uint32_t len,
                               uint64_t user_data);

/* Parse the completion of a RECV into buf[len]: a call, or a peer event
 * (req->event = RING_EVENT_SESSION_CLOSED with req->session, or
 * RING_EVENT_NO_CLIENTS).  Transport errors as
 * capos_cqe_err (e.g. ERR_BADCAP, ERR_BUSY for a second RECV);
 * ERR_BADFORMAT if the info header, message or cap records do not fit.
 * A params message that does not open is not an error here: req->in.msg
 * carries the reader error for the dispatch to report. */
err_t capos_server_parse(const struct ring_cqe *cqe, const void *buf,
                         uint32_t len, struct capos_request *req);

/* RECV on ep_cap and wait for one call; req as capos_server_parse. */
err_t capos_server_recv(uint32_t ep_cap, void *buf, uint32_t len,
                        struct capos_request *req);

/* How capos_server_return_raw sends the payload. */
enum capos_return_kind {
    CAPOS_RETURN_RESULTS = 0,   /* payload is the method's results struct */
    CAPOS_RETURN_EXCEPTION = 1, /* payload is a serialized CapException */
};

/* RETURN call_id on ep_cap with reply[len] and result caps xfer[nxfer].
 * ERR_DISCONNECTED if the caller is gone (the reply was discarded; a
 * moved cap stays with the server), other transport errors as
 * capos_cqe_err, ERR_RANGE if nxfer > RING_MAX_XFER. */
err_t capos_server_return_raw(uint32_t ep_cap, uint32_t call_id,
                              const void *reply, uint32_t len,
                              const struct ring_xfer *xfer, uint32_t nxfer,
                              enum capos_return_kind kind);

/* capos_server_return_raw with CAPOS_RETURN_RESULTS. */
err_t capos_server_return(uint32_t ep_cap, uint32_t call_id,
                          const void *reply, uint32_t len,
                          const struct ring_xfer *xfer, uint32_t nxfer);

/* Answer call_id with a CapException {type of `code`, message, code}.
 * Errors as capos_server_return_raw; ERR_TOOSMALL if message does not fit
 * the 256-byte payload. */
err_t capos_server_return_error(uint32_t ep_cap, uint32_t call_id,
                                err_t code, const char *message);

/* Serialize CapException {type of `code`, message, code} into words[n]
 * (framed); *len gets its size.  ERR_TOOSMALL if it does not fit. */
err_t capos_exception_build(uint64_t *words, uint32_t n, err_t code,
                            const char *message, uint32_t *len);

/* The ExceptionType the runtime uses for an error code (overloaded for
 * NOMEM/QUOTA/FULL/BUSY, disconnected for REVOKED/DISCONNECTED,
 * unimplemented for NOSYS, invalidArgument for caller errors, else
 * failed). */
uint32_t capos_exception_type_of(err_t code);
