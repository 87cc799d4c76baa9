# a kernel cap granted under another interface id
@0xc1a2b3c4d5e6f703;
using C = import "../../../schema/capos.capnp";
using Id = import "/capos.ids.capnp";
const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", data = embed "/user/init.elf")],
  initConfig = (init = (name = "init", binary = "init", grants = [(name = "console", interfaceId = Id.timer, source = (kernel = console))])),
);
