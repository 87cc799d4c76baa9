/*
 * serialport.c - the Serial capability: the COM1 line, input and output.
 *
 * Input.  The first serialport_obj() call (the first grant) turns on the
 * UART's receive interrupt (kernel/arch/x86_64/serial.c); from then on the
 * handler hands every received byte to serialport_rx, which appends it to
 * a SERIAL_RX_BUF-byte ring buffer.  A byte that finds the buffer full is
 * dropped and counted: a flood costs the interrupt handler a bounded
 * amount of work per byte and nothing else.  Bytes are opaque (binary
 * garbage is just bytes; the terminal service interprets them).
 *
 * Reading.  Serial.read returns what is buffered at once.  With nothing
 * buffered and a non-zero timeout it is a deferred CALL: the one reader
 * slot records the caller (a reference, one deferred wait of its quota
 * and one reserved CQ slot, as kernel/procwait.h does), and the completion
 * is posted from the receive interrupt (a byte arrived) or the timer tick
 * (the deadline passed, empty result).  One reader at a time: a second
 * read fails BUSY.  Completion copies the bytes first and consumes them
 * only once the result is in the reader's memory, so a reader whose
 * buffer faults loses nothing.  A reader that exits is dropped from the
 * slot (serialport_cancel, from procwait_cancel_all).
 *
 * Locking.  sp.lock guards the buffer, the counters and the reader slot;
 * it is never held while calling into the process layer (which takes the
 * process and scheduler locks).  `busy` stays set from accepting a
 * deferred read until its completion is posted, so no second reader can
 * see bytes that are about to be consumed.
 */
#include <capos.capnp.h>
#include <kernel/clock.h>
#include <kernel/kobjs.h>
#include <kernel/proc.h>
#include <kernel/ring.h>
#include <kernel/serial.h>
#include <kernel/serialport.h>
#include <kernel/spinlock.h>
#include <kernel/vm.h>

/* Framed bytes of a read result beyond its data: segment table, root
 * pointer, one data word (dropped), one pointer (data). */
#define READ_RESULT_OVERHEAD 32u

struct reader {
    struct process *p;        /* reference held while busy */
    uint64_t user_data;
    uint64_t result_addr;
    uint32_t result_len;
    uint32_t max;             /* bytes to return at most */
    uint64_t deadline;        /* clock_ns; UINT64_MAX = never */
};

static const struct kobj_ops serial_ops = {.name = "serial",
                                           .type = KOBJ_SERIAL};
static struct {
    struct kobj obj;
    struct spinlock lock;
    /* guarded by lock */
    uint8_t buf[SERIAL_RX_BUF];
    uint32_t head, count;     /* oldest byte, bytes buffered */
    uint64_t received, dropped;
    bool busy;                /* the reader slot is taken */
    bool waiting;             /* ... and not yet claimed by a completion */
    struct reader reader;
} sp = {.lock = SPINLOCK_INIT("serial")};
static struct spinlock write_lock = SPINLOCK_INIT("serial-write");

struct kobj *serialport_obj(void)
{
    if (!sp.obj.ops) {
        kobj_init(&sp.obj, &serial_ops);
        uint64_t f = spin_lock_irqsave(&sp.lock);
        serial_rx_irq_enable(serialport_rx);
        spin_unlock_irqrestore(&sp.lock, f);
    }
    return &sp.obj;
}

/* Copy up to n buffered bytes (not consumed) into out; lock held. */
static uint32_t peek_locked(uint8_t *out, uint32_t n)
{
    if (n > sp.count)
        n = sp.count;
    for (uint32_t i = 0; i < n; i++)
        out[i] = sp.buf[(sp.head + i) % SERIAL_RX_BUF];
    return n;
}

/* Consume n bytes from the head; lock held, n <= count. */
static void consume_locked(uint32_t n)
{
    sp.head = (sp.head + n) % SERIAL_RX_BUF;
    sp.count -= n;
}

