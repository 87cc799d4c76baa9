# init names a binary that is not in the manifest
@0xc1a2b3c4d5e6f702;
using C = import "../../../schema/capos.capnp";
using Id = import "/capos.ids.capnp";
const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", data = embed "/user/init.elf")],
  initConfig = (init = (name = "init", binary = "nosuch", grants = [(name = "console", interfaceId = Id.console, source = (kernel = console))])),
);
