// SPDX-License-Identifier: MIT
// bench_main.cc - `make bench-capnp`: the C runtime (bench_c.c) against the
// reference C++ library on the same three messages, in one process.
//
// Each operation is timed in 9 trials of a calibrated number of iterations
// (each trial >= 20 ms); min and median ns/op are printed for C and C++,
// and their ratio (C/C++, from the medians).  The C++ builder gets a
// caller-provided first segment and writes into a fixed array, so neither
// side touches the heap in the timed loop (best case for C++ too).
//
// `bench --count N` instead runs every operation N times between callgrind
// client requests, one stats dump per operation named "<impl> <op>"; run
// under `valgrind --tool=callgrind --instr-atstart=no` it gives exact
// instruction counts (icount.sh does that and prints instructions/op).
#include "bench.h"
#include "bench.capnp.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/io.h>

#include <valgrind/callgrind.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

extern "C" {
const char *const bench_service_names[BENCH_SERVICES] = {
    "init", "console", "timer", "memory", "vfs", "net", "shell", "logger"};
const char *const bench_binaries[BENCH_SERVICES] = {
    "/boot/init.elf", "/boot/console.elf", "/boot/timer.elf",
    "/boot/memory.elf", "/boot/vfs.elf", "/boot/net.elf", "/boot/shell.elf",
    "/boot/logger.elf"};
const char *const bench_cap_names[BENCH_CAPS] = {"console", "timer", "frames",
                                                 "log"};
}

static capnp::word scratch[1 << 15];
static uint64_t obuf[1 << 15];
static volatile uint64_t sink;

static size_t finish(capnp::MessageBuilder &mb, void *out, size_t len)
{
    kj::ArrayOutputStream os(kj::arrayPtr((kj::byte *)out, len));
    capnp::writeMessage(os, mb);
    return os.getArray().size();
}

static size_t cpp_call_build(void *out, size_t len, uint32_t i)
{
    capnp::MallocMessageBuilder mb(kj::arrayPtr(scratch, 1 << 15));
    auto r = mb.initRoot<Call>();
    r.setTarget(17 + i);
    r.setMethod(3);
    r.setFlags(1);
    r.setSeq(1000000 + i);
    r.setName(BENCH_CALL_NAME);
    return finish(mb, out, len);
}

static uint64_t cpp_call_read(const void *buf, size_t len)
{
    capnp::FlatArrayMessageReader rd(
        kj::arrayPtr((const capnp::word *)buf, len / 8));
    auto c = rd.getRoot<Call>();
    auto t = c.getName();
    return c.getTarget() + c.getMethod() + c.getFlags() + c.getSeq() +
           t.size() + (uint8_t)t[0];
}

static size_t cpp_points_build(void *out, size_t len, uint32_t seed)
{
    capnp::MallocMessageBuilder mb(kj::arrayPtr(scratch, 1 << 15));
    auto l = mb.initRoot<PointList>().initPoints(BENCH_POINTS);
    for (uint32_t i = 0; i < BENCH_POINTS; i++) {
        auto p = l[i];
        p.setX((int32_t)(i + seed));
        p.setY(-(int32_t)i);
        p.setId((uint64_t)i * 7);
    }
    return finish(mb, out, len);
}

static uint64_t cpp_points_read(const void *buf, size_t len)
{
    capnp::FlatArrayMessageReader rd(
        kj::arrayPtr((const capnp::word *)buf, len / 8));
    uint64_t sum = 0;
    for (auto p : rd.getRoot<PointList>().getPoints())
        sum += (uint64_t)(p.getX() + p.getY()) + p.getId();
    return sum;
}

static size_t cpp_manifest_build(void *out, size_t len, uint32_t seed)
{
    capnp::MallocMessageBuilder mb(kj::arrayPtr(scratch, 1 << 15));
    auto r = mb.initRoot<Manifest>();
    r.setName("capos-system");
    r.setVersion(seed);
    auto svs = r.initServices(BENCH_SERVICES);
    for (uint32_t i = 0; i < BENCH_SERVICES; i++) {
        auto sv = svs[i];
        sv.setName(bench_service_names[i]);
        sv.setBinary(bench_binaries[i]);
        sv.setPriority((uint8_t)i);
        auto gs = sv.initCaps(BENCH_CAPS);
        for (uint32_t j = 0; j < BENCH_CAPS; j++) {
            auto g = gs[j];
            g.setName(bench_cap_names[j]);
            g.setSource(bench_service_names[(i + j) % BENCH_SERVICES]);
            g.setBadge((uint64_t)i * 100 + j);
        }
    }
    return finish(mb, out, len);
}

