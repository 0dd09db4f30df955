// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>
#include <array>
#include <cstring>

namespace sluice {

// RFC 6455 5.3 masking, fused with the copy that moves a payload anyway (into the message on
// receipt, into the output buffer on sending), eight bytes at a time: Qt WebSockets 6.4 XORs
// byte by byte, which made 16 KiB messages cost Sluice about 1.7 times nginx's CPU
// (docs/performance.md). `phase` is the payload offset of `from` modulo 4, so that a payload
// split over several reads continues with the right key byte.
inline void copyMasked(char *to, const char *from, qsizetype size,
                       const std::array<unsigned char, 4> &key, int phase)
{
    unsigned char rotated[8];
    for (int i = 0; i < 8; ++i)
        rotated[i] = key[(phase + i) & 3];
    quint64 mask;
    std::memcpy(&mask, rotated, 8);
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 word;
        std::memcpy(&word, from + i, 8);
        word ^= mask;
        std::memcpy(to + i, &word, 8);
    }
    for (; i < size; ++i)
        to[i] = char(from[i] ^ rotated[i & 7]);
}

} // namespace sluice
