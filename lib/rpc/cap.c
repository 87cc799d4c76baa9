/* SPDX-License-Identifier: MIT */
/*
 * cap.c - capabilities and the import and export tables.
 *
 * An import is one rpc_cap per import id, listed in conn->imports while
 * the peer may still count it; `remote_refs` counts how often the peer
 * sent the id.  When the last local reference goes, Release(id,
 * remote_refs) is sent and the entry removed (a later descriptor with the
 * same id makes a new import).  An export is (cap, refs) at index = export
 * id; the same local cap always gets the same id while exported; refs count
 * the descriptors sent, minus what the peer released.  Only local caps are
 * exported: caps of the peer go back as receiverHosted / receiverAnswer,
 * caps of another connection cannot be sent (see rpc_in_forward).
 */
#include "internal.h"

static struct rpc_cap *cap_alloc(struct rpc_vat *v, enum cap_kind kind)
{
    struct rpc_cap *cap = rpc_zalloc(v, sizeof *cap);
    if (cap) {
        cap->vat = v;
        cap->refs = 1;
        cap->kind = kind;
    }
    return cap;
}

struct rpc_cap *rpc_cap_local(struct rpc_vat *v,
                              const struct rpc_object_ops *ops, void *obj)
{
    struct rpc_cap *cap = cap_alloc(v, CAP_LOCAL);
    if (cap) {
        cap->u.local.ops = ops;
        cap->u.local.obj = obj;
    }
    return cap;
}

/* A cap whose calls fail with (type, reason); reason must be static. */
struct rpc_cap *cap_broken(struct rpc_vat *v, enum rpc_exc type,
                           const char *reason)
{
    struct rpc_cap *cap = cap_alloc(v, CAP_BROKEN);
    if (cap) {
        cap->u.broken.type = type;
        cap->u.broken.reason = reason;
    }
    return cap;
}

struct rpc_cap *rpc_cap_ref(struct rpc_cap *cap)
{
    if (cap)
        cap->refs++;
    return cap;
}

static int import_index(const struct rpc_conn *c, const struct rpc_cap *cap)
{
    for (uint32_t i = 0; i < c->nimports; i++)
        if (c->imports[i] == cap)
            return (int)i;
    return -1;
}

/* Last reference of an import: Release and leave the table. */
static void import_drop(struct rpc_cap *cap)
{
    struct rpc_conn *c = cap->u.imp.conn;
    int i = import_index(c, cap);
    if (i >= 0) {
        c->imports[i] = c->imports[--c->nimports];
        send_release(c, cap->u.imp.id, cap->u.imp.remote_refs);
    }
    conn_unref(c);
}

void rpc_cap_unref(struct rpc_cap *cap)
{
    if (!cap || --cap->refs > 0)
        return;
    switch (cap->kind) {
    case CAP_LOCAL:
        if (cap->u.local.ops->drop)
            cap->u.local.ops->drop(cap->u.local.obj);
        break;
    case CAP_IMPORT:
        import_drop(cap);
        break;
    case CAP_PROMISE:
        rpc_free(cap->vat, cap->u.prom.path,
                 cap->u.prom.n * sizeof *cap->u.prom.path);
        question_unref(cap->u.prom.q);
        break;
    case CAP_BROKEN:
        break;
    }
    rpc_free(cap->vat, cap, sizeof *cap);
}

void *rpc_cap_object(const struct rpc_cap *cap)
{
    return cap && cap->kind == CAP_LOCAL ? cap->u.local.obj : NULL;
}

bool rpc_cap_is_remote(const struct rpc_cap *cap, const struct rpc_conn *conn)
{
    if (!cap)
        return false;
    if (cap->kind == CAP_IMPORT)
        return cap->u.imp.conn == conn;
    return cap->kind == CAP_PROMISE && cap->u.prom.q->conn == conn;
}

/* The import for peer export `id` (one more reference, and one more
 * remote ref); NULL after a protocol error (table full) or no memory. */
