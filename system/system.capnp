# SPDX-License-Identifier: MIT
# system.capnp - the default capOS boot manifest (see docs/schema.md).
#
# `capnp eval -b -I$(BUILD) -I$(BUILD)/gen/placeholder system/system.capnp
# manifest` serializes the constant below into $(BUILD)/manifest.bin, the one
# boot module.  Embedded binaries are named "/user/<x>.elf": a leading slash
# searches the -I directories in order, so the real $(BUILD)/user/init.elf is
# used when it exists and mk/capnpc.mk's placeholder otherwise.
# Interface ids are the literal type ids from schema/capos.capnp.

@0xaa591e413ce04f7c;

using C = import "../schema/capos.capnp";

const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/user/init.elf"),
    (name = "kvstore", data = embed "/user/demo/kvstore.elf"),
    (name = "kvclient", data = embed "/user/demo/kvclient.elf"),
    (name = "kvdemo", data = embed "/user/demo/kvdemo.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      grants = [
        (name = "console", interfaceId = 0xf8cb04023b505d3c,
         source = (kernel = console)),
        (name = "timer", interfaceId = 0xa03d7b66888723e2,
         source = (kernel = timer)),
        (name = "boot", interfaceId = 0xcc0905ade4cdc3d4,
         source = (kernel = bootPackage)),
        (name = "caps", interfaceId = 0xa7bc30f1f1780804,
         source = (kernel = capabilityManager)),
        (name = "spawner", interfaceId = 0x86700d247e7b0a5d,
         source = (kernel = processSpawner)),
        (name = "frames", interfaceId = 0xaee7ae6b724cbb71,
         source = (kernel = frameAllocator)),
      ],
    ),
    # The key-value demo (docs/ipc.md): kvstore serves KeyValue on two
    # endpoints; kvdemo gets client facets of both and starts three kvclient
    # processes ("alice", "bob", and "carol" who shares 64 KiB through a
    # MemoryObject), each with one facet, then stops kvstore
    # through the "admin" facet.  An imported grant names the interface the
    # export serves (KeyValue; the kernel checks this at boot); the cap the
    # child gets is a ClientEndpoint facet and its CapSet entry says so.
    services = [
      (name = "kvstore", binary = "kvstore",
       grants = [
         (name = "console", interfaceId = 0xf8cb04023b505d3c,
          source = (kernel = console)),
         (name = "kv", interfaceId = 0xd2ad96124f979c7f,
          source = (kernel = endpoint)),
         (name = "admin", interfaceId = 0xd2ad96124f979c7f,
          source = (kernel = endpoint)),
       ],
       exports = [
         (name = "kv", interfaceId = 0x8c1fbf3213d3a8cb, grant = "kv"),
         (name = "admin", interfaceId = 0x8c1fbf3213d3a8cb, grant = "admin"),
       ],
       args = ["--max-entries=16"]),
      (name = "kvdemo", binary = "kvdemo",
       grants = [
         (name = "console", interfaceId = 0xf8cb04023b505d3c,
          source = (kernel = console)),
         (name = "spawner", interfaceId = 0x86700d247e7b0a5d,
          source = (kernel = processSpawner)),
         (name = "alice", interfaceId = 0x8c1fbf3213d3a8cb,
          source = (service = (service = "kvstore", export = "kv"))),
         (name = "bob", interfaceId = 0x8c1fbf3213d3a8cb,
          source = (service = (service = "kvstore", export = "kv"))),
         (name = "carol", interfaceId = 0x8c1fbf3213d3a8cb,
          source = (service = (service = "kvstore", export = "kv"))),
         (name = "frames", interfaceId = 0xaee7ae6b724cbb71,
          source = (kernel = frameAllocator)),
         (name = "admin", interfaceId = 0x8c1fbf3213d3a8cb,
          source = (service = (service = "kvstore", export = "admin"))),
       ],
       # kvdemo starts three kvclients (1,024 frames each by default):
       # their quotas are carved out of this one.
       quota = (frames = 6144, processes = 4, threads = 4)),
    ],
  ),
  kernelParams = (logLevel = info, testFilter = "", motd = "capOS"),
);
