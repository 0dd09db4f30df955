// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

namespace sluice {

// Checks that bytes are UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF) without decoding them, piece by piece: a text message arrives in fragments and a
// character may be split between two of them, yet an invalid byte must fail the connection as
// soon as it is seen (RFC 6455 8.1). QUtf8StringView::isValidUtf8 checks a whole string only.
class WsUtf8Validator {
public:
    // False as soon as the bytes so far cannot begin valid UTF-8.
    bool feed(const char *data, qsizetype size);
    // True when the bytes so far end on a character boundary (a message may end here).
    bool atBoundary() const { return m_pending == 0; }
    void reset() { m_pending = 0; }

private:
    bool feedSlow(const unsigned char *p, const unsigned char *end);

    int m_pending = 0;           // continuation bytes still expected
    unsigned char m_low = 0x80;  // allowed range of the next continuation byte (it narrows
    unsigned char m_high = 0xbf; // after E0, ED, F0 and F4 to refuse overlongs and surrogates)
};

} // namespace sluice
