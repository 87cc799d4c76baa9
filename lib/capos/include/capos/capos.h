/* SPDX-License-Identifier: MIT */
/*
 * capos.h - everything a capOS program needs from the runtime, in one
 * include: syscalls, ring client, CapSet, exceptions, messages, kernel cap
 * wrappers, the generated interface header and the generated typed
 * handles and client stubs (capos.capnp.rpc.h).
 */
#pragma once

#include <capos.capnp.h>
#include <capos.capnp.rpc.h>
#include <capos/client.h>
#include <capos/capset.h>
#include <capos/exception.h>
#include <capos/ipc.h>
#include <capos/kcaps.h>
#include <capos/msg.h>
#include <capos/ring.h>
#include <capos/rt.h>
#include <capos/serve.h>
#include <capos/spawn.h>
#include <capos/syscall.h>
