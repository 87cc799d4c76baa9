/*
 * args.c - ARGS0001: main(argc, argv) gets the CapSet's arguments.
 * Started by the manifest as ARGS0001 it expects argv = {"ARGS0001",
 * ARGS_DESC, "expect=0"}, writable.  Spawned as "argkid" (by spawn.c) it checks the
 * arguments spawn.c sends and exits with 0 if they arrived exactly, else
 * 10 + the index of the first wrong one.
 */
#include "t.h"

#define ARGS_DESC "argv reaches main: name, description, expect=0"

/* spawn.c's argument lists: "few" (3 arguments) or 32 of 32 bytes. */
static int kid_check(int argc, char **argv)
{
    if (argc == 4) {
        static const char *const want[] = {"one", "two words", ""};
        for (int i = 1; i < 4; i++)
            if (strcmp(argv[i], want[i - 1]))
                return 10 + i;
        return argv[4] ? 20 : 0;
    }
    if (argc != 33)
        return 9;
    for (int i = 1; i < 33; i++) {
        if (strlen(argv[i]) != 32)
            return 10 + i;
        for (int k = 0; k < 32; k++)
            if (argv[i][k] != 'a' + i % 26)
                return 10 + i;
    }
    return argv[33] ? 50 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "argkid"))
        return kid_check(argc, argv);
    CHECK_EQ(argc, 3);
    if (argc == 3) {
        CHECK_EQ(strcmp(argv[0], "ARGS0001"), 0);
        CHECK_EQ(strcmp(argv[1], ARGS_DESC), 0);
        CHECK_EQ(strcmp(argv[2], "expect=0"), 0);
        CHECK(argv[3] == NULL);
        argv[2][0] = 'E';           /* writable, as C promises */
        CHECK_EQ(strcmp(argv[2], "Expect=0"), 0);
    }
    return t_result();
}
