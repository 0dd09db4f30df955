// SPDX-License-Identifier: Apache-2.0
#include "ws_utf8_validator.h"

#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sluice {

bool WsUtf8Validator::feed(const char *data, qsizetype size)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    const unsigned char *end = p + size;
    // Most text is ASCII: sixteen bytes at a time (SSE2, x86-64's baseline), then eight, while
    // no character is open.
    if (m_pending == 0) {
#if defined(__SSE2__)
        // Sixty-four bytes with one test: the high bits of four blocks together.
        while (end - p >= 64) {
            const auto *block = reinterpret_cast<const __m128i *>(p);
            const __m128i high =
                _mm_or_si128(_mm_or_si128(_mm_loadu_si128(block), _mm_loadu_si128(block + 1)),
                             _mm_or_si128(_mm_loadu_si128(block + 2), _mm_loadu_si128(block + 3)));
            if (_mm_movemask_epi8(high) != 0)
                break;
            p += 64;
        }
        while (end - p >= 16) {
            const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
            if (_mm_movemask_epi8(chunk) != 0)
                break;
            p += 16;
        }
#endif
        while (end - p >= 8) {
            quint64 word;
            std::memcpy(&word, p, 8);
            if (word & 0x8080808080808080ull)
                break;
            p += 8;
        }
    }
    // All of it ASCII (the common case): no call for an empty rest.
    return p == end || feedSlow(p, end);
}

bool WsUtf8Validator::feedSlow(const unsigned char *p, const unsigned char *end)
{
    for (; p < end; ++p) {
        const unsigned char c = *p;
        if (m_pending > 0) {
            if (c < m_low || c > m_high)
                return false;
            m_low = 0x80;
            m_high = 0xbf;
            --m_pending;
            continue;
        }
        if (c < 0x80)
            continue;
        if (c < 0xc2) // a continuation byte with no lead, or an overlong 2-byte lead (C0, C1)
            return false;
        if (c < 0xe0) {
            m_pending = 1;
        } else if (c < 0xf0) {
            m_pending = 2;
            if (c == 0xe0)
                m_low = 0xa0; // overlong below U+0800
            else if (c == 0xed)
                m_high = 0x9f; // UTF-16 surrogates D800..DFFF
        } else if (c < 0xf5) {
            m_pending = 3;
            if (c == 0xf0)
                m_low = 0x90; // overlong below U+10000
            else if (c == 0xf4)
                m_high = 0x8f; // above U+10FFFF
        } else {
            return false;
        }
    }
    return true;
}

} // namespace sluice
