# SPDX-License-Identifier: MIT
# reject_clash.capnp - two types whose C names coincide (A.Bar and ABar
# are both reject_clash_a_bar): capnpc-capos rejects the file with a
# message naming both (check-cli.sh).  Type names are not renamed; only
# field-derived names are (see docs/capnp.md "Name clashes").
@0x8f8ee7f5e2355e9e;
struct A @0x96d8881e289b1508 { struct Bar @0xbfc64a3c264ae4ed { x @0 :UInt8; } }
struct ABar @0xd1a1c3b7e0f4a2c5 { y @0 :UInt8; }
