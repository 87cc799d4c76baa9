# kv.capnp - the test interfaces of lib/rpc (in-process and C++ interop).
@0xfdac3ae1c1ae5c64;

interface KeyValue {
  get @0 (key :Text) -> (value :Text, found :Bool);
  set @1 (key :Text, value :Text) -> ();
  # A view of the keys under `prefix` (a capability: pipelining).
  sub @2 (prefix :Text) -> (kv :KeyValue);
  # Hands `cap` back (capabilities in both directions).
  echo @3 (cap :KeyValue) -> (cap :KeyValue);
  # Calls cb.ping(x) and returns its answer + 1 (a call from inside a call).
  callBack @4 (cb :Callback, x :UInt32) -> (r :UInt32);
  # Always fails with `reason`.
  fail @5 (reason :Text) -> (never :Bool);
}

interface Callback {
  ping @0 (x :UInt32) -> (y :UInt32);
}
