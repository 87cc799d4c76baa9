# bench.capnp - messages of the capnp benchmark (make bench-capnp).
@0xe1c4b6a2d3f50877;

struct Call {
  target @0 :UInt32;
  method @1 :UInt16;
  flags @2 :UInt16;
  seq @3 :UInt64;
  name @4 :Text;
}

struct Point {
  x @0 :Int32;
  y @1 :Int32;
  id @2 :UInt64;
}

struct PointList {
  points @0 :List(Point);
}

struct CapGrant {
  name @0 :Text;
  source @1 :Text;
  badge @2 :UInt64;
}

struct Service {
  name @0 :Text;
  binary @1 :Text;
  priority @2 :UInt8;
  caps @3 :List(CapGrant);
}

struct Manifest {
  name @0 :Text;
  version @1 :UInt32;
  services @2 :List(Service);
}
