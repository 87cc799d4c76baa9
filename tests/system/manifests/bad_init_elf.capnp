# init's binary is not an ELF
@0xc1a2b3c4d5e6f707;
using C = import "../../../schema/capos.capnp";
using Id = import "/capos.ids.capnp";
const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", data = embed "/user/init.elf"), (name = "junk", data = "not an elf at all")],
  initConfig = (init = (name = "init", binary = "junk", grants = [(name = "console", interfaceId = Id.console, source = (kernel = console))])),
);
