# a device grant under another interface id than PciDevice's
@0xea9405f0b28bc555;
using C = import "../../../schema/capos.capnp";
const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", data = embed "/user/init.elf")],
  initConfig = (init = (name = "init", binary = "init", grants = [(name = "disk", interfaceId = 0x9e2ef5d78d77084a, source = (device = (vendorId = 0x1af4, deviceId = 0x1042)))])),
);
