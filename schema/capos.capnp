# SPDX-License-Identifier: MIT
# capos.capnp - the capOS capability interfaces, their payloads and the boot
# manifest.  This file is the single source of interface ids, method ordinals
# and payload layouts (STYLE R9); tools/capnpc turns it into
# build/gen/capos.capnp.h.  See docs/schema.md.
#
# Rules:
#  - Every id is written explicitly and never changes (generated with
#    `capnp id`).  Method ordinals and field ordinals are append-only.
#  - "errors:" lists the capOS error codes (abi/include/abi/errors.def) a
#    method can fail with.  The kernel reports them as a CapException result
#    (CQE result CAP_ERR_APPLICATION_EXCEPTION, cqe.aux = the code); every
#    method can additionally fail at the transport layer (CAP_ERR_* in
#    abi/ring.h) and with WRONGTYPE/BADCAP/REVOKED before it runs.
#  - Capability-typed fields are indexes into the message's capability table,
#    which on the ring is the SQE/CQE transfer list (abi/ring.h).
#  - Domain outcomes that are not errors are unions in the result struct.
#  - A method's doc comment follows its declaration (Cap'n Proto style); the
#    generator copies it next to the method's client helper.

@0xacbf71ab23bf36f2;

# ---- errors -------------------------------------------------------------

# Cap'n Proto exception kinds plus capOS's invalidArgument.
enum ExceptionType @0x96d1f98422e2eccd {
  failed @0;           # generic failure; see CapException.code
  overloaded @1;       # temporary lack of resources (NOMEM, QUOTA, FULL, BUSY)
  disconnected @2;     # the object is gone (REVOKED, DISCONNECTED)
  unimplemented @3;    # method ordinal not implemented (NOSYS)
  invalidArgument @4;  # caller error (INVAL, RANGE, FAULT, BADFORMAT, ...)
}

# The payload of a failed call (result buffer, CAP_ERR_APPLICATION_EXCEPTION).
# The message never contains kernel pointers or secrets.
struct CapException @0xf5336ae7cec4be31 {
  type @0 :ExceptionType;
  message @1 :Text;
  code @2 :UInt16;     # ERR_* value from abi/include/abi/errors.def
}

# ---- kernel capabilities ------------------------------------------------

# Serial/console output.
interface Console @0xf8cb04023b505d3c {
  write @0 (data :Data) -> ();
  # Write raw bytes.  errors: INVAL (longer than the kernel's write limit).
  writeLine @1 (text :Text) -> ();
  # Write text followed by a newline.  errors: INVAL (too long).
}

# Monotonic time and sleeping.
interface Timer @0xa03d7b66888723e2 {
  now @0 () -> (ns :UInt64);
  # Nanoseconds since boot (monotonic).  errors: none.
  sleep @1 (ns :UInt64) -> ();
  # Block the calling thread for at least `ns` nanoseconds.
  # errors: QUOTA (timer-waiter quota exhausted), OVERFLOW (deadline wraps).
}

# Page protection bits for map/protect/commit (`prot` arguments).
const protRead :UInt32 = 1;
const protWrite :UInt32 = 2;
const protExec :UInt32 = 4;
const pageSize :UInt64 = 4096;

# Physical memory, handed out as MemoryObject capabilities.  Releasing the
# last capability to a MemoryObject frees its frames.
interface FrameAllocator @0xaee7ae6b724cbb71 {
  allocFrame @0 () -> (frame :MemoryObject);
  # One zeroed 4 KiB frame.  errors: NOMEM, QUOTA.
  allocContiguous @1 (count :UInt32) -> (memory :MemoryObject);
  # `count` physically contiguous zeroed frames.
  # errors: INVAL (count == 0), RANGE (count above the limit), NOMEM, QUOTA.
  stats @2 () -> (freeFrames :UInt64, totalFrames :UInt64);
  # Free/total frame counters (used by tests for leak checks).  errors: none.
}

