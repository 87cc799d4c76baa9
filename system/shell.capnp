# SPDX-License-Identifier: MIT
# shell.capnp - the interactive boot manifest of `make run-shell`
# (docs/shell.md, docs/terminal.md).
#
# init starts one service, the terminal (user/term), which owns the
# serial line and starts the session leader, the capability shell
# (user/shell), with a TerminalSession "stdio" and copies of the caps
# named in its args (spawner, console, timer).  Programs the shell can
# run are the binaries below.  When the shell exits, the terminal and
# then init exit, and QEMU stops.

@0xe5b5f7781879e332;

using C = import "../schema/capos.capnp";
using Id = import "/capos.ids.capnp";  # interface ids by name (generated)

const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/user/init.elf"),
    (name = "term", data = embed "/user/term.elf"),
    (name = "shell", data = embed "/user/shell.elf"),
    (name = "hello", data = embed "/user/hello.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      grants = [
        (name = "console", interfaceId = Id.console,
         source = (kernel = console)),
        (name = "timer", interfaceId = Id.timer,
         source = (kernel = timer)),
        (name = "boot", interfaceId = Id.bootPackage,
         source = (kernel = bootPackage)),
        (name = "caps", interfaceId = Id.capabilityManager,
         source = (kernel = capabilityManager)),
        (name = "spawner", interfaceId = Id.processSpawner,
         source = (kernel = processSpawner)),
        (name = "serial", interfaceId = Id.serial,
         source = (kernel = serial)),
      ],
    ),
    services = [
      (name = "term", binary = "term",
       grants = [
         (name = "serial", interfaceId = Id.serial,
          source = (kernel = serial)),
         (name = "term", interfaceId = Id.endpoint,
          source = (kernel = endpoint)),
         (name = "spawner", interfaceId = Id.processSpawner,
          source = (kernel = processSpawner)),
         (name = "console", interfaceId = Id.console,
          source = (kernel = console)),
         (name = "timer", interfaceId = Id.timer,
          source = (kernel = timer)),
       ],
       args = ["shell", "spawner", "console", "timer"],
       # term starts the shell, which starts programs: their quotas are
       # carved out of this one (docs/capabilities.md, "Quotas").
       quota = (frames = 12288, processes = 8, threads = 8)),
    ],
  ),
  kernelParams = (logLevel = info, testFilter = "", motd = "capOS shell"),
);
