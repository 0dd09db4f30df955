// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtEndian>
#include <QtGlobal>
#include <array>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sluice {

// RFC 6455 5.3 masking, fused with the copy that moves a payload anyway (into the message on
// receipt, into the output buffer on sending), sixteen bytes at a time: Qt WebSockets 6.4 XORs
// byte by byte, which made 16 KiB messages cost Sluice about 1.7 times nginx's CPU
// (docs/performance.md). `phase` is the payload offset of `from` modulo 4, so that a payload
// split over several reads continues with the right key byte.
inline void copyMasked(char *to, const char *from, qsizetype size,
                       const std::array<unsigned char, 4> &key, int phase)
{
    // The key turned so that its first byte is the one for `from`: byte j of `bytes` (counted
    // from the low end) masks from[j], and `mask` is those eight bytes as they lie in memory.
    quint32 turned = qFromLittleEndian<quint32>(key.data());
    if (const int shift = (phase & 3) * 8)
        turned = (turned >> shift) | (turned << (32 - shift));
    const quint64 bytes = quint64(turned) | (quint64(turned) << 32);
    const quint64 mask = qToLittleEndian(bytes);
    qsizetype i = 0;
#if defined(__SSE2__)
    // Sixteen bytes a step (SSE2, x86-64's baseline): four steps for a 64-byte message.
    const __m128i wide = _mm_set1_epi64x(qint64(mask));
    for (; i + 16 <= size; i += 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(from + i));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(to + i), _mm_xor_si128(chunk, wide));
    }
#endif
    for (; i + 8 <= size; i += 8) {
        quint64 word;
        std::memcpy(&word, from + i, 8);
        word ^= mask;
        std::memcpy(to + i, &word, 8);
    }
    // The rest, under 8 bytes: i is a multiple of 8 here, so byte i + j takes the mask's byte j.
    for (int j = 0; i < size; ++i, ++j)
        to[i] = char(from[i] ^ char(bytes >> (8 * j)));
}

} // namespace sluice
