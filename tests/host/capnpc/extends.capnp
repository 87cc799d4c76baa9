# SPDX-License-Identifier: MIT
# extends.capnp - interface inheritance for the generator tests
# (tests/host/capnpc/extends.c): a chain, a method name shared along the
# chain, an interface without own methods, multiple inheritance and a
# diamond.
@0x949c086f36281b21;

interface Base {
  ping @0 (x :UInt32) -> (y :UInt32);
  get @1 () -> (v :Text);
}

interface Mid extends(Base) {
  pong @0 () -> ();
  get @1 (k :UInt8) -> (v :UInt8);
}

interface Derived extends(Mid) {
  last @0 () -> ();
}

interface Other {
  ask @0 () -> (n :UInt16);
}

interface Multi extends(Derived, Other) {}

interface Diamond extends(Mid, Derived) {}
