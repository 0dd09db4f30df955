// SPDX-License-Identifier: Apache-2.0
#include "text_frame_cache.h"

namespace sluice::TextFrameCache {

namespace {

// Larger frames are not kept: the cache would hold them until the thread's next text frame.
constexpr qsizetype kMaxCachedBytes = 64 * 1024;

struct LastFrame {
    QByteArray utf8;
    QString text;
};

thread_local LastFrame t_last;

} // namespace

QByteArray received(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= kMaxCachedBytes) {
        t_last.utf8 = utf8;
        t_last.text = text;
    } else if (!t_last.utf8.isEmpty()) {
        t_last = {};
    }
    return utf8;
}

QString toSend(const QByteArray &payload)
{
    // The same buffer (the cache holds a reference, so its bytes cannot have changed or been
    // freed and reused): the same text. Anything else, including equal bytes in another buffer,
    // is decoded.
    if (!payload.isEmpty() && payload.constData() == t_last.utf8.constData() &&
        payload.size() == t_last.utf8.size())
        return t_last.text;
    return QString::fromUtf8(payload);
}

} // namespace sluice::TextFrameCache
