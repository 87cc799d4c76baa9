/* SPDX-License-Identifier: MIT */
/*
 * capos.h - everything a capOS program needs from the runtime, in one
 * include: syscalls, ring client, CapSet, exceptions, messages, kernel cap
 * wrappers and the generated interface header.
 */
#pragma once

#include <capos.capnp.h>
#include <capos/capset.h>
#include <capos/exception.h>
#include <capos/ipc.h>
#include <capos/kcaps.h>
#include <capos/mem.h>
#include <capos/msg.h>
#include <capos/ring.h>
#include <capos/rt.h>
#include <capos/spawn.h>
#include <capos/syscall.h>
