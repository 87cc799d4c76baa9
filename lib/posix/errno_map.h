/* SPDX-License-Identifier: MIT */
/*
 * errno_map.h - capOS errors (abi/errors.def) as POSIX errno values.
 *
 * The one table of the POSIX layer (errno_map.c): every capOS error a
 * capability call can return becomes one errno, chosen for what a POSIX
 * program expects from the call that failed; docs/posix.md lists it.
 */
#pragma once

#include <abi/errors.h>

/* The positive errno for capOS error e (0 for ERR_OK; EIO for a value
 * outside the closed list). */
int posix_errno_from_err(err_t e);
