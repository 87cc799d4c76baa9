/*
 * hello.c - the smallest service: prints "hello: <its name>" and exits
 * with 0.  tests/system/manifests/shared_binary.capnp runs it as 30
 * services sharing this one binary (init starts and waits for all).
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello: %s\n", argc > 0 ? argv[0] : "?");
    return 0;
}