struct rpc_cap *import_get(struct rpc_conn *c, uint32_t id)
{
    struct rpc_cap *cap;
    for (uint32_t i = 0; i < c->nimports; i++) {
        cap = c->imports[i];
        if (cap->u.imp.id == id) {
            cap->u.imp.remote_refs++;
            return rpc_cap_ref(cap);
        }
    }
    if (c->nimports >= c->lim.max_imports) {
        conn_protocol_error(c, "too many imports");
        return NULL;
    }
    cap = cap_alloc(c->vat, CAP_IMPORT);
    if (!cap) {
        conn_fail(c, RPC_E_NOMEM, "out of memory for an import");
        return NULL;
    }
    cap->u.imp.conn = c;
    cap->u.imp.id = id;
    cap->u.imp.remote_refs = 1;
    c->refs++;
    c->imports[c->nimports++] = cap;
    return cap;
}

/* Export local cap once more; its id in *id.  False when the table is
 * full. */
bool exports_add(struct rpc_conn *c, struct rpc_cap *cap, uint32_t *id)
{
    uint32_t free_id = UINT32_MAX;
    for (uint32_t i = 0; i < c->lim.max_exports; i++) {
        if (c->exports[i].cap == cap) {
            c->exports[i].refs++;
            *id = i;
            return true;
        }
        if (!c->exports[i].cap && free_id == UINT32_MAX)
            free_id = i;
    }
    if (free_id == UINT32_MAX)
        return false;
    c->exports[free_id].cap = rpc_cap_ref(cap);
    c->exports[free_id].refs = 1;
    c->nexports++;
    *id = free_id;
    return true;
}

/* Drop `count` (checked by the caller) references of export id. */
void exports_release(struct rpc_conn *c, uint32_t id, uint32_t count)
{
    struct export_ent *e = &c->exports[id];
    e->refs -= count;
    if (e->refs == 0) {
        struct rpc_cap *cap = e->cap;
        e->cap = NULL;
        c->nexports--;
        rpc_cap_unref(cap);
    }
}

/* Message.release: the peer drops refs of one of our exports. */
void handle_release(struct rpc_conn *c, rpc_release_r r)
{
    uint32_t id = rpc_release_get_id(r);
    uint32_t n = rpc_release_get_reference_count(r);
    if (!msg_check(c, c->cur))
        return;
    if (id >= c->lim.max_exports || !c->exports[id].cap) {
        conn_protocol_error(c, "Release of a capability never exported");
        return;
    }
    if (n > c->exports[id].refs) {
        conn_protocol_error(c, "Release of more references than held");
        return;
    }
    if (n > 0)
        exports_release(c, id, n);
}

/* Describe cap in d for the peer of c; a new export id goes to *export_id.
 * False if cap cannot be sent on c (another connection's, or no room). */
bool cap_write_descriptor(struct rpc_conn *c, struct rpc_cap *cap,
                          rpc_cap_descriptor_b d, uint32_t *export_id)
{
    if (!cap || cap->kind == CAP_BROKEN) {
        rpc_cap_descriptor_set_none(d);
        return true;
    }
    if (cap->kind == CAP_LOCAL) {
        if (!exports_add(c, cap, export_id))
            return false;
        rpc_cap_descriptor_set_sender_hosted(d, *export_id);
        return true;
    }
    if (!rpc_cap_is_remote(cap, c))
        return false;
    if (cap->kind == CAP_IMPORT) {
        rpc_cap_descriptor_set_receiver_hosted(d, cap->u.imp.id);
        return true;
    }
    promised_answer_write(rpc_cap_descriptor_init_receiver_answer(d), cap);
    return true;
}

/* Write promise p as (question id, transform). */
void promised_answer_write(rpc_promised_answer_b pa, const struct rpc_cap *p)
{
    rpc_promised_answer_set_question_id(pa, p->u.prom.q->id);
    rpc_promised_answer_op_blist ops =
        rpc_promised_answer_init_transform(pa, p->u.prom.n);
    for (uint32_t i = 0; i < p->u.prom.n; i++)
        rpc_promised_answer_op_set_get_pointer_field(
            rpc_promised_answer_op_blist_at(ops, i), p->u.prom.path[i]);
}

/* One received descriptor -> a cap reference (*ok false: protocol error,
 * already reported). */
