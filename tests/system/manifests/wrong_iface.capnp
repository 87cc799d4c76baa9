# a kernel cap granted under another interface id
@0xc1a2b3c4d5e6f703;
using C = import "../../../schema/capos.capnp";
const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", data = embed "/user/init.elf")],
  initConfig = (init = (name = "init", binary = "init", grants = [(name = "console", interfaceId = 0xa03d7b66888723e2, source = (kernel = console))])),
);
