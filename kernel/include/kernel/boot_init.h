/*
 * boot_init.h - from the boot manifest to running user processes.
 */
#pragma once

#include <stdbool.h>
#include <capnp/capnp.h>

struct boot_info;

/* The ELF of binary `name` in the boot manifest (for ProcessSpawner). */
bool boot_manifest_binary(struct capnp_text name, struct capnp_data *elf);

/* Validate the manifest module and start init; returns only if there is no
 * manifest module (the caller then idles).  A bad manifest panics with a
 * precise message before any user code runs. */
void boot_start_init(const struct boot_info *bi);

/* Test mode (test=manifest): run every service of the manifest as its own
 * test process, one after another, each with a leak check; then stop QEMU
 * with the verdict. */
__attribute__((noreturn)) void boot_run_manifest_tests(const struct boot_info *bi);
