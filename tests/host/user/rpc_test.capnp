# rpc_test.capnp - a schema for the host tests of the generated client
# stubs (tests/host/user/test_rpc.c): every param and result kind.
@0xd7e3c9a1b2f40051;

enum Kind { first @0; second @1; }

struct Point {
  x @0 :Int32;
  y @1 :Int32;
}

struct Shape {
  name @0 :Text;
  union {
    circle @1 :UInt32;
    rect :group {
      w @2 :UInt32;
      h @3 :UInt32;
    }
  }
}

interface Counter {
  add @0 (n :Int64) -> (total :Int64);
}

interface Tester {
  scalars @0 (a :UInt8, b :Int16, c :Bool, d :Float64, e :Kind)
      -> (a :UInt8, b :Int16, c :Bool, d :Float64, e :Kind);
  # Echo.  errors: none.
  blobs @1 (t :Text, d :Data) -> (t :Text, d :Data);
  # Echo.  errors: INVAL (empty text).
  lists @2 (texts :List(Text), nums :List(UInt32), points :List(Point),
            raw :List(Data)) -> (texts :List(Text), nums :List(UInt32),
                                 points :List(Point));
  # Echo (raw is counted into nums[0] of the result).
  nested @3 (p :Point, any :AnyPointer) -> (p :Point, any :AnyPointer);
  # Echo.
  shape @4 Shape -> Shape;
  # Params and results with a union and a group: whole-struct forms.
  caps @5 (c :Counter, n :UInt32) -> (c :Counter, other :Counter);
  # The cap back, and another one.
  nothing @6 () -> ();
}
