// SPDX-License-Identifier: MIT
//
// interop.cc - the C++ peer of the lib/rpc interop test (test glue only):
// Cap'n Proto's reference implementation (libcapnp-rpc, TwoPartyVatNetwork)
// on a socket inherited from the C test.
//
//   rpc-interop-cc client FD   calls the C KeyValue server; exit 0 = all
//                              checks passed (one line per check)
//   rpc-interop-cc server FD   serves a C++ KeyValue to the C client until
//                              the connection closes
//   rpc-interop-cc bench FD    RPC_BENCH_N get() round trips; prints ns each
#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/debug.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "kv.capnp.h"

namespace {

using Store = std::map<std::string, std::string>;

class CbImpl final : public Callback::Server {
public:
    explicit CbImpl(int &calls) : calls(calls) {}
    kj::Promise<void> ping(PingContext ctx) override
    {
        calls++;
        ctx.getResults().setY(ctx.getParams().getX() * 2);
        return kj::READY_NOW;
    }

private:
    int &calls;
};

class KvImpl final : public KeyValue::Server {
public:
    KvImpl(Store &store, std::string prefix, int *calls = nullptr)
        : store(store), prefix(std::move(prefix)), calls(calls) {}

    kj::Promise<void> get(GetContext ctx) override
    {
        count();
        auto it = store.find(prefix + ctx.getParams().getKey().cStr());
        if (it != store.end()) {
            ctx.getResults().setValue(it->second);
            ctx.getResults().setFound(true);
        }
        return kj::READY_NOW;
    }
    kj::Promise<void> set(SetContext ctx) override
    {
        count();
        store[prefix + ctx.getParams().getKey().cStr()] =
            ctx.getParams().getValue().cStr();
        return kj::READY_NOW;
    }
    kj::Promise<void> sub(SubContext ctx) override
    {
        count();
        ctx.getResults().setKv(kj::heap<KvImpl>(
            store, prefix + ctx.getParams().getPrefix().cStr()));
        return kj::READY_NOW;
    }
    kj::Promise<void> echo(EchoContext ctx) override
    {
        count();
        ctx.getResults().setCap(ctx.getParams().getCap());
        return kj::READY_NOW;
    }
    kj::Promise<void> callBack(CallBackContext ctx) override
    {
        count();
        auto req = ctx.getParams().getCb().pingRequest();
        req.setX(ctx.getParams().getX());
        return req.send().then([ctx](capnp::Response<Callback::PingResults> r)
                                   mutable {
            ctx.getResults().setR(r.getY() + 1);
        });
    }
    kj::Promise<void> fail(FailContext ctx) override
    {
        count();
        return kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__,
                             kj::str(ctx.getParams().getReason()));
    }

private:
    void count()
    {
        if (calls)
            (*calls)++;
    }
    Store &store;
    std::string prefix;
    int *calls;
};

int failures;

void check(const char *what, bool ok)
{
    std::printf("%s %s\n", ok ? "PASS" : "FAIL", what);
    std::fflush(stdout);
    if (!ok)
        failures++;
}

bool contains(kj::StringPtr s, const char *part)
{
    return std::string(s.cStr()).find(part) != std::string::npos;
}

