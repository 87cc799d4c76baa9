/* SPDX-License-Identifier: MIT */
/*
 * walk.c - schema-less validation of a whole message.
 *
 * capnp_msg_validate() follows every pointer from the root, recursively,
 * through the same checked reader calls a schema-aware reader would use
 * (text is not checked for NUL: without a schema a byte list may be Data).
 * Work is bounded by the traversal limit (every pointer slot visited lies
 * in an object already charged), recursion by the nesting limit (one C
 * frame of about 100 bytes per level); the walk stops at the first error.
 */
#include <capnp/capnp.h>

static void walk_ptr(const struct capnp_ptr *p);

/* Walk every pointer of a struct. */
static void walk_struct(const struct capnp_struct *s)
{
    uint32_t i;

    for (i = 0; i < s->nptrs && s->msg->err == CAPNP_OK; i++) {
        struct capnp_ptr p = capnp_struct_ptr(s, i);
        walk_ptr(&p);
    }
}

/* Walk every pointer held by the elements of a list. */
static void walk_list(const struct capnp_list *l)
{
    uint32_t i;

    if (l->nptrs == 0)
        return;
    for (i = 0; i < l->count && l->msg->err == CAPNP_OK; i++) {
        if (l->elem == CAPNP_ELEM_COMPOSITE) {
            struct capnp_struct s = capnp_list_struct(l, i);
            walk_struct(&s);
        } else {
            struct capnp_ptr p = capnp_list_ptr(l, i);
            walk_ptr(&p);
        }
    }
}

/* Walk whatever a pointer slot holds. */
static void walk_ptr(const struct capnp_ptr *p)
{
    struct capnp_struct s;
    struct capnp_list l;

    switch (capnp_ptr_kind(p)) {
    case CAPNP_PTR_STRUCT:
        s = capnp_ptr_read_struct(p, NULL);
        if (s.msg)
            walk_struct(&s);
        break;
    case CAPNP_PTR_LIST:
        l = capnp_ptr_read_list(p, CAPNP_ELEM_ANY, NULL);
        if (l.msg)
            walk_list(&l);
        break;
    case CAPNP_PTR_CAP:
        capnp_ptr_read_cap(p);
        break;
    default:
        break;
    }
}

/* Validate the whole message from its root; returns the first error. */
enum capnp_err capnp_msg_validate(struct capnp_msg *msg)
{
    struct capnp_ptr root;

    if (msg->err != CAPNP_OK)
        return msg->err;
    root = capnp_msg_root_ptr(msg);
    if (root.p)
        walk_ptr(&root);
    return msg->err;
}
