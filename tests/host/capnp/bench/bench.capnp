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

enum Kind {
  alpha @0;
  beta @1;
  gamma @2;
}

struct Inner {
  id @0 :UInt32;
  name @1 :Text;
}

# TestAllTypes-like: every scalar type, text, data, a struct, an enum and
# lists of each.
struct AllTypes {
  b @0 :Bool;
  i8 @1 :Int8;
  i16 @2 :Int16;
  i32 @3 :Int32;
  i64 @4 :Int64;
  u8 @5 :UInt8;
  u16 @6 :UInt16;
  u32 @7 :UInt32;
  u64 @8 :UInt64;
  f32 @9 :Float32;
  f64 @10 :Float64;
  text @11 :Text;
  data @12 :Data;
  inner @13 :Inner;
  kind @14 :Kind;
  boolList @15 :List(Bool);
  i32List @16 :List(Int32);
  u64List @17 :List(UInt64);
  f64List @18 :List(Float64);
  textList @19 :List(Text);
  dataList @20 :List(Data);
  innerList @21 :List(Inner);
  kindList @22 :List(Kind);
}
