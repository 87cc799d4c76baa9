// SPDX-License-Identifier: MIT
// reseg.cc - host helper for the interop tests: reads one framed message on
// stdin with the C++ reference library and writes a deep copy of it built
// in fixed-size segments of argv[1] words (default 8), so that the C reader
// meets C++-made multi-segment messages with far pointers.
// `reseg -f` reads the input with libcapnp's flat-array reader (no segment
// count limit, unlike the stream reader's 512) and writes it in one
// segment.
#include <capnp/any.h>
#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/io.h>

#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>

int main(int argc, char **argv)
{
    if (argc > 1 && std::strcmp(argv[1], "-f") == 0) {
        std::vector<capnp::word> buf;
        size_t len = 0;
        for (;;) {
            buf.resize(len / sizeof(capnp::word) + 4096);
            ssize_t n = read(0, reinterpret_cast<char *>(buf.data()) + len,
                             buf.size() * sizeof(capnp::word) - len);
            if (n <= 0)
                break;
            len += (size_t)n;
        }
        capnp::ReaderOptions opts;
        capnp::FlatArrayMessageReader in(
            kj::arrayPtr(buf.data(), len / sizeof(capnp::word)), opts);
        capnp::MallocMessageBuilder out(1u << 20);
        out.getRoot<capnp::AnyPointer>().set(in.getRoot<capnp::AnyPointer>());
        capnp::writeMessageToFd(1, out);
        return 0;
    }
    unsigned words = argc > 1 ? (unsigned)std::atoi(argv[1]) : 8;
    capnp::StreamFdMessageReader in(0);
    capnp::MallocMessageBuilder out(words,
                                    capnp::AllocationStrategy::FIXED_SIZE);
    out.getRoot<capnp::AnyPointer>().set(in.getRoot<capnp::AnyPointer>());
    capnp::writeMessageToFd(1, out);
    return 0;
}
