# SPDX-License-Identifier: MIT
# gen_test.capnp - every schema feature that affects the wire format, for
# the generator's host tests (tests/host/capnpc/gen_test.c, golden.txt).
@0x9d02737c394779d5;

enum Color @0xa8f9ad5a315c47be {
  red @0;
  green @1;
  blue @2;
}

struct Inner @0x8742af2ad0eb7add {
  a @0 :UInt32 = 7;
  label @1 :Text = "inner";
}

struct Box @0xf5427a958c84a234 (T) {
  value @0 :T;
  count @1 :UInt16;
}

struct All @0xbecee3fdab5a900c {
  b @0 :Bool = true;
  i8 @1 :Int8 = -8;
  i16 @2 :Int16 = -1600;
  i32 @3 :Int32 = -320000;
  i64 @4 :Int64 = -6400000000;
  u8 @5 :UInt8 = 200;
  u16 @6 :UInt16 = 60000;
  u32 @7 :UInt32 = 4000000000;
  u64 @8 :UInt64 = 0xfedcba9876543210;
  f32 @9 :Float32 = 1.5;
  f64 @10 :Float64 = -2.25;
  color @11 :Color = green;
  text @12 :Text = "hello";
  data @13 :Data = 0x"01 02 03";
  inner @14 :Inner = (a = 99, label = "dflt");
  ints @15 :List(Int32) = [1, 2, 3];
  bools @16 :List(Bool);
  texts @17 :List(Text);
  inners @18 :List(Inner);
  colors @19 :List(Color);
  nested @20 :List(List(UInt8));
  voids @21 :List(Void);
  floats @22 :List(Float64);
  cap @23 :Console;
  any @24 :AnyPointer;
  boxed @25 :Box(Text);
  datas @26 :List(Data);
  plain @27 :Int32;               # no explicit default
  union {
    none @28 :Void;
    num @29 :UInt64 = 5;
    str @30 :Text;
    sub @31 :Inner;
    grp :group {
      x @32 :Int16 = -3;
      y @33 :Bool;
    }
  }
  pair :group {
    left @34 :UInt8;
    right @35 :Text;
  }
  choice :union {
    first @36 :UInt32;
    second @37 :Color;
    third @38 :List(UInt16);
  }
  struct Deep @0xf7131aecce94dbce {
    depth @0 :UInt8;
    enum Kind @0xf96daa5795f75efe { plain @0; fancy @1; }
    kind @1 :Kind = fancy;
  }
  deep @39 :Deep;
}

const answer :Int32 = 42;
const big :UInt64 = 0xffffffffffffffff;
const min64 :Int64 = -9223372036854775808;
const pi :Float64 = 3.5;
const greeting :Text = "hi \"there\"\n";
const blob :Data = 0x"de ad be ef";
const favorite :Color = blue;
const innerConst :Inner = (a = 5, label = "c");
const primes :List(UInt32) = [2, 3, 5, 7];
const inners :List(Inner) = [(a = 1), (a = 2, label = "two")];
const flag :Bool = true;

interface Console @0xc8597a4962fdb203 {
  write @0 (data :Data) -> ();
  # Write bytes.  errors: INVAL.
  add @1 (a :Int32, b :Int32) -> (sum :Int32);
  # a + b.  errors: OVERFLOW.
  echo @2 (in :All) -> (out :All);
  default @3 () -> ();
  # A method whose name is a C keyword.
}

interface Empty @0xd2e90cafbc4519f5 {
}
