# the same binary name twice
@0xc1a2b3c4d5e6f706;
using C = import "../../../schema/capos.capnp";
using Id = import "/capos.ids.capnp";
const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", data = embed "/user/init.elf"), (name = "init", data = embed "/user/init.elf")],
  initConfig = (init = (name = "init", binary = "init", grants = [(name = "console", interfaceId = Id.console, source = (kernel = console))])),
);