# A range of physical frames.  Children (subrange) share the frames and are
# revoked with their parent.
interface MemoryObject @0x873b1ebe814bfb1a {
  info @0 () -> (pages :UInt64, size :UInt64, physAddr :UInt64);
  # Size of the object.  errors: none.
  read @1 (offset :UInt64, len :UInt32) -> (data :Data);
  # Copy out up to `len` bytes at `offset`.
  # errors: RANGE (offset+len beyond size), OVERFLOW, TOOSMALL (result buffer).
  write @2 (offset :UInt64, data :Data) -> ();
  # Copy `data` in at `offset`.  errors: RANGE, OVERFLOW.
  map @3 (hint :UInt64, offset :UInt64, size :UInt64, prot :UInt32)
      -> (addr :UInt64);
  # Map pages [offset, offset+size) into the caller's address space at or
  # near `hint` (0 = anywhere) with `prot` (protRead|protWrite|protExec).
  # errors: INVAL (unaligned, unknown prot bits), RANGE, NOMEM, EXISTS
  # (hint overlaps and is mandatory), OVERFLOW.
  unmap @4 (addr :UInt64, size :UInt64) -> ();
  # Remove a mapping made by map.  errors: INVAL (unaligned), NOTFOUND.
  subrange @5 (offset :UInt64, size :UInt64) -> (child :MemoryObject);
  # A child object covering whole pages [offset, offset+size).
  # errors: INVAL (unaligned or empty), RANGE, OVERFLOW, QUOTA.
}

# The caller's own address space: anonymous memory and reservations.
interface VirtualMemory @0xc14155ea5afc726c {
  map @0 (hint :UInt64, size :UInt64, prot :UInt32) -> (addr :UInt64);
  # Map `size` bytes of zeroed anonymous memory.
  # errors: INVAL (unaligned, bad prot), RANGE, NOMEM, QUOTA, EXISTS.
  unmap @1 (addr :UInt64, size :UInt64) -> ();
  # Unmap and free.  errors: INVAL (unaligned), NOTFOUND, RANGE.
  protect @2 (addr :UInt64, size :UInt64, prot :UInt32) -> ();
  # Change protection of mapped pages.  errors: INVAL, NOTFOUND, RANGE.
  reserve @3 (hint :UInt64, size :UInt64) -> (addr :UInt64);
  # Reserve address space without backing memory (Go-style contract).
  # errors: INVAL, RANGE, EXISTS, NOMEM.
  commit @4 (addr :UInt64, size :UInt64, prot :UInt32) -> ();
  # Back part of a reservation with zeroed memory.
  # errors: INVAL, NOTFOUND (not reserved), NOMEM, QUOTA.
  decommit @5 (addr :UInt64, size :UInt64) -> ();
  # Return the memory of a committed range; the reservation stays.
  # errors: INVAL, NOTFOUND.
}

# Server side of an IPC endpoint.  RECV and RETURN are ring opcodes on this
# capability (abi/ring.h), not methods; CALL on it invokes the methods below.
interface Endpoint @0xd2ad96124f979c7f {
  makeClient @0 () -> (client :ClientEndpoint);
  # Mint a client facet that can only CALL this endpoint.
  # errors: QUOTA, REVOKED.
  pending @1 () -> (count :UInt32);
  # Pending calls not yet received.  errors: none.
  revokeClients @2 () -> ();
  # Revoke every client facet minted so far: their caps (in any table or in
  # flight) fail with REVOKED from now on, and calls they queued fail with
  # REVOKED.  Facets minted later work.  errors: none.
}

# Client facet of an Endpoint.  It has no methods of its own: a CALL on it
# with any method id is delivered to the server, which interprets the id
# under the interface it serves (ServiceExport.interfaceId).  A dead server
# surfaces as DISCONNECTED.
interface ClientEndpoint @0xdcdd8b53028643d2 {
}

# Creates processes from boot-package binaries.
interface ProcessSpawner @0x86700d247e7b0a5d {
  spawn @0 (name :Text, binary :Text, grants :List(SpawnGrant),
            args :List(Text), quota :Quota) -> (handle :ProcessHandle);
  # Start binary `binary` (a SystemManifest.binaries name) as process `name`;
  # the child's CapSet holds exactly `grants`, in order, and `args` (its
  # argv after argv[0] = name; see CapSet.args).  The child's `quota`
  # (a 0 field: the default of docs/capabilities.md) is carved out of the
  # caller's: its frames, processes and threads are charged to the caller
  # until the child and everything charged to it are gone.
  # errors: NOTFOUND (no such binary), BADFORMAT (bad ELF), INVAL (grant
  # index, duplicate grant name, an argument holding NUL), RANGE (more
  # than 32 arguments, one over 255 bytes or all over 1,024; a quota field
  # over its limit), NOMEM, QUOTA (the caller's quota cannot hold the
  # child's, the child's frames cannot hold its image, no slot for the
  # handle).
  newEndpoint @1 () -> (endpoint :Endpoint);
  # A fresh Endpoint (server side), to give to a service that exports it.
  # errors: NOMEM, QUOTA.
}

