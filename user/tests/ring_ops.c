/*
 * ring_ops.c - RING0001..: opcodes and reserved fields.
 * NOP completes with 0 and echoes user_data; unknown opcodes are
 * INVALID_REQUEST; FINISH is UNSUPPORTED_OPCODE; any reserved field or
 * unknown flag set is INVALID_REQUEST; the kernel keeps running.
 */
#include "t.h"

int main(void)
{
    struct ring_cqe c = raw((struct ring_sqe){.opcode = RING_OP_NOP});
    CHECK_EQ(c.result, 0);
    c = raw((struct ring_sqe){.opcode = 200});
    CHECK_EQ(c.result, CAP_ERR_INVALID_REQUEST);
    c = raw((struct ring_sqe){.opcode = RING_OP__COUNT});
    CHECK_EQ(c.result, CAP_ERR_INVALID_REQUEST);
    c = raw((struct ring_sqe){.opcode = RING_OP_FINISH});
    CHECK_EQ(c.result, CAP_ERR_UNSUPPORTED_OPCODE);
    c = raw((struct ring_sqe){.opcode = RING_OP_NOP, .rsvd0 = 1});
    CHECK_EQ(c.result, CAP_ERR_INVALID_REQUEST);
    c = raw((struct ring_sqe){.opcode = RING_OP_NOP, .rsvd1 = 1});
    CHECK_EQ(c.result, CAP_ERR_INVALID_REQUEST);
    c = raw((struct ring_sqe){.opcode = RING_OP_NOP, .flags = 0x8000});
    CHECK_EQ(c.result, CAP_ERR_INVALID_REQUEST);
    uint32_t con = t_cap("console");
    struct ring_sqe s = raw_call(con, 0, 0, 0, 0, 0);
    s.pipeline_dep = 1;
    CHECK_EQ(raw(s).result, CAP_ERR_INVALID_REQUEST);
    s = raw_call(con, 0, 0, 0, 0, 0);
    s.xfer_count = RING_MAX_XFER + 1;
    CHECK_EQ(raw(s).result, CAP_ERR_INVALID_REQUEST);
    /* A NOP still works after all of that. */
    CHECK_EQ(raw((struct ring_sqe){.opcode = RING_OP_NOP}).result, 0);
    return t_result();
}
