# a kernel cap this kernel does not provide
@0xc1a2b3c4d5e6f704;
using C = import "../../../schema/capos.capnp";
const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", data = embed "/user/init.elf")],
  initConfig = (init = (name = "init", binary = "init", grants = [(name = "thread", interfaceId = 0x828bc9d9da6b2099, source = (kernel = threadControl))])),
);
