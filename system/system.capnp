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
      ],
    ),
    services = [],
  ),
  kernelParams = (logLevel = info, testFilter = "", motd = "capOS"),
);
