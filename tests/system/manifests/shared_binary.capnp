# a valid manifest: 30 services share one binary (each spawn reads it
# again; the boot must not run out of traversal budget, issue 9 item 8)
@0xc1a2b3c4d5e6f70a;
using C = import "../../../schema/capos.capnp";
const manifest :C.SystemManifest = (
  schemaVersion = 1,
  binaries = [(name = "init", data = embed "/user/init.elf"),
              (name = "hello", data = embed "/user/tests/hello.elf")],
  initConfig = (
    init = (name = "init", binary = "init", grants = [
      (name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console)),
      (name = "timer", interfaceId = 0xa03d7b66888723e2, source = (kernel = timer)),
      (name = "boot", interfaceId = 0xcc0905ade4cdc3d4, source = (kernel = bootPackage)),
      (name = "caps", interfaceId = 0xa7bc30f1f1780804, source = (kernel = capabilityManager)),
      (name = "spawner", interfaceId = 0x86700d247e7b0a5d, source = (kernel = processSpawner))],
      quota = (frames = 65536, processes = 64, threads = 64)),
    services = [
    (name = "s0", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s1", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s2", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s3", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s4", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s5", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s6", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s7", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s8", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s9", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s10", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s11", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s12", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s13", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s14", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s15", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s16", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s17", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s18", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s19", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s20", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s21", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s22", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s23", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s24", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s25", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s26", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s27", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s28", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512)),
    (name = "s29", binary = "hello", grants = [(name = "console", interfaceId = 0xf8cb04023b505d3c, source = (kernel = console))], quota = (frames = 512))
    ]),
  kernelParams = (timerHz = 100),
);
