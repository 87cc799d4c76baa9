/*
 * ring.h - the capability ring: the only data path between a process and
 * the kernel (byte layout is ABI; see docs/ring.md).
 *
 * One 4 KiB page per process, mapped at RING_VADDR: a header, a submission
 * queue (SQ) of 16 64-byte entries written by the process, and a completion
 * queue (CQ) of 32 32-byte entries written by the kernel.  Indices are
 * free-running u32 counters; slot = index & mask.  The process owns sq_tail
 * and cq_head; the kernel owns sq_head and cq_tail (kept in kernel memory,
 * the copies here are outputs only).  The kernel reads each SQE exactly once
 * into kernel memory before validating it.
 */
#pragma once

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stddef.h>
#endif

#define RING_VADDR        0x00007fff00000000ull /* fixed user address (abi/layout.h) */
#define RING_PAGE_SIZE    4096u
#define RING_SQ_ENTRIES   16u
#define RING_CQ_ENTRIES   32u
#define RING_HDR_SIZE     2048u
#define RING_SQ_OFFSET    RING_HDR_SIZE
#define RING_CQ_OFFSET    (RING_SQ_OFFSET + RING_SQ_ENTRIES * 64u)

/* Opcodes (u8).  Values are ABI. */
enum ring_op {
    RING_OP_NOP     = 0,
    RING_OP_CALL    = 1,   /* invoke method_id of cap_id with params */
    RING_OP_RECV    = 2,   /* endpoint server: receive the next call */
    RING_OP_RETURN  = 3,   /* endpoint server: answer call_id */
    RING_OP_RELEASE = 4,   /* drop cap_id from the caller's table */
    RING_OP_FINISH  = 5,   /* reserved: answered CAP_ERR_UNSUPPORTED_OPCODE */
    RING_OP__COUNT
};

/* Transport errors: negative CQE results.  Values are ABI. */
#define CAP_ERR_INVALID_REQUEST                 (-1)
#define CAP_ERR_INVALID_PARAMS_BUFFER           (-2)
#define CAP_ERR_INVALID_RESULT_BUFFER           (-3)
#define CAP_ERR_INVOKE_FAILED                   (-4)
#define CAP_ERR_UNSUPPORTED_OPCODE              (-5)
#define CAP_ERR_APPLICATION_EXCEPTION           (-6)
#define CAP_ERR_APPLICATION_EXCEPTION_TRUNCATED (-7)

/* SQE flags (u16). Unknown bits are rejected with CAP_ERR_INVALID_REQUEST. */
#define SQE_F_RETURN_EXCEPTION  0x0001u  /* RETURN: payload is a CapException */
#define SQE_F_RECV_EVENTS       0x0002u  /* RECV: may deliver a peer event
                                          * (CQE_F_PEER_EVENT) instead of a call */
#define SQE_F__KNOWN            0x0003u

/* Capability transfer descriptor (pointed to by sqe.xfer_addr). */
#define XFER_COPY  0u
#define XFER_MOVE  1u
#define RING_MAX_XFER 8u

#ifndef __ASSEMBLY__
struct ring_sqe {
    uint8_t  opcode;
    uint8_t  rsvd0;         /* must be 0 */
    uint16_t flags;
    uint16_t method_id;
    uint16_t xfer_count;    /* entries at xfer_addr, <= RING_MAX_XFER */
    uint32_t cap_id;
    union {
        uint32_t call_id;   /* RETURN: which received call to answer */
        uint32_t iface_lo;  /* CALL: low 32 bits of the interface the caller
                             * means (0: unchecked); another interface than
                             * the cap's fails with INVOKE_FAILED, WRONGTYPE */
    };
    uint64_t addr;          /* params buffer (user) */
    uint32_t len;           /* params length in bytes */
    uint32_t result_len;    /* result buffer capacity in bytes */
    uint64_t result_addr;   /* result buffer (user) */
    uint64_t user_data;     /* echoed in the CQE */
    uint64_t xfer_addr;     /* array of struct ring_xfer (user) */
    uint32_t pipeline_dep;  /* reserved, must be 0 */
    uint16_t pipeline_field;/* reserved, must be 0 */
    uint16_t rsvd1;         /* must be 0 */
};

struct ring_xfer {
    uint32_t cap_id;        /* sender's CapId */
    uint32_t mode;          /* XFER_COPY or XFER_MOVE */
};

/*
 * RECV delivers a call into the server's result buffer as:
 *   struct ring_recv_info | params message (msg_len bytes, padded to 8) |
 *   struct ring_cap_rec[cap_count] (the transferred caps, now in the
 *   server's table; capability pointers in the message index this array)
 * and the CQE has result = total bytes, call_id = the id to RETURN,
 * aux = method_id.  A CALL's results arrive the same way without the info
 * header: result message, padding, then cap records (cqe.cap_count of
 * them; cqe.cap0 repeats the first).
 */
struct ring_recv_info {
    uint64_t session;       /* caller's session: unforgeable, per client facet */
    uint32_t msg_len;       /* bytes of the params message that follows */
    uint16_t method_id;
    uint16_t cap_count;     /* cap records after the message */
    uint32_t caller_pid;    /* diagnostic only: never use it for authority */
    uint32_t rsvd;
};

