# SPDX-License-Identifier: MIT
# test_manifest.capnp - a SystemManifest using every manifest field, for the
# manifest round trip (capnp eval -b -> generated reader) in manifest_test.c.
@0xa8f9ad5a315c47bf;

using C = import "../../../schema/capos.capnp";

const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "dummy.bin"),
    (name = "echo", data = 0x"7f 45 4c 46"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      grants = [
        (name = "console", interfaceId = 0xf8cb04023b505d3c,
         source = (kernel = console)),
        (name = "spawner", interfaceId = 0x86700d247e7b0a5d,
         source = (kernel = processSpawner)),
      ],
      restart = never,
    ),
    services = [
      (name = "echo", binary = "echo",
       grants = [
         (name = "ep", interfaceId = 0xd2ad96124f979c7f,
          source = (kernel = endpoint)),
         (name = "log", interfaceId = 0xf8cb04023b505d3c,
          source = (service = (service = "init", export = "console"))),
         (name = "self", interfaceId = 0xdcdd8b53028643d2,
          source = (clientOf = "ep")),
       ],
       exports = [(name = "echo", interfaceId = 0xf8cb04023b505d3c,
                   grant = "ep")],
       restart = onFailure,
       args = ["-v", "--name=echo"]),
    ],
  ),
  kernelParams = (logLevel = debug, testFilter = "cap_*", motd = "hi",
                  timerHz = 250),
);