/* Bytes a read may return into a result buffer of len bytes (0: none). */
static uint32_t read_fit(uint32_t max, uint32_t len)
{
    if (max > SERIAL_READ_MAX)
        max = SERIAL_READ_MAX;
    if (len < READ_RESULT_OVERHEAD + 8)
        return 0;
    uint32_t room = (len - READ_RESULT_OVERHEAD) & ~7u;
    return max < room ? max : room;
}

/* Build and post the completion of reader r with data[n]; consume the
 * bytes once they are in the reader's memory; release the slot. */
static void reader_post(const struct reader *r, const uint8_t *data,
                        uint32_t n, uint64_t dropped)
{
    uint64_t words[SERIAL_READ_MAX / 8 + 8];
    uint8_t out[sizeof words];
    struct capnp_builder b;
    struct ring_cqe cqe = {.user_data = r->user_data};
    size_t len = 0;
    capnp_builder_init(&b, words, sizeof words / 8);
    capos_serial_read_results_b res = capos_serial_read_results_init_root(&b);
    capos_serial_read_results_set_data(res, data, n);
    capos_serial_read_results_set_dropped(res, dropped);
    bool ok = capnp_builder_serialize(&b, out, sizeof out, &len) == CAPNP_OK &&
              len <= r->result_len;
    if (!ok) {
        cqe.result = CAP_ERR_INVALID_RESULT_BUFFER;
        cqe.aux = ERR_TOOSMALL;
    } else if (vm_write(&r->p->vm, r->result_addr, out, len)) {
        cqe.result = CAP_ERR_INVALID_RESULT_BUFFER;
        cqe.aux = ERR_FAULT;
        ok = false;
    } else {
        cqe.result = (int32_t)len;
    }
    uint64_t f = spin_lock_irqsave(&sp.lock);
    if (ok)
        consume_locked(n);
    sp.busy = false;
    spin_unlock_irqrestore(&sp.lock, f);
    proc_post_cqe(r->p, &cqe, true);
    proc_wait_uncharge(r->p, false);
    kobj_put(&r->p->obj);
}

/* Complete the waiting reader if it has bytes, or if its deadline is at
 * or before `now` (0: only for bytes). */
static void reader_try_complete(uint64_t now)
{
    uint8_t data[SERIAL_READ_MAX];
    uint64_t f = spin_lock_irqsave(&sp.lock);
    if (!sp.waiting || (!sp.count && sp.reader.deadline > now)) {
        spin_unlock_irqrestore(&sp.lock, f);
        return;
    }
    sp.waiting = false;
    struct reader r = sp.reader;
    uint32_t n = peek_locked(data, r.max);
    uint64_t dropped = sp.dropped;
    spin_unlock_irqrestore(&sp.lock, f);
    reader_post(&r, data, n, dropped);
}

void serialport_rx(const uint8_t *b, uint32_t n)
{
    uint64_t f = spin_lock_irqsave(&sp.lock);
    for (uint32_t i = 0; i < n; i++) {
        if (sp.count == SERIAL_RX_BUF) {
            sp.dropped += n - i;
            break;
        }
        sp.buf[(sp.head + sp.count++) % SERIAL_RX_BUF] = b[i];
    }
    sp.received += n;
    spin_unlock_irqrestore(&sp.lock, f);
    reader_try_complete(0);
}

void serialport_tick(uint64_t now)
{
    if (__atomic_load_n(&sp.waiting, __ATOMIC_RELAXED))
        reader_try_complete(now);
}

void serialport_cancel(struct process *p)
{
    uint64_t f = spin_lock_irqsave(&sp.lock);
    bool mine = sp.waiting && sp.reader.p == p;
    if (mine)
        sp.waiting = sp.busy = false;
    spin_unlock_irqrestore(&sp.lock, f);
    if (mine) {
        proc_wait_uncharge(p, true);
        kobj_put(&p->obj);
    }
}

void serialport_stats(struct serialport_stats *s)
{
    uint64_t f = spin_lock_irqsave(&sp.lock);
    *s = (struct serialport_stats){sp.received, sp.dropped, sp.count,
                                   sp.waiting};
    spin_unlock_irqrestore(&sp.lock, f);
}

void serialport_flush(void)
{
    uint64_t f = spin_lock_irqsave(&sp.lock);
    sp.head = sp.count = 0;
    spin_unlock_irqrestore(&sp.lock, f);
}

