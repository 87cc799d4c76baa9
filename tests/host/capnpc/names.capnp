# SPDX-License-Identifier: MIT
# names.capnp - fields named like the generator's own helpers, for the
# name-clash tests (tests/host/capnpc/names.c).  Each clashing field's C
# name part gets a trailing '_' (docs/capnp.md "Name clashes").
@0xfdf0266760f92253;

struct Names {
  root @0 :Names;             # init_root = the root allocator -> root_
  initRoot @1 :UInt8;         # get_init_root: no clash
  which @2 :UInt16;           # get_which / set_which: no clash
  size @3 :UInt32;
  readRoot @4 :Text;
  asReader @5 :Data;
  union {
    typeId @6 :UInt64;        # enumerant NAMES_NAMES_TYPE_ID -> type_id_
    dataWords @7 :Void;       # NAMES_NAMES_DATA_WORDS -> data_words_
    ptrCount @8 :Bool;        # NAMES_NAMES_PTR_COUNT -> ptr_count_
    init @9 :UInt8;
  }
  r @10 :UInt8;               # get_r = typedef of nested Get -> r_
  b @11 :UInt8;               # get_b = typedef of nested Get -> b_
  x @12 :Float32;
  xBits @13 :UInt32;          # get_x_bits = x's raw getter -> x_bits_
  fooBar @14 :UInt8;
  fooBAR @15 :UInt8;          # same snake name as fooBar -> foo_bar_
  list @16 :List(Names);
  rlist @17 :UInt8;
  get @18 :UInt8;
  set @19 :Text;
  default @20 :UInt8;
  struct Get { v @0 :UInt8; }
  struct Init { w @0 :UInt8; }
}
