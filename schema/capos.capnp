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

# The serial line (COM1, 16550 UART), raw bytes both ways.  Input arrives by
# the UART's receive interrupt into a bounded kernel buffer (4,096 bytes);
# bytes that arrive while it is full are dropped and counted, never block
# anything.  One read may be outstanding at a time (the line has one
# reader: the terminal service, user/term).  See docs/terminal.md.
interface Serial @0xf6a3862e986ef92b {
  read @0 (maxBytes :UInt32, timeoutNs :UInt64)
      -> (data :Data, dropped :UInt64);
  # The buffered input, at most min(maxBytes, 256) bytes (fewer if the
  # result buffer is smaller).  With nothing buffered it waits until a
  # byte arrives or timeoutNs passes (0: return at once; a deadline past
  # the end of time waits for ever) and then returns what is there,
  # possibly nothing.  `dropped` counts every byte lost to a full buffer
  # since boot.  errors: INVAL (maxBytes 0), BUSY (another read is
  # outstanding), TOOSMALL (the result buffer cannot hold one byte),
  # QUOTA (the caller's deferred waits are used up).
  write @1 (data :Data) -> ();
  # Write raw bytes (a newline becomes CR LF).  errors: INVAL (longer than
  # 4,096 bytes; nothing is written).
  stats @2 () -> (received :UInt64, dropped :UInt64, buffered :UInt32);
  # Bytes received and dropped since boot, and bytes buffered now.
  # errors: none.
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
  makeClient @0 (interfaceId :UInt64) -> (client :ClientEndpoint);
  # Mint a client facet (one session) that can only CALL this endpoint.
  # `interfaceId` is the interface the server serves through it (0: none
  # stated): the facet's cap-table and CapSet entries carry it, and a CALL
  # stating another interface fails with WRONGTYPE before it is queued.
  # errors: INVAL (interfaceId is a kernel object's interface), NOMEM,
  # QUOTA, REVOKED.
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

# A word of 64 signal bits (seL4's notification object).  signal ORs bits
# in and wakes the oldest waiter, which takes every pending bit at once;
# nothing is queued per signal, so signalling never blocks and never fails
# for lack of memory.  The kernel side can signal from an interrupt
# (kernel/include/kernel/notification.h), for later interrupt binding.
# See docs/notification.md.
interface Notification @0x9bbefeee68ca9f6c {
  signal @0 (bits :UInt64) -> ();
  # OR `bits` into the pending word; wake the oldest waiter, if any, with
  # every pending bit (the word is then 0).  errors: INVAL (bits == 0).
  wait @1 (timeoutNs :UInt64) -> (bits :UInt64);
  # Take and clear the pending bits; if none are pending, block until a
  # signal or for `timeoutNs` (0xffffffffffffffff = no timeout; 0 = do not
  # block).  Waiters are woken oldest first, one per signal.
  # errors: TIMEOUT (nothing pending within `timeoutNs`), QUOTA (too many
  # outstanding waits of the caller).
  poll @2 () -> (bits :UInt64);
  # Take and clear the pending bits without blocking (0 if none).
  # errors: none.
}

# Creates Notification objects.
interface NotificationFactory @0xe24502169942fdb8 {
  create @0 () -> (notification :Notification);
  # A fresh Notification with no bits pending.  errors: NOMEM, QUOTA.
}

# ---- devices (docs/devices.md) -------------------------------------------

enum PciBarKind @0xa534c84487012512 {
  none @0;
  memory32 @1;
  memory64 @2;
  io @3;
}

struct PciBar @0xabe311f94a1b64b0 {
  kind @0 :PciBarKind;
  base @1 :UInt64;          # physical (memory) or port (io) address
  size @2 :UInt64;
  prefetchable @3 :Bool;
}

# What the kernel found of one PCI function at boot.
struct PciInfo @0xabfc0e5d75ad24ad {
  bus @0 :UInt8;
  slot @1 :UInt8;
  function @2 :UInt8;
  vendorId @3 :UInt16;
  deviceId @4 :UInt16;
  classCode @5 :UInt8;
  subclass @6 :UInt8;
  progIf @7 :UInt8;
  bars @8 :List(PciBar);    # BAR0..BAR5; the upper half of a 64-bit BAR is none
  msixEntries @9 :UInt16;   # 0: the function has no MSI-X
}

# The PCI functions of the machine.  Init holds it and opens, for each
# driver the manifest names, exactly the device it is granted.
interface DeviceManager @0x9e2ef5d78d77084a {
  list @0 () -> (devices :List(PciInfo));
  # Every function found at boot, in bus order.  errors: TOOSMALL.
  open @1 (vendorId :UInt16, deviceId :UInt16, index :UInt32)
      -> (device :PciDevice);
  # The `index`-th function (0 = first) with these ids, for one driver at
  # a time: the function stays open while any PciDevice or Interrupt
  # capability of this open exists.
  # errors: NOTFOUND (no such function), BUSY (already open), NOMEM.
}

# One PCI function: its registers, interrupts and DMA memory.  Releasing
# the last capability of the open (and of its Interrupts) resets it: bus
# mastering and MSI-X off, every interrupt masked, DMA memory unpinned.
interface PciDevice @0x9471894f5045b972 {
  info @0 () -> (info :PciInfo);
  # errors: none.
  configRead @1 (offset :UInt16, width :UInt8) -> (value :UInt32);
  # Read config space.  errors: INVAL (width not 1, 2 or 4, or offset not
  # a multiple of it), RANGE (beyond 256 bytes).
  configWrite @2 (offset :UInt16, width :UInt8, value :UInt32) -> ();
  # Write config space: the command register (bits memory, bus master and
  # INTx disable only) and the device-specific area from 0x40 outside the
  # MSI and MSI-X capabilities, which the kernel owns.
  # errors: INVAL, RANGE, PERM (header, BARs, other command bits, MSI/MSI-X).
  bar @3 (index :UInt8) -> (mmio :MemoryObject);
  # The memory BAR `index` as a MemoryObject (device memory: mapped
  # uncached, never executable, not readable through read/write).
  # errors: RANGE (index > 5), NOTFOUND (BAR unused), NOSYS (I/O BAR),
  # INVAL (not page aligned), PERM (the BAR overlaps RAM).
  interrupt @4 (entry :UInt16, notification :Notification, bits :UInt64)
      -> (irq :Interrupt);
  # Route MSI-X table entry `entry` to `bits` of `notification` and enable
  # MSI-X.  Each interrupt masks the entry and signals the bits; it stays
  # masked until Interrupt.ack.  errors: NOSYS (no MSI-X), RANGE (entry
  # beyond the table), INVAL (bits == 0 or no Notification in the transfer
  # list), WRONGTYPE (not a Notification), BUSY (entry already routed),
  # FULL (no free interrupt vector).
  dmaAlloc @5 (pages :UInt32) -> (memory :MemoryObject, deviceAddr :UInt64);
  # `pages` zeroed physically contiguous frames for DMA, charged to the
  # caller; `deviceAddr` is what the device uses (the physical address:
  # there is no IOMMU yet).  Pinned until the device is reset.
  # errors: INVAL (0), RANGE (above 512 or 64 allocations), NOMEM, QUOTA.
  reset @6 () -> ();
  # Bus mastering and MSI-X off, every interrupt masked; DMA memory
  # allocated so far is unpinned (its frames live while mapped or held).
  # errors: none.
}

# One routed MSI-X entry of a PciDevice.
interface Interrupt @0x9cce3c94b0ada180 {
  ack @0 () -> ();
  # Unmask the entry after handling the interrupt.  errors: none.
  stats @1 () -> (delivered :UInt64, masked :Bool);
  # Interrupts delivered so far, and whether the entry is masked now.
  # errors: none.
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
  notificationFactory @9;
  deviceManager @10;
  serial @11;           # the serial line (COM1) with its input buffer
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
    device @6 :DeviceMatch;         # a PciDevice open of this function
  }
}

