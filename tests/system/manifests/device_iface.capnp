# a device grant under another interface id than PciDevice's
@0xea9405f0b28bc555;
using C = import "../../../schema/capos.capnp";
using Id = import "/capos.ids.capnp";
const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", data = embed "/user/init.elf")],
  initConfig = (init = (name = "init", binary = "init", grants = [(name = "disk", interfaceId = Id.deviceManager, source = (device = (vendorId = 0x1af4, deviceId = 0x1042)))])),
);