/* Accept a deferred read for c into the reader slot (lock not held). */
static int read_defer(struct call_ctx *c, uint32_t max, uint64_t timeout)
{
    uint64_t now = clock_ns();
    struct reader r = {
        .p = c->caller, .user_data = c->sqe->user_data,
        .result_addr = c->sqe->result_addr, .result_len = c->sqe->result_len,
        .max = max,
        .deadline = now + timeout < now ? UINT64_MAX : now + timeout};
    if (proc_wait_charge(c->caller))
        return call_fail(c, ERR_QUOTA, "too many outstanding waits");
    kobj_get(&c->caller->obj);
    uint64_t f = spin_lock_irqsave(&sp.lock);
    sp.reader = r;
    sp.waiting = true;
    spin_unlock_irqrestore(&sp.lock, f);
    c->deferred = true;
    reader_try_complete(0);         /* a byte may have come meanwhile */
    return ERR_OK;
}

static int serial_read(void *ctx, capos_serial_read_params_r params,
                       capos_serial_read_results_b results)
{
    struct call_ctx *c = ctx;
    uint8_t data[SERIAL_READ_MAX];
    uint32_t max = capos_serial_read_params_get_max_bytes(params);
    uint64_t timeout = capos_serial_read_params_get_timeout_ns(params);
    if (max == 0)
        return call_fail(c, ERR_INVAL, "read of zero bytes");
    max = read_fit(max, c->sqe->result_len);
    if (max == 0)
        return call_fail(c, ERR_TOOSMALL, "result buffer cannot hold a byte");
    uint64_t f = spin_lock_irqsave(&sp.lock);
    if (sp.busy) {
        spin_unlock_irqrestore(&sp.lock, f);
        return call_fail(c, ERR_BUSY, "another read is outstanding");
    }
    if (sp.count || timeout == 0) {
        uint32_t n = peek_locked(data, max);
        consume_locked(n);
        uint64_t dropped = sp.dropped;
        spin_unlock_irqrestore(&sp.lock, f);
        capos_serial_read_results_set_data(results, data, n);
        capos_serial_read_results_set_dropped(results, dropped);
        return ERR_OK;
    }
    sp.busy = true;
    spin_unlock_irqrestore(&sp.lock, f);
    int r = read_defer(c, max, timeout);
    if (r) {
        f = spin_lock_irqsave(&sp.lock);
        sp.busy = false;
        spin_unlock_irqrestore(&sp.lock, f);
    }
    return r;
}

static int serial_write(void *ctx, capos_serial_write_params_r params,
                        capos_serial_write_results_b results)
{
    (void)results;
    struct capnp_data d = capos_serial_write_params_get_data(params);
    if (d.len > SERIAL_WRITE_MAX)
        return call_fail(ctx, ERR_INVAL, "write longer than 4,096 bytes");
    uint64_t f = spin_lock_irqsave(&write_lock);
    for (uint32_t i = 0; i < d.len; i++)
        serial_putc((char)d.ptr[i]);
    spin_unlock_irqrestore(&write_lock, f);
    return ERR_OK;
}

static int serial_stats_m(void *ctx, capos_serial_stats_params_r params,
                          capos_serial_stats_results_b results)
{
    (void)ctx;
    (void)params;
    struct serialport_stats s;
    serialport_stats(&s);
    capos_serial_stats_results_set_received(results, s.received);
    capos_serial_stats_results_set_dropped(results, s.dropped);
    capos_serial_stats_results_set_buffered(results, s.buffered);
    return ERR_OK;
}

static const capos_serial_server_t serial_server = {
    .read = serial_read,
    .write = serial_write,
    .stats = serial_stats_m,
};

static int serial_dispatch(struct call_ctx *c, uint16_t m,
                           struct capnp_msg *params, struct capnp_builder *res)
{
    return capos_serial_dispatch(&serial_server, c, m, params, res);
}

const struct kiface serial_iface = {
    .id = CAPOS_SERIAL_INTERFACE_ID, .name = "Serial",
    .dispatch = serial_dispatch};
