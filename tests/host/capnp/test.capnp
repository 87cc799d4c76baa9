# test.capnp - every type and layout feature, for the runtime's interop
# tests (tests/host/capnp/interop.c).  Field offsets used by the
# hand-written accessors in interop_schema.h come from
# `capnp compile -ocapnp`; keep them in sync when editing this file.
@0xc2f5a6a1b7e3d901;

enum Color { red @0; green @1; blue @2; }

interface Echo { echo @0 (x :Text) -> (y :Text); }

struct Inner {
  id @0 :UInt32;
  name @1 :Text;
}

struct TestAll {
  voidField @0 :Void;
  boolField @1 :Bool;
  int8Field @2 :Int8;
  int16Field @3 :Int16;
  int32Field @4 :Int32;
  int64Field @5 :Int64;
  uint8Field @6 :UInt8;
  uint16Field @7 :UInt16;
  uint32Field @8 :UInt32;
  uint64Field @9 :UInt64;
  float32Field @10 :Float32;
  float64Field @11 :Float64;
  textField @12 :Text;
  dataField @13 :Data;
  structField @14 :Inner;
  enumField @15 :Color;

  voidList @16 :List(Void);
  boolList @17 :List(Bool);
  int8List @18 :List(Int8);
  int16List @19 :List(Int16);
  int32List @20 :List(Int32);
  int64List @21 :List(Int64);
  float64List @22 :List(Float64);
  textList @23 :List(Text);
  structList @24 :List(Inner);
  listList @25 :List(List(Int32));
  enumList @26 :List(Color);

  defInt32 @27 :Int32 = -12345;
  defUInt64 @28 :UInt64 = 0xfedcba9876543210;
  defBool @29 :Bool = true;
  defFloat32 @30 :Float32 = 1.5;
  defText @31 :Text = "hello";
  defStruct @32 :Inner = (id = 7, name = "seven");
  defEnum @33 :Color = blue;

  union {
    unA @34 :UInt16;
    unB @35 :Text;
    unC @36 :Inner;
  }
  grp :group {
    gx @37 :Int64;
    gy @38 :Text;
  }
  anyField @39 :AnyPointer;
  capField @40 :Echo;
  capList @41 :List(Echo);
}
