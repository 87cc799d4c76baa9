/* SPDX-License-Identifier: MIT */
/*
 * msg.c - framing of single-segment messages built in caller memory, and
 * opening of result messages (see capos/msg.h).
 */
#include <capos/msg.h>

/* Start a message whose arena is words[1..nwords). */
struct capnp_builder *capos_msg_begin(struct capos_msgbuf *m,
                                      uint64_t *words, uint32_t nwords)
{
    m->words = words;
    m->nwords = nwords;
    m->len = 0;
    words[0] = 0;
    capnp_builder_init(&m->b, words + 1, nwords - 1);
    return &m->b;
}

/* Write the one-word segment table into words[0]. */
err_t capos_msg_finish(struct capos_msgbuf *m)
{
    enum capnp_err ce = capnp_builder_error(&m->b);
    uint32_t used;

    if (ce == CAPNP_E_ARENA_FULL)
        return ERR_TOOSMALL;
    if (ce != CAPNP_OK || !capnp_builder_flat(&m->b, &used))
        return ERR_BADFORMAT;
    if (capnp_builder_write_table(&m->b, m->words, sizeof(uint64_t)) !=
        sizeof(uint64_t))
        return ERR_BADFORMAT;
    m->len = (uint32_t)((1 + used) * sizeof(uint64_t));
    return ERR_OK;
}

/* Open a framed message for the generated readers. */
err_t capos_msg_read(struct capnp_msg *msg, const void *buf, size_t len)
{
    return capnp_msg_init(msg, buf, len, NULL) == CAPNP_OK ? ERR_OK
                                                           : ERR_BADFORMAT;
}
