# SPDX-License-Identifier: MIT
# bench.capnp - the boot manifests of `make bench` (docs/performance.md).
#
# `manifest`: init is the benchmark driver (user/bench/main.c), booted in
# the kernel's normal mode; it spawns "bench_server" (IPC benchmarks) and
# "bench_tiny" (spawn benchmark) itself through ProcessSpawner, so there
# are no services.  `smoke` is the same with one more CapSet entry,
# "smoke", which makes the driver divide every operation count by 100
# (the bench-smoke suite of `make test`).  Serialized with
#   capnp eval -b -I$(BUILD) system/bench.capnp manifest|smoke

@0xd4a1b2c3e5f60718;

using C = import "../schema/capos.capnp";
using Id = import "/capos.ids.capnp";  # interface ids by name (generated)

const binaries :List(C.Binary) = [
  (name = "bench_driver", data = embed "/user/bench/main.elf"),
  (name = "bench_server", data = embed "/user/bench/server.elf"),
  (name = "bench_tiny", data = embed "/user/bench/tiny.elf"),
];

const grants :List(C.CapGrant) = [
  (name = "console", interfaceId = Id.console, source = (kernel = console)),
  (name = "timer", interfaceId = Id.timer, source = (kernel = timer)),
  (name = "spawner", interfaceId = Id.processSpawner, source = (kernel = processSpawner)),
  (name = "frames", interfaceId = Id.frameAllocator, source = (kernel = frameAllocator)),
  (name = "vm", interfaceId = Id.virtualMemory, source = (kernel = virtualMemory)),
  (name = "boot", interfaceId = Id.bootPackage, source = (kernel = bootPackage)),
];

const smokeGrants :List(C.CapGrant) = [
  (name = "console", interfaceId = Id.console, source = (kernel = console)),
  (name = "timer", interfaceId = Id.timer, source = (kernel = timer)),
  (name = "spawner", interfaceId = Id.processSpawner, source = (kernel = processSpawner)),
  (name = "frames", interfaceId = Id.frameAllocator, source = (kernel = frameAllocator)),
  (name = "vm", interfaceId = Id.virtualMemory, source = (kernel = virtualMemory)),
  (name = "boot", interfaceId = Id.bootPackage, source = (kernel = bootPackage)),
  (name = "smoke", interfaceId = Id.console, source = (kernel = console)),
];

const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = .binaries,
  initConfig = (
    init = (name = "bench", binary = "bench_driver", grants = .grants),
    services = [],
  ),
  kernelParams = (logLevel = info, testFilter = "", motd = "capOS bench"),
);

const smoke :C.SystemManifest = (
  schemaVersion = 1,
  binaries = .binaries,
  initConfig = (
    init = (name = "bench", binary = "bench_driver", grants = .smokeGrants),
    services = [],
  ),
  kernelParams = (logLevel = info, testFilter = "", motd = "capOS bench smoke"),
);