# One capability passed to a child at spawn time.
struct SpawnGrant @0xa1bb50e02b12e77d {
  name @0 :Text;          # name in the child's CapSet
  cap @1 :Capability;     # index into the CALL's transfer list
  interfaceId @2 :UInt64; # expected interface (WRONGTYPE on mismatch)
}

# Lifetime of a spawned process (not transferable).
interface ProcessHandle @0xe6118e61e161c01f {
  wait @0 () -> (exitCode :Int64);
  # Wait for the process to exit.  Completes at once if it already has;
  # several waits may be pending (each uses one of the caller's deferred
  # waits).  A user fault ends a process with -(128 + vector).
  # errors: INVAL (a process waiting for itself), QUOTA (too many waits).
  pid @1 () -> (pid :UInt32);
  # The process id.  errors: none.
  kill @2 () -> ();
  # End the process, wherever it is blocked or running: it exits with
  # -137 (-(128 + 9)) before it runs user code again.  Killing an exited
  # process does nothing.  errors: INVAL (a process killing itself).
}

# Resource limits of a process and everything it spawns (a subtree):
# spawn carves a child's quota out of its parent's (docs/capabilities.md).
struct Quota @0xd6a2f0c1b83e4a57 {
  frames @0 :UInt64;     # 4 KiB frames: image, stack, page tables, kernel
                         # records, memory caps, children's quotas
  capSlots @1 :UInt32;   # the process's own capability table (<= 256)
  processes @2 :UInt32;  # itself and its descendants alive at once
  threads @3 :UInt32;    # threads of itself and its descendants
  waits @4 :UInt32;      # its own outstanding deferred completions (<= 64)
}

# Read access to the boot manifest (given to init).
interface BootPackage @0xcc0905ade4cdc3d4 {
  manifestSize @0 () -> (size :UInt64);
  # Size in bytes of the manifest message.  errors: none.
  readManifest @1 (offset :UInt64, maxBytes :UInt32) -> (data :Data);
  # Up to maxBytes of the manifest starting at offset (read in chunks).
  # errors: RANGE (offset beyond size), TOOSMALL (result buffer).
}

# Introspection of the caller's own capability table.
interface CapabilityManager @0xa7bc30f1f1780804 {
  list @0 () -> (capabilities :List(CapabilityInfo));
  # Every live capability of the caller.  errors: TOOSMALL (result buffer).
}

struct CapabilityInfo @0xe18eda24583ed61a {
  capId @0 :UInt32;       # generation-tagged CapId
  interfaceId @1 :UInt64;
  name @2 :Text;          # CapSet name, empty if acquired later
}

# Control of the calling thread.
interface ThreadControl @0x828bc9d9da6b2099 {
  setFsBase @0 (base :UInt64) -> ();
  # Set the FS base (TLS pointer).  errors: INVAL (non-canonical address).
  exitThread @1 (code :Int64) -> ();
  # Exit the calling thread; never completes.  errors: none.
}

# ---- bootstrap CapSet ---------------------------------------------------

# The read-only CapSet page given to each process at entry (RDX) holds a
# single-segment message whose root is a CapSet: the initial capabilities in
# manifest order.
struct CapSet @0xfc65fd5eb8018c56 {
  entries @0 :List(CapSetEntry);
  args @1 :List(Text);    # argv: the process name, then its arguments
                          # (ServiceEntry.args or spawn's args): at most
                          # 32, each <= 255 bytes without NUL, 1,024 bytes
                          # in all
}

struct CapSetEntry @0xce7a0b41469a6e18 {
  name @0 :Text;
  interfaceId @1 :UInt64;
  capId @2 :UInt32;
}

# ---- boot manifest ------------------------------------------------------

const manifestSchemaVersion :UInt32 = 1;

# The single boot module (build/manifest.bin): authored as a capnp constant
# (system/system.capnp) and serialized with `capnp eval -b`.
struct SystemManifest @0xee56cd6e2b1dad83 {
  schemaVersion @0 :UInt32;         # must equal manifestSchemaVersion
  binaries @1 :List(Binary);
  initConfig @2 :InitConfig;
  kernelParams @3 :KernelParams;
}

