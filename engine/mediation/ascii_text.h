// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLatin1StringView>
#include <QStringView>

namespace sluice {

// Case-insensitive tests of content types and similar ASCII tokens. Qt's case-insensitive
// QString::contains folds full Unicode case and costs about a thousand instructions per call
// (measured with callgrind); these run for every message that is dispatched or leaves.
inline char16_t asciiLower(char16_t c)
{
    return c >= u'A' && c <= u'Z' ? char16_t(c + (u'a' - u'A')) : c;
}

// `prefix` (and the other arguments named lower) must be lower case.
inline bool startsWithAsciiNoCase(QStringView text, QLatin1StringView prefix)
{
    if (text.size() < prefix.size())
        return false;
    for (qsizetype i = 0; i < prefix.size(); ++i) {
        if (asciiLower(text[i].unicode()) != char16_t(prefix[i].toLatin1()))
            return false;
    }
    return true;
}

inline bool equalsAsciiNoCase(QStringView text, QLatin1StringView lower)
{
    return text.size() == lower.size() && startsWithAsciiNoCase(text, lower);
}

inline bool equalsAsciiNoCase(QStringView text, QStringView lower)
{
    if (text.size() != lower.size())
        return false;
    for (qsizetype i = 0; i < lower.size(); ++i) {
        if (asciiLower(text[i].unicode()) != lower[i].unicode())
            return false;
    }
    return true;
}

inline bool endsWithAsciiNoCase(QStringView text, QLatin1StringView lower)
{
    return text.size() >= lower.size() && startsWithAsciiNoCase(text.right(lower.size()), lower);
}

// `needle` must be lower case.
inline bool containsAsciiNoCase(QStringView text, QLatin1StringView needle)
{
    if (needle.isEmpty())
        return true;
    const char16_t first = char16_t(needle[0].toLatin1());
    for (qsizetype start = 0; start + needle.size() <= text.size(); ++start) {
        if (asciiLower(text[start].unicode()) == first &&
            startsWithAsciiNoCase(text.sliced(start), needle))
            return true;
    }
    return false;
}

} // namespace sluice
