/*
 * spawn.c - SPAWN0001..: ProcessSpawner with good and hostile requests.
 * A child gets exactly its grants and its exit code comes back through the
 * ProcessHandle; unknown binary NOTFOUND; malformed ELF BADFORMAT; a grant
 * index outside the transfer list or used twice INVAL; a claimed interface
 * that is not the cap's WRONGTYPE; duplicate names INVAL; the handle is
 * not transferable (PERM); releasing a handle does not kill the child;
 * waiting twice on an exited child returns at once.  Arguments reach the
 * child's main exactly (3, and the most: 32 of 32 bytes); 33 arguments,
 * one of 256 bytes or 1,025 bytes in all are RANGE, a NUL inside one is
 * INVAL, and a refused spawn leaves nothing behind.
 */
#include "tspawn.h"

static void hostile(uint32_t sp, uint32_t con)
{
    uint32_t h;
    struct tgrant ok = {"console", con, CAPOS_CONSOLE_INTERFACE_ID, 0};
    CHECK_EQ(t_spawn(sp, "x", "nosuch", &ok, 1, &h), ERR_NOTFOUND);
    CHECK_EQ(t_spawn(sp, "x", "bad_magic", &ok, 1, &h), ERR_BADFORMAT);
    CHECK_EQ(t_spawn(sp, "x", "bad_wx", &ok, 1, &h), ERR_PERM);
    struct tgrant idx = {"console", con, CAPOS_CONSOLE_INTERFACE_ID, 5};
    CHECK_EQ(t_spawn(sp, "x", "exit_code", &idx, 1, &h), ERR_INVAL);
    struct tgrant wrong = {"console", con, CAPOS_TIMER_INTERFACE_ID, 0};
    CHECK_EQ(t_spawn(sp, "x", "exit_code", &wrong, 1, &h), ERR_WRONGTYPE);
    struct tgrant dup[2] = {{"console", con, CAPOS_CONSOLE_INTERFACE_ID, 0},
                            {"console", con, CAPOS_CONSOLE_INTERFACE_ID, 1}};
    CHECK_EQ(t_spawn(sp, "x", "exit_code", dup, 2, &h), ERR_INVAL);
    struct tgrant twice[2] = {{"a", con, CAPOS_CONSOLE_INTERFACE_ID, 0},
                              {"b", con, CAPOS_CONSOLE_INTERFACE_ID, 0}};
    CHECK_EQ(t_spawn(sp, "x", "exit_code", twice, 2, &h), ERR_INVAL);
    CHECK_EQ(t_spawn(sp, "", "exit_code", &ok, 1, &h), ERR_INVAL);
    CHECK_EQ(t_spawn(sp, "a-name-that-is-much-too-long-for-capos", "exit_code",
                     &ok, 1, &h), ERR_INVAL);
}

/* Arguments: delivered exactly, or refused with the precise code. */
static void args(uint32_t sp, uint32_t con)
{
    uint32_t h;
    struct tgrant g = {"console", con, CAPOS_CONSOLE_INTERFACE_ID, 0};
    static const struct targ few[] = {{"one", 3}, {"two words", 9}, {"", 0}};
    CHECK_EQ(t_spawn_args(sp, "argkid", "args", &g, 1, few, 3, &h), ERR_OK);
    CHECK_EQ(t_wait(h), 0);
    static char buf[33][256];
    struct targ many[33];                   /* argv[j + 1] = 32 x 'a'+j+1 */
    for (uint32_t j = 0; j < 33; j++) {
        memset(buf[j], 'a' + (j + 1) % 26, 32);
        many[j] = (struct targ){buf[j], 32};
    }
    CHECK_EQ(t_spawn_args(sp, "argkid", "args", &g, 1, many, 32, &h), ERR_OK);
    CHECK_EQ(t_wait(h), 0);
    CHECK_EQ(t_spawn_args(sp, "argkid", "args", &g, 1, many, 33, &h), ERR_RANGE);
    struct targ big[5];
    for (uint32_t i = 0; i < 5; i++)        /* 4 x 255 + 5 = 1,025 bytes */
        big[i] = (struct targ){buf[32], i < 4 ? 255 : 5};
    memset(buf[32], 'z', 256);
    CHECK_EQ(t_spawn_args(sp, "argkid", "args", &g, 1, big, 4, &h), ERR_OK);
    CHECK_EQ(t_wait(h), 9);                 /* argc 5: not a kid pattern */
    CHECK_EQ(t_spawn_args(sp, "argkid", "args", &g, 1, big, 5, &h), ERR_RANGE);
    struct targ longone = {buf[32], 256};
    CHECK_EQ(t_spawn_args(sp, "argkid", "args", &g, 1, &longone, 1, &h),
             ERR_RANGE);
    struct targ nul = {"a\0b", 3};
    CHECK_EQ(t_spawn_args(sp, "argkid", "args", &g, 1, &nul, 1, &h), ERR_INVAL);
}

int main(void)
{
    uint32_t sp = t_cap("spawner"), con = t_cap("console"), h, h2;
    struct tgrant g = {"console", con, CAPOS_CONSOLE_INTERFACE_ID, 0};
    CHECK_EQ(t_spawn(sp, "child", "exit_code", &g, 1, &h), ERR_OK);
    uint32_t pid = 0;
    CHECK_EQ(capos_process_handle_pid(CAPOS_HANDLE(capos_process_handle, h), &pid, NULL), ERR_OK);
    CHECK(pid > capos_rt_pid());
    int64_t code = -1;
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);
    CHECK_EQ(code, 7);
    CHECK_EQ(capos_process_handle_wait(CAPOS_HANDLE(capos_process_handle, h), &code, NULL), ERR_OK);      /* again: at once */
    CHECK_EQ(code, 7);
    /* The handle cannot be sent anywhere. */
    struct tgrant hg = {"h", h, CAPOS_PROCESS_HANDLE_INTERFACE_ID, 0};
    CHECK_EQ(t_spawn(sp, "x", "exit_code", &hg, 1, &h2), ERR_PERM);
    CHECK_EQ(capos_release(h), ERR_OK);
    /* A child whose handle is released at once still runs to its end. */
    CHECK_EQ(t_spawn(sp, "orphan", "exit_code", &g, 1, &h2), ERR_OK);
    CHECK_EQ(capos_release(h2), ERR_OK);
    hostile(sp, con);
    args(sp, con);
    /* A child that faults: its exit code says which fault. */
    CHECK_EQ(t_spawn(sp, "faulty", "fault_null", &g, 1, &h), ERR_OK);
    CHECK_EQ(t_wait(h), -142);
    return t_result();
}