// The checks the C++ client runs against the C server.
void run_client(kj::AsyncIoContext &io, kj::AsyncIoStream &stream)
{
    auto &ws = io.waitScope;
    capnp::TwoPartyClient client(stream);
    KeyValue::Client kv = client.bootstrap().castAs<KeyValue>();

    {   // set / get on the (pipelined) bootstrap
        auto s = kv.setRequest();
        s.setKey("a");
        s.setValue("1");
        auto sp = s.send();
        auto g = kv.getRequest();
        g.setKey("a");
        auto r = g.send().wait(ws);
        sp.wait(ws);
        check("cc-client set/get", r.getFound() && r.getValue() == "1");
    }
    {   // promise pipelining: calls on sub().kv before sub() returns
        auto sq = kv.subRequest();
        sq.setPrefix("p/");
        auto sub = sq.send();
        KeyValue::Client skv = sub.getKv();
        auto s = skv.setRequest();
        s.setKey("x");
        s.setValue("piped");
        auto sp = s.send();
        auto g = skv.getRequest();
        g.setKey("x");
        auto gp = g.send();
        auto r = gp.wait(ws);
        sp.wait(ws);
        sub.wait(ws);
        auto g2 = kv.getRequest();
        g2.setKey("p/x");
        auto r2 = g2.send().wait(ws);
        check("cc-client pipelined sub().get", r.getValue() == "piped" &&
              r2.getValue() == "piped");
    }
    {   // a C++ cap to C and back; a pipelined call on it is reflected
        Store local{{"Lk", "local"}};
        int calls = 0;
        KeyValue::Client mine = kj::heap<KvImpl>(local, "L", &calls);
        auto e = kv.echoRequest();
        e.setCap(mine);
        auto ep = e.send();
        KeyValue::Client pcap = ep.getCap();  // a promise
        auto pg = pcap.getRequest();          // pipelined: reflected by C
        pg.setKey("k");
        auto pp = pg.send();
        auto er = ep.wait(ws);
        // The promise resolved to our own object: the next call on it is
        // embargoed until C echoes our Disembargo.
        auto g2 = pcap.getRequest();
        g2.setKey("k");
        auto r2 = g2.send().wait(ws);
        auto pr = pp.wait(ws);
        auto g = er.getCap().getRequest();
        g.setKey("k");
        auto r = g.send().wait(ws);
        check("cc-client own cap echoed back", r.getValue() == "local" &&
              pr.getValue() == "local" && r2.getValue() == "local" &&
              calls == 3);
    }
    {   // a C cap to C and back
        auto sq = kv.subRequest();
        sq.setPrefix("p/");
        auto skv = sq.send().wait(ws).getKv();
        auto e = kv.echoRequest();
        e.setCap(skv);
        auto back = e.send().wait(ws).getCap();
        auto g = back.getRequest();
        g.setKey("x");
        check("cc-client C cap echoed back",
              g.send().wait(ws).getValue() == "piped");
    }
    {   // the C server calls a C++ callback inside its call
        int pings = 0;
        auto c = kv.callBackRequest();
        c.setCb(kj::heap<CbImpl>(pings));
        c.setX(21);
        auto r = c.send().wait(ws);
        check("cc-client callBack", r.getR() == 43 && pings == 1);
    }
    {   // exceptions from C
        auto f = kv.failRequest();
        f.setReason("boom");
        bool threw = false;
        f.send().then([](auto &&) {}, [&](kj::Exception &&e) {
            threw = contains(e.getDescription(), "boom");
        }).wait(ws);
        check("cc-client exception", threw);
    }
    {   // a pipelined call on a failed answer
        auto f = kv.failRequest();
        f.setReason("early");
        auto fp = f.send();
        // `never` is a Bool; pipeline through the bootstrap instead:
        auto sq = kv.subRequest();
        sq.setPrefix("q/");
        auto sp = sq.send();
        auto g = sp.getKv().getRequest();
        g.setKey("none");
        auto r = g.send().wait(ws);
        bool failed = false;
        fp.then([](auto &&) {}, [&](kj::Exception &&) { failed = true; })
            .wait(ws);
        check("cc-client failed call and pipeline", failed && !r.getFound());
    }
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int fd = std::atoi(argv[2]);
    auto io = kj::setupAsyncIo();
    auto stream = io.lowLevelProvider->wrapSocketFd(
        fd, kj::LowLevelAsyncIoProvider::TAKE_OWNERSHIP);
    if (std::string(argv[1]) == "client") {
        run_client(io, *stream);
        return failures ? 1 : 0;
    }
    if (std::string(argv[1]) == "bench") {     // bench FD: N get round trips
        capnp::TwoPartyClient client(*stream);
        KeyValue::Client kv = client.bootstrap().castAs<KeyValue>();
        long n = std::atol(std::getenv("RPC_BENCH_N") ? std::getenv("RPC_BENCH_N")
                                                      : "20000");
        auto t0 = std::chrono::steady_clock::now();
        for (long i = 0; i < n; i++) {
            auto g = kv.getRequest();
            g.setKey("a");
            g.send().wait(io.waitScope);
        }
        auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::steady_clock::now() - t0).count();
        std::printf("%ld\n", (long)(ns / n));
        return 0;
    }
    Store store;
    capnp::TwoPartyVatNetwork net(*stream, capnp::rpc::twoparty::Side::SERVER);
    auto rpc = capnp::makeRpcServer(net, kj::heap<KvImpl>(store, ""));
    net.onDisconnect().wait(io.waitScope);
    return 0;
}