/* Result cap record: a cap the completion delivered into the table. */
struct ring_cap_rec {
    uint32_t cap_id;        /* local CapId in the receiver's table */
    uint32_t iface_lo;      /* low 32 bits of the interface id */
};

struct ring_cqe {
    uint64_t user_data;
    int32_t  result;        /* >= 0: bytes of result / opcode value; < 0: CAP_ERR_* */
    uint16_t flags;         /* CQE_F_* */
    uint16_t cap_count;     /* result caps delivered (see caps / RECV buffer) */
    uint32_t call_id;       /* RECV: id to RETURN; CALL: 0 */
    uint32_t aux;           /* RECV: method_id; errors: capOS err code */
    struct ring_cap_rec cap0; /* first result cap, if cap_count >= 1 */
};

#define CQE_F_MORE_CAPS 0x0001u /* further cap records in the result buffer */
#define CQE_F_PEER_EVENT 0x0002u /* RECV: a peer event, not a call: aux is
                                  * RING_EVENT_*, call_id 0, the buffer
                                  * holds a ring_recv_info (msg_len 0) */

/* Peer events a RECV can deliver (docs/ipc.md "Lifetime of clients"). */
#define RING_EVENT_SESSION_CLOSED 1u /* info.session: its last facet is gone */
#define RING_EVENT_NO_CLIENTS     2u /* no client facet of the endpoint is left */

struct ring_header {
    volatile uint32_t sq_head;      /* kernel-written copy */
    volatile uint32_t sq_tail;      /* process-written */
    volatile uint32_t cq_head;      /* process-written */
    volatile uint32_t cq_tail;      /* kernel-written copy */
    uint32_t sq_mask;               /* RING_SQ_ENTRIES - 1 */
    uint32_t cq_mask;               /* RING_CQ_ENTRIES - 1 */
    volatile uint32_t cq_overflow;  /* completions that could not be posted */
    volatile uint32_t sq_dropped;   /* malformed tails ignored */
    uint32_t abi_version;           /* RING_ABI_VERSION */
    uint32_t rsvd[3];
};

#define RING_ABI_VERSION 1u

_Static_assert(sizeof(struct ring_sqe) == 64, "SQE is 64 bytes");
_Static_assert(offsetof(struct ring_sqe, opcode) == 0, "sqe.opcode");
_Static_assert(offsetof(struct ring_sqe, flags) == 2, "sqe.flags");
_Static_assert(offsetof(struct ring_sqe, method_id) == 4, "sqe.method_id");
_Static_assert(offsetof(struct ring_sqe, xfer_count) == 6, "sqe.xfer_count");
_Static_assert(offsetof(struct ring_sqe, cap_id) == 8, "sqe.cap_id");
_Static_assert(offsetof(struct ring_sqe, call_id) == 12, "sqe.call_id");
_Static_assert(offsetof(struct ring_sqe, addr) == 16, "sqe.addr");
_Static_assert(offsetof(struct ring_sqe, len) == 24, "sqe.len");
_Static_assert(offsetof(struct ring_sqe, result_len) == 28, "sqe.result_len");
_Static_assert(offsetof(struct ring_sqe, result_addr) == 32, "sqe.result_addr");
_Static_assert(offsetof(struct ring_sqe, user_data) == 40, "sqe.user_data");
_Static_assert(offsetof(struct ring_sqe, xfer_addr) == 48, "sqe.xfer_addr");
_Static_assert(offsetof(struct ring_sqe, pipeline_dep) == 56, "sqe.pipeline_dep");
_Static_assert(offsetof(struct ring_sqe, pipeline_field) == 60, "sqe.pipeline_field");
_Static_assert(offsetof(struct ring_sqe, rsvd1) == 62, "sqe.rsvd1");
_Static_assert(sizeof(struct ring_cqe) == 32, "CQE is 32 bytes");
_Static_assert(offsetof(struct ring_cqe, result) == 8, "cqe.result");
_Static_assert(offsetof(struct ring_cqe, flags) == 12, "cqe.flags");
_Static_assert(offsetof(struct ring_cqe, cap_count) == 14, "cqe.cap_count");
_Static_assert(offsetof(struct ring_cqe, call_id) == 16, "cqe.call_id");
_Static_assert(offsetof(struct ring_cqe, aux) == 20, "cqe.aux");
_Static_assert(offsetof(struct ring_cqe, cap0) == 24, "cqe.cap0");
_Static_assert(sizeof(struct ring_xfer) == 8, "xfer is 8 bytes");
_Static_assert(sizeof(struct ring_recv_info) == 24, "recv info is 24 bytes");
_Static_assert(offsetof(struct ring_recv_info, msg_len) == 8, "recv.msg_len");
_Static_assert(offsetof(struct ring_recv_info, method_id) == 12, "recv.method");
_Static_assert(offsetof(struct ring_recv_info, cap_count) == 14, "recv.caps");
_Static_assert(offsetof(struct ring_recv_info, caller_pid) == 16, "recv.pid");
_Static_assert(sizeof(struct ring_header) <= RING_HDR_SIZE, "ring header fits");
_Static_assert(offsetof(struct ring_header, cq_tail) == 12, "hdr.cq_tail");
_Static_assert(offsetof(struct ring_header, cq_overflow) == 24, "hdr.cq_overflow");
_Static_assert(RING_CQ_OFFSET + RING_CQ_ENTRIES * 32u == RING_PAGE_SIZE,
               "ring fills one page");
#endif