static uint64_t cpp_manifest_read(const void *buf, size_t len)
{
    capnp::FlatArrayMessageReader rd(
        kj::arrayPtr((const capnp::word *)buf, len / 8));
    auto r = rd.getRoot<Manifest>();
    uint64_t sum = r.getName().size() + r.getVersion();
    for (auto sv : r.getServices()) {
        sum += sv.getName().size() + sv.getBinary().size() + sv.getPriority();
        for (auto g : sv.getCaps())
            sum += g.getName().size() + g.getSource().size() + g.getBadge();
    }
    return sum;
}

static const kj::byte at_data[8] = {1, 2, 3, 4, 5, 6, 7, 8};

static size_t cpp_all_build(void *out, size_t len, uint32_t seed)
{
    capnp::MallocMessageBuilder mb(kj::arrayPtr(scratch, 1 << 15));
    auto r = mb.initRoot<AllTypes>();
    r.setB(true);
    r.setI8(-8);
    r.setI16(-1600);
    r.setI32(-320000 + (int32_t)seed);
    r.setI64(-6400000000ll);
    r.setU8(200);
    r.setU16(60000);
    r.setU32(4000000000u);
    r.setU64(0xfedcba9876543210ull);
    r.setF32(1.5f);
    r.setF64(-2.25);
    r.setText(BENCH_ALL_TEXT);
    r.setData(kj::arrayPtr(at_data, 8));
    auto in = r.initInner();
    in.setId(seed);
    in.setName("inner");
    r.setKind(Kind::GAMMA);
    auto bl = r.initBoolList(5);
    for (uint32_t i = 0; i < 5; i++)
        bl.set(i, (0x0du >> i) & 1);
    auto il = r.initI32List(4);
    for (uint32_t i = 0; i < 4; i++)
        il.set(i, (int32_t)(i * 1000) - 7);
    auto ul = r.initU64List(3);
    for (uint32_t i = 0; i < 3; i++)
        ul.set(i, (uint64_t)i << 40);
    auto fl = r.initF64List(2);
    fl.set(0, 0.5);
    fl.set(1, -0.25);
    auto tl = r.initTextList(3);
    static const char *const texts[3] = {"d", "de", "def"};
    for (uint32_t i = 0; i < 3; i++)
        tl.set(i, texts[i]);
    auto dl = r.initDataList(2);
    for (uint32_t i = 0; i < 2; i++)
        dl.set(i, kj::arrayPtr(at_data, 4 + i));
    auto nl = r.initInnerList(3);
    for (uint32_t i = 0; i < 3; i++) {
        nl[i].setId(i);
        nl[i].setName("n");
    }
    auto kl = r.initKindList(3);
    for (uint32_t i = 0; i < 3; i++)
        kl.set(i, (Kind)(2 - i));
    return finish(mb, out, len);
}

static uint64_t tsum(capnp::Text::Reader t)
{
    return t.size() + (t.size() ? (uint8_t)t[0] : 0);
}

static uint64_t cpp_all_read(const void *buf, size_t len)
{
    capnp::FlatArrayMessageReader rd(
        kj::arrayPtr((const capnp::word *)buf, len / 8));
    auto r = rd.getRoot<AllTypes>();
    uint64_t sum = r.getB() + (uint64_t)r.getI8() + (uint64_t)r.getI16() +
                   (uint64_t)r.getI32() + (uint64_t)r.getI64() + r.getU8() +
                   r.getU16() + r.getU32() + r.getU64();
    float f = r.getF32();
    double d = r.getF64();
    uint32_t fb;
    uint64_t db;
    memcpy(&fb, &f, 4);
    memcpy(&db, &d, 8);
    sum += fb + db + (uint16_t)r.getKind();
    sum += tsum(r.getText()) + r.getData().size();
    auto in = r.getInner();
    sum += in.getId() + tsum(in.getName());
    for (auto b : r.getBoolList())
        sum += b;
    for (auto v : r.getI32List())
        sum += (uint64_t)v;
    for (auto v : r.getU64List())
        sum += v;
    for (auto v : r.getF64List()) {
        memcpy(&db, &v, 8);
        sum += db;
    }
    for (auto t : r.getTextList())
        sum += tsum(t);
    for (auto x : r.getDataList())
        sum += x.size();
    for (auto x : r.getInnerList())
        sum += x.getId() + tsum(x.getName());
    for (auto k : r.getKindList())
        sum += (uint16_t)k;
    return sum;
}

static double now_ns()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct stats { double min, med; };

