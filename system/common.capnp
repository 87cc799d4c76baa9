# SPDX-License-Identifier: MIT
# common.capnp - pieces every system manifest shares (docs/schema.md).
# `using Sys = import "common.capnp";` then `init = Sys.init`.

@0xc7d1e2f3a4b50611;

using C = import "../schema/capos.capnp";
using Id = import "/capos.ids.capnp";   # interface ids by name (generated)

# init: the kernel caps it uses itself and hands on to the services.
const init :C.ServiceEntry = (
  name = "init",
  binary = "init",
  grants = [
    (name = "console", interfaceId = Id.console, source = (kernel = console)),
    (name = "timer", interfaceId = Id.timer, source = (kernel = timer)),
    (name = "boot", interfaceId = Id.bootPackage, source = (kernel = bootPackage)),
    (name = "caps", interfaceId = Id.capabilityManager,
     source = (kernel = capabilityManager)),
    (name = "spawner", interfaceId = Id.processSpawner,
     source = (kernel = processSpawner)),
    (name = "frames", interfaceId = Id.frameAllocator,
     source = (kernel = frameAllocator)),
    (name = "devices", interfaceId = Id.deviceManager,
     source = (kernel = deviceManager)),
    (name = "notifications", interfaceId = Id.notificationFactory,
     source = (kernel = notificationFactory)),
  ],
);
