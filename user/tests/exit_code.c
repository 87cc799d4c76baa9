/*
 * exit_code.c - EXIT0001: the exit code reaches the driver unchanged
 * (expected 7), and output before exit is flushed.
 */
#include "t.h"

int main(void)
{
    printf("EXIT0001: exiting with 7\n");
    return 7;
}
