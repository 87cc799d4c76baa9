# reject_inherit.capnp - uses interface inheritance, which capnpc-capos
# rejects (a CALL SQE carries no interface id).
@0x8f8ee7f5e2355e9e;
interface Base @0x96d8881e289b1508 { ping @0 () -> (); }
interface Derived @0xbfc64a3c264ae4ed extends(Base) { pong @0 () -> (); }