# A named executable (ELF64) embedded in the manifest.
struct Binary @0xe01f725436967c65 {
  name @0 :Text;
  data @1 :Data;
}

struct InitConfig @0xb05cc12caecd9954 {
  init @0 :ServiceEntry;            # the one process the kernel starts
  services @1 :List(ServiceEntry);  # started by init, in order
}

# One process: its binary, the capabilities it receives and what it exports.
struct ServiceEntry @0x9b117359329a7f68 {
  name @0 :Text;
  binary @1 :Text;                  # a Binary.name
  grants @2 :List(CapGrant);        # CapSet, in order
  exports @3 :List(ServiceExport);
  restart @4 :RestartPolicy;        # metadata only, not enforced yet
  args @5 :List(Text);
  quota @6 :Quota;                  # absent or 0 fields: defaults
}

enum RestartPolicy @0x8ce3448a637e7e37 {
  never @0;
  onFailure @1;
  always @2;
}

# Kernel objects a manifest can grant by name.
enum KernelCap @0xc29bc112b3092351 {
  console @0;
  timer @1;
  frameAllocator @2;
  virtualMemory @3;     # the receiving process's own address space
  processSpawner @4;
  bootPackage @5;
  capabilityManager @6; # the receiving process's own table
  threadControl @7;     # the receiving process's main thread
  endpoint @8;          # a fresh Endpoint owned by the receiver
}

# One CapSet entry of a service: a name, the interface it must implement and
# where the capability comes from.
struct CapGrant @0xc9f9ac6438a69115 {
  name @0 :Text;
  interfaceId @1 :UInt64;
  source :union {
    kernel @2 :KernelCap;
    service :group {                # an export of an earlier service
      service @3 :Text;
      export @4 :Text;
    }
    clientOf @5 :Text;              # client facet of an own endpoint grant
  }
}

# A capability a service offers to later services.
struct ServiceExport @0xc28bf9ddf6ced3b1 {
  name @0 :Text;
  interfaceId @1 :UInt64;           # the interface served
  grant @2 :Text;                   # the own CapGrant (usually an endpoint)
}

enum LogLevel @0xdca60bf5460a1d35 {
  error @0;
  warn @1;
  info @2;
  debug @3;
  trace @4;
}

struct KernelParams @0xe520ca6840ed4267 {
  logLevel @0 :LogLevel = info;
  testFilter @1 :Text;              # "" = run nothing, "*" = all, "cap_*"
  motd @2 :Text;
  timerHz @3 :UInt32 = 100;
}

# ---- user-space services ------------------------------------------------

# A small in-memory key-value store, served by user/demo/kvstore.c over an
# Endpoint (clients hold ClientEndpoint facets and CALL with these method
# ordinals; see docs/ipc.md).  Every session (client facet) sees the same
# store.  Keys are 1..32 bytes of text, values at most 256 bytes, at most 32
# entries.
interface KeyValue @0x8c1fbf3213d3a8cb {
  put @0 (key :Text, value :Data) -> (replaced :Bool);
  # Store `value` under `key`; `replaced` says whether the key existed.
  # errors: INVAL (empty key or key longer than 32 bytes), RANGE (value
  # longer than 256 bytes), FULL (32 entries and `key` is new).
  get @1 (key :Text) -> (value :Data);
  # The value stored under `key`.  errors: INVAL (bad key), NOTFOUND.
  delete @2 (key :Text) -> ();
  # Remove `key`.  errors: INVAL (bad key), NOTFOUND.
  list @3 () -> (keys :List(Text));
  # Every key, in insertion order.  errors: none.
  shutdown @4 () -> (served :UInt32);
  # Stop the server after this answer; `served` counts the calls it
  # answered.  Accepted only on the server's admin endpoint; errors: PERM
  # (called through the ordinary KeyValue endpoint).
  putShared @5 (key :Text, value :MemoryObject, size :UInt64)
      -> (checksum :UInt64);
  # Store a large value without copying it: the server maps `value`
  # read-only and keeps the capability; `checksum` is the sum of the first
  # `size` bytes as the server reads them through its mapping.  A later get
  # returns the first 256 bytes read through the same mapping, so writes by
  # the owner are visible without another transfer.
  # errors: INVAL (bad key, no MemoryObject, size 0 or beyond the object),
  # RANGE (size above 1 MiB), FULL (32 entries and `key` is new).
}