# Which PCI function a device grant opens (interfaceId must be
# PciDevice's).  The kernel (test mode) or init (through its own
# DeviceManager grant) opens it for the service; a function has one open
# at a time, so two services cannot both be granted it.
struct DeviceMatch @0x8e16888242106eef {
  vendorId @0 :UInt16;
  deviceId @1 :UInt16;
  index @2 :UInt32;                 # 0 = the first function with these ids
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

# ---- terminal -----------------------------------------------------------

# How a readLine ended.
enum LineEnd @0x83c88935301ac129 {
  line @0;          # Enter: `line` holds the edited text
  endOfInput @1;    # Ctrl-D on an empty line
  interrupted @2;   # Ctrl-C (the line being edited is discarded)
}

# A session of the terminal service (user/term): what a program holds to
# talk to the person at the serial console.  Served over an Endpoint; the
# terminal does the line editing and echo (docs/terminal.md).  Ctrl-C is an
# event delivered to the caller that is waiting in readLine or
# waitInterrupt; with nobody waiting it is kept (one, further ones
# counted) for the next such call.
interface TerminalSession @0x9126139bd21fd2c0 {
  write @0 (data :Data) -> ();
  # Write bytes to the terminal as they are (a newline becomes CR LF).
  # errors: RANGE (longer than 4,096 bytes; nothing is written).
  readLine @1 (prompt :Text) -> (line :Text, end :LineEnd);
  # Show `prompt`, let the person edit one line (arrows, Home, End,
  # Backspace, Delete, Ctrl-A/E/K/U/W, history with Up/Down) and return it
  # when Enter is pressed.  Lines are at most 255 bytes: further input is
  # refused with a bell.  A readLine that arrives while another one waits
  # takes the terminal over: the older one fails with BUSY (so a reader
  # that went away cannot hold the terminal).  errors: RANGE (prompt over
  # 80 bytes), BUSY (taken over), BADFORMAT (malformed params).
  waitInterrupt @2 () -> (count :UInt32);
  # Wait for the next Ctrl-C; `count` is how many arrived since the last
  # delivery (at least 1).  A newer waitInterrupt takes over as readLine
  # does.  errors: BUSY (taken over).
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
  stats @4 () -> (served :UInt32, sessions :UInt32);
  # Calls answered so far and sessions open now.  Accepted only on the
  # server's admin endpoint; errors: PERM (called through the ordinary
  # KeyValue endpoint).  (The server stops by itself once no client facet
  # is left: there is no shutdown method.)
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
