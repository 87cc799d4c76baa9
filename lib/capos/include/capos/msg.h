/* SPDX-License-Identifier: MIT */
/*
 * msg.h - capnp messages for call parameters and results, in caller
 * memory.
 *
 * Theory of operation: a struct capos_msgbuf builds a single-segment
 * message in a caller-provided word array (stack or static): word 0 is
 * reserved for the segment table and the builder's arena is the rest, so
 * after the generated *_init_root / *_set_* builders have run,
 * capos_msg_finish() writes the table into word 0 and the array *is* the
 * framed message, ready for a CALL SQE (no copy, no allocation).
 * capos_msg_read() opens a result buffer for the generated *_read_root
 * readers.
 */
#pragma once

#include <abi/errors.h>
#include <capnp/capnp.h>
#include <stddef.h>
#include <stdint.h>

struct capos_msgbuf {
    struct capnp_builder b;
    uint64_t *words;   /* framed message: table word + segment */
    uint32_t nwords;
    uint32_t len;      /* framed bytes, set by capos_msg_finish */
};

/* Start an empty message in words[nwords] (nwords >= 2); returns the
 * builder to pass to a generated *_init_root. */
struct capnp_builder *capos_msg_begin(struct capos_msgbuf *m,
                                      uint64_t *words, uint32_t nwords);

/* Write the segment table: m->words[0 .. m->len) is then the framed
 * message.  ERR_TOOSMALL if the builder ran out of arena, ERR_BADFORMAT
 * for any other builder error. */
err_t capos_msg_finish(struct capos_msgbuf *m);

/* Open the framed message buf[len] (8-byte aligned) for reading.
 * ERR_BADFORMAT if the framing is bad. */
err_t capos_msg_read(struct capnp_msg *msg, const void *buf, size_t len);