struct rpc_cap *cap_read(struct rpc_conn *c, rpc_cap_descriptor_r d, bool *ok)
{
    uint32_t id;
    struct rpc_incoming *a;
    const char *why = NULL;
    struct rpc_cap *cap = NULL;
    switch (rpc_cap_descriptor_which(d)) {
    case RPC_CAP_DESCRIPTOR_NONE:
        return NULL;
    case RPC_CAP_DESCRIPTOR_SENDER_HOSTED:
        cap = import_get(c, rpc_cap_descriptor_get_sender_hosted(d));
        break;
    case RPC_CAP_DESCRIPTOR_SENDER_PROMISE:
        /* Resolved simply: calls keep going to the promise's export id. */
        cap = import_get(c, rpc_cap_descriptor_get_sender_promise(d));
        break;
    case RPC_CAP_DESCRIPTOR_THIRD_PARTY_HOSTED:
        /* Level 3 not implemented: use the vine, as the spec allows. */
        cap = import_get(c, rpc_third_party_cap_descriptor_get_vine_id(
                                rpc_cap_descriptor_get_third_party_hosted(d)));
        break;
    case RPC_CAP_DESCRIPTOR_RECEIVER_HOSTED:
        id = rpc_cap_descriptor_get_receiver_hosted(d);
        if (id < c->lim.max_exports && c->exports[id].cap)
            return rpc_cap_ref(c->exports[id].cap);
        conn_protocol_error(c, "receiverHosted names no export");
        break;
    case RPC_CAP_DESCRIPTOR_RECEIVER_ANSWER: {
        rpc_promised_answer_r pa = rpc_cap_descriptor_get_receiver_answer(d);
        a = answer_find(c, rpc_promised_answer_get_question_id(pa));
        if (!a) {
            conn_protocol_error(c, "receiverAnswer names no answer");
            break;
        }
        cap = a->state == ANS_RETURNED ? answer_resolve(a, pa, &why)
            : cap_broken(c->vat, RPC_EXC_UNIMPLEMENTED,
                         "receiverAnswer on an unanswered call");
        if (!cap && why)
            cap = cap_broken(c->vat, RPC_EXC_FAILED, why);
        if (!cap)
            conn_fail(c, RPC_E_NOMEM, "out of memory for a capability");
        break;
    }
    default:
        conn_protocol_error(c, "unknown CapDescriptor kind");
        break;
    }
    *ok = cap != NULL;
    return cap;
}

/* The cap table of payload p as references in *out[*n] (NULL entries for
 * `none`).  False after a protocol error (nothing is kept). */
bool caps_read(struct rpc_conn *c, rpc_payload_r p, struct rpc_cap ***out,
               uint32_t *n)
{
    rpc_cap_descriptor_rlist l = rpc_payload_get_cap_table(p);
    uint32_t len = rpc_cap_descriptor_rlist_len(l), i;
    bool ok = true;
    *out = NULL;
    *n = 0;
    if (len > c->lim.max_caps) {
        conn_protocol_error(c, "too many capabilities in one message");
        return false;
    }
    if (len == 0)
        return true;
    struct rpc_cap **caps = rpc_zalloc(c->vat, len * sizeof *caps);
    if (!caps) {
        conn_fail(c, RPC_E_NOMEM, "out of memory for a cap table");
        return false;
    }
    for (i = 0; i < len && ok; i++)
        caps[i] = cap_read(c, rpc_cap_descriptor_rlist_get(l, i), &ok);
    if (!ok) {
        caps_free(c->vat, caps, len);
        return false;
    }
    *out = caps;
    *n = len;
    return true;
}

/* Drop every reference of caps[n] and the array. */
void caps_free(struct rpc_vat *v, struct rpc_cap **caps, uint32_t n)
{
    if (!caps)
        return;
    for (uint32_t i = 0; i < n; i++)
        rpc_cap_unref(caps[i]);
    rpc_free(v, caps, n * sizeof *caps);
}

/* Connection ended: imports stay (their holders keep them, broken). */
void imports_teardown(struct rpc_conn *c)
{
    c->nimports = 0;
}

/* Connection ended: every export is released. */
void exports_teardown(struct rpc_conn *c)
{
    for (uint32_t i = 0; i < c->lim.max_exports; i++)
        if (c->exports[i].cap) {
            c->exports[i].refs = 1;
            exports_release(c, i, 1);
        }
}
