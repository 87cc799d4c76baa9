# SPDX-License-Identifier: MIT
# system.capnp - the default capOS boot manifest (see docs/schema.md).
#
# `make manifest` serializes the constant below into $(BUILD)/manifest.bin,
# the one boot module.  Everything is named: interfaces through the
# generated ids (build/gen/capos.ids.capnp), binaries through the generated
# program constants (build/gen/programs.capnp), init's grants through
# common.capnp.  No hex ids, no paths.

@0xaa591e413ce04f7c;

using C = import "../schema/capos.capnp";
using Id = import "/capos.ids.capnp";  # interface ids by name (generated)
using Prog = import "/programs.capnp"; # programs by name (generated)
using Sys = import "common.capnp";

const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [Prog.init, Prog.kvstore, Prog.kvclient, Prog.kvdemo,
              Prog.bootcount],
  initConfig = (
    init = Sys.init,
    # The key-value demo (docs/ipc.md): kvstore serves KeyValue on two
    # endpoints; kvdemo gets facets of both and starts three kvclient
    # processes ("alice", "bob", and "carol" who shares 64 KiB through a
    # MemoryObject), each with one facet, asks for stats through "admin"
    # and exits; with no client left kvstore stops by itself.  An imported
    # grant names the interface the export serves (KeyValue; the kernel
    # checks this at boot), and the child's CapSet entry says KeyValue.
    services = [
      # The virtio-blk disk (docs/devices.md): the driver gets exactly its
      # PCI function and a NotificationFactory, and keeps a boot counter on
      # the disk (`make run` attaches build/disk.img).
      (name = "disk", binary = "bootcount",
       grants = [
         (name = "console", interfaceId = Id.console,
          source = (kernel = console)),
         (name = "disk", interfaceId = Id.pciDevice,
          source = (device = (vendorId = 0x1af4, deviceId = 0x1042))),
         (name = "notifications", interfaceId = Id.notificationFactory,
          source = (kernel = notificationFactory)),
       ]),
      (name = "kvstore", binary = "kvstore",
       grants = [
         (name = "console", interfaceId = Id.console,
          source = (kernel = console)),
         (name = "kv", interfaceId = Id.endpoint,
          source = (kernel = endpoint)),
         (name = "admin", interfaceId = Id.endpoint,
          source = (kernel = endpoint)),
       ],
       exports = [
         (name = "kv", interfaceId = Id.keyValue, grant = "kv"),
         (name = "admin", interfaceId = Id.keyValue, grant = "admin"),
       ],
       args = ["--max-entries=16"]),
      (name = "kvdemo", binary = "kvdemo",
       grants = [
         (name = "console", interfaceId = Id.console,
          source = (kernel = console)),
         (name = "spawner", interfaceId = Id.processSpawner,
          source = (kernel = processSpawner)),
         (name = "alice", interfaceId = Id.keyValue,
          source = (service = (service = "kvstore", export = "kv"))),
         (name = "bob", interfaceId = Id.keyValue,
          source = (service = (service = "kvstore", export = "kv"))),
         (name = "carol", interfaceId = Id.keyValue,
          source = (service = (service = "kvstore", export = "kv"))),
         (name = "frames", interfaceId = Id.frameAllocator,
          source = (kernel = frameAllocator)),
         (name = "admin", interfaceId = Id.keyValue,
          source = (service = (service = "kvstore", export = "admin"))),
       ],
       # kvdemo starts three kvclients (1,024 frames each by default):
       # their quotas are carved out of this one.
       quota = (frames = 6144, processes = 4, threads = 4)),
    ],
  ),
  kernelParams = (logLevel = info, testFilter = "", motd = "capOS"),
);
