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
        (name = "console", interfaceId = 0xf8cb04023b505d3c,
         source = (kernel = console)),
        (name = "timer", interfaceId = 0xa03d7b66888723e2,
         source = (kernel = timer)),
        (name = "boot", interfaceId = 0xcc0905ade4cdc3d4,
         source = (kernel = bootPackage)),
        (name = "caps", interfaceId = 0xa7bc30f1f1780804,
         source = (kernel = capabilityManager)),
        (name = "spawner", interfaceId = 0x86700d247e7b0a5d,
         source = (kernel = processSpawner)),
        (name = "serial", interfaceId = 0xf6a3862e986ef92b,
         source = (kernel = serial)),
      ],
    ),
    services = [
      (name = "term", binary = "term",
       grants = [
         (name = "serial", interfaceId = 0xf6a3862e986ef92b,
          source = (kernel = serial)),
         (name = "term", interfaceId = 0xd2ad96124f979c7f,
          source = (kernel = endpoint)),
         (name = "spawner", interfaceId = 0x86700d247e7b0a5d,
          source = (kernel = processSpawner)),
         (name = "console", interfaceId = 0xf8cb04023b505d3c,
          source = (kernel = console)),
         (name = "timer", interfaceId = 0xa03d7b66888723e2,
          source = (kernel = timer)),
       ],
       args = ["shell", "spawner", "console", "timer"]),
    ],
  ),
  kernelParams = (logLevel = info, testFilter = "", motd = "capOS shell"),
);
