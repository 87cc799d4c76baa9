// SPDX-License-Identifier: MIT
// reseg.cc - host helper for the interop tests: reads one framed message on
// stdin with the C++ reference library and writes a deep copy of it built
// in fixed-size segments of argv[1] words (default 8), so that the C reader
// meets C++-made multi-segment messages with far pointers.
#include <capnp/any.h>
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstdlib>

int main(int argc, char **argv)
{
    unsigned words = argc > 1 ? (unsigned)std::atoi(argv[1]) : 8;
    capnp::StreamFdMessageReader in(0);
    capnp::MallocMessageBuilder out(words,
                                    capnp::AllocationStrategy::FIXED_SIZE);
    out.getRoot<capnp::AnyPointer>().set(in.getRoot<capnp::AnyPointer>());
    capnp::writeMessageToFd(1, out);
    return 0;
}