// Time fn(i) over calibrated trials; ns per call.
template <typename F> static stats measure(F fn)
{
    long iters = 1;
    for (;;) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++)
            sink += fn((uint32_t)i);
        if (now_ns() - t0 > 20e6)
            break;
        iters *= 2;
    }
    std::vector<double> v;
    for (int trial = 0; trial < 9; trial++) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++)
            sink += fn((uint32_t)i);
        v.push_back((now_ns() - t0) / iters);
    }
    std::sort(v.begin(), v.end());
    return {v.front(), v[v.size() / 2]};
}

typedef size_t (*build_fn)(void *, size_t, uint32_t);
typedef uint64_t (*read_fn)(const void *, size_t);

static void row(const char *name, stats c, stats cpp)
{
    printf("%-18s %10.1f %10.1f %10.1f %10.1f %8.2f\n", name, c.min, c.med,
           cpp.min, cpp.med, c.med / cpp.med);
}

static int bench_pair(const char *name, build_fn cb, build_fn pb, read_fn cr,
                      read_fn pr)
{
    static uint64_t cbuf[1 << 15], pbuf[1 << 15];
    size_t cn = cb(cbuf, sizeof cbuf, 1), pn = pb(pbuf, sizeof pbuf, 1);
    // Same bytes and same checksums from both implementations.
    if (cn != pn || memcmp(cbuf, pbuf, cn) != 0 ||
        cr(cbuf, cn) != pr(cbuf, cn) || cr(pbuf, pn) != pr(pbuf, pn)) {
        printf("%s: C and C++ disagree (sizes %zu/%zu)\n", name, cn, pn);
        return 1;
    }
    char label[64];
    snprintf(label, sizeof label, "%s build", name);
    row(label, measure([&](uint32_t i) { return cb(obuf, sizeof obuf, i); }),
        measure([&](uint32_t i) { return pb(obuf, sizeof obuf, i); }));
    snprintf(label, sizeof label, "%s read", name);
    row(label, measure([&](uint32_t) { return cr(cbuf, cn); }),
        measure([&](uint32_t) { return pr(cbuf, cn); }));
    return 0;
}

// Run fn N times inside one callgrind dump named `label`.
template <typename F> static void count(const char *label, long n, F fn)
{
    sink += fn(0); // warm up outside the measurement
    CALLGRIND_START_INSTRUMENTATION;
    CALLGRIND_ZERO_STATS;
    for (long i = 0; i < n; i++)
        sink += fn((uint32_t)i);
    CALLGRIND_DUMP_STATS_AT(label);
    CALLGRIND_STOP_INSTRUMENTATION;
}

static void count_pair(const char *name, long n, build_fn cb, build_fn pb,
                       read_fn cr, read_fn pr)
{
    static uint64_t cbuf[1 << 15];
    size_t cn = cb(cbuf, sizeof cbuf, 1);
    char label[96];

    snprintf(label, sizeof label, "C %s build", name);
    count(label, n, [&](uint32_t i) { return cb(obuf, sizeof obuf, i); });
    snprintf(label, sizeof label, "C++ %s build", name);
    count(label, n, [&](uint32_t i) { return pb(obuf, sizeof obuf, i); });
    snprintf(label, sizeof label, "C %s read", name);
    count(label, n, [&](uint32_t) { return cr(cbuf, cn); });
    snprintf(label, sizeof label, "C++ %s read", name);
    count(label, n, [&](uint32_t) { return pr(cbuf, cn); });
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--count") == 0) {
        long n = atol(argv[2]);
        count_pair("call", n, c_call_build, cpp_call_build, c_call_read,
                   cpp_call_read);
        count_pair("points1000", n, c_points_build, cpp_points_build,
                   c_points_read, cpp_points_read);
        count_pair("manifest", n, c_manifest_build, cpp_manifest_build,
                   c_manifest_read, cpp_manifest_read);
        count_pair("alltypes", n, c_all_build, cpp_all_build, c_all_read,
                   cpp_all_read);
        return 0;
    }
    printf("capnp benchmark: ns/op (9 trials), ratio = C median / C++ median\n");
    printf("%-18s %10s %10s %10s %10s %8s\n", "op", "C min", "C med",
           "C++ min", "C++ med", "C/C++");
    int bad = bench_pair("call", c_call_build, cpp_call_build, c_call_read,
                         cpp_call_read);
    bad |= bench_pair("points1000", c_points_build, cpp_points_build,
                      c_points_read, cpp_points_read);
    bad |= bench_pair("manifest", c_manifest_build, cpp_manifest_build,
                      c_manifest_read, cpp_manifest_read);
    bad |= bench_pair("alltypes", c_all_build, cpp_all_build, c_all_read,
                      cpp_all_read);
    return bad;
}
