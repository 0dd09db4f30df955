// SPDX-License-Identifier: Apache-2.0
#include "ws_frame_reader.h"
#include "ws_frame_mask.h"

#include <QtEndian>
#include <algorithm>

namespace sluice {

namespace {

constexpr int kProtocolError = 1002;
constexpr int kInvalidPayload = 1007;
constexpr int kTooBig = 1009;

// Close codes a peer may send (RFC 6455 7.4, the IANA registry): 1004-1006 and 1015 are
// reserved for reports, never for the wire; 1016-2999 are unassigned; 3000-4999 are for
// libraries and applications.
bool closeCodeAllowed(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

} // namespace

WsFrameReader::WsFrameReader(Role role, qint64 maxMessageSize)
    : m_role(role)
    , m_maxMessageSize(maxMessageSize)
{
}

WsFrameReader::Event WsFrameReader::fail(int code, const QString &reason)
{
    m_errorCode = code;
    m_errorReason = reason;
    return Event::Error;
}

WsFrameReader::Event WsFrameReader::nextInParts(const char *data, qsizetype size,
                                                qsizetype *consumed)
{
    qsizetype at = 0;
    while (at < size || (m_inPayload && m_payloadHave == m_payloadSize)) {
        if (!m_inPayload) {
            if (m_headerHave == 0 && size - at >= 2) {
                // The whole header in the buffer (the common case): taken in one copy.
                const quint8 second = quint8(data[at + 1]);
                const quint8 length = second & 0x7f;
                const int need = 2 +
                                 (length == 126   ? 2
                                  : length == 127 ? 8
                                                  : 0) +
                                 ((second & 0x80) ? 4 : 0);
                if (size - at >= need) {
                    std::memcpy(m_header, data + at, size_t(need));
                    m_headerHave = need;
                    m_headerNeed = need;
                    at += need;
                    if (const Event event = headerDone(); event != Event::NeedMore) {
                        *consumed = at;
                        return event;
                    }
                    continue;
                }
            }
            const qsizetype take = std::min<qsizetype>(m_headerNeed - m_headerHave, size - at);
            std::memcpy(m_header + m_headerHave, data + at, size_t(take));
            m_headerHave += int(take);
            at += take;
            if (m_headerHave < m_headerNeed)
                break;
            if (m_headerNeed == 2) {
                // The first two bytes say how long the rest of the header is.
                const quint8 length = quint8(m_header[1]) & 0x7f;
                m_headerNeed = 2 +
                               (length == 126   ? 2
                                : length == 127 ? 8
                                                : 0) +
                               ((quint8(m_header[1]) & 0x80) ? 4 : 0);
                if (m_headerHave < m_headerNeed)
                    continue;
            }
            if (const Event event = headerDone(); event != Event::NeedMore) {
                *consumed = at;
                return event;
            }
            continue;
        }
        const bool control = quint8(m_opcode) & 0x8;
        QByteArray &into = control ? m_control : m_message;
        const qsizetype take =
            qsizetype(std::min<qint64>(m_payloadSize - m_payloadHave, size - at));
        if (take > 0) {
            const qsizetype start = into.size();
            char *target = nullptr;
            if (!control && start == 0 && take == m_payloadSize) [[likely]] {
                // A whole frame of a new message, all of it here (the common case).
                target = startWholeMessage(take);
            } else {
                // Reserved at once up to 1 MiB (a length announced but not sent costs little);
                // fragments grow it as they come.
                if (!control && start == 0)
                    into.reserve(qsizetype(std::min<qint64>(m_payloadSize, 1 << 20)));
                into.resize(start + take);
                target = into.data() + start;
            }
            if (m_masked)
                copyMasked(target, data + at, take, m_key, int(m_payloadHave & 3));
            else
                std::memcpy(target, data + at, size_t(take));
            if (!control && m_messageText && !m_utf8.feed(target, take)) {
                *consumed = at + take;
                return fail(kInvalidPayload, QStringLiteral("invalid UTF-8 in a text message"));
            }
            m_payloadHave += take;
            at += take;
        }
        if (m_payloadHave < m_payloadSize)
            break;
        m_inPayload = false;
        m_headerHave = 0;
        m_headerNeed = 2;
        if (const Event event = frameDone(); event != Event::NeedMore) {
            *consumed = at;
            return event;
        }
    }
    *consumed = at;
    return Event::NeedMore;
}

qsizetype WsFrameReader::takeWholeFrame(const char *data, qsizetype size)
{
    // Only what needs none of the general path's state: a final text or binary frame, no
    // reserved bits, masked as the role requires, a length of 7 or 16 bits within the limit,
    // header and payload all in `data`. Anything else goes the general way, which checks it.
    if (size < 2)
        return 0;
    const quint8 first = quint8(data[0]);
    const quint8 second = quint8(data[1]);
    const quint8 opcode = first & 0x0f;
    if ((first & 0xf0) != 0x80 ||
        (opcode != quint8(WsOpcode::Text) && opcode != quint8(WsOpcode::Binary)))
        return 0;
    const bool masked = second & 0x80;
    if (masked != (m_role == Role::Server))
        return 0;
    qsizetype header = 2;
    qsizetype length = second & 0x7f;
    if (length == 127)
        return 0;
    if (length == 126) {
        if (size < 4)
            return 0;
        length = qFromBigEndian<quint16>(data + 2);
        header = 4;
    }
    const char *key = data + header;
    if (masked)
        header += 4;
    if (size - header < length || length > m_maxMessageSize)
        return 0;
    m_fin = true;
    m_opcode = WsOpcode(opcode);
    m_messageText = opcode == quint8(WsOpcode::Text);
    char *target = startWholeMessage(length);
    if (masked) {
        std::memcpy(m_key.data(), key, 4);
        copyMasked(target, data + header, length, m_key, 0);
    } else {
        std::memcpy(target, data + header, size_t(length));
    }
    if (m_messageText) {
        // The general path's checks and words: as the bytes come, then at the message's end.
        m_utf8.reset();
        if (!m_utf8.feed(target, length)) {
            fail(kInvalidPayload, QStringLiteral("invalid UTF-8 in a text message"));
            m_message = QByteArray();
        } else if (!m_utf8.atBoundary()) {
            fail(kInvalidPayload, QStringLiteral("text message ends inside a UTF-8 character"));
            m_message = QByteArray();
        }
    }
    return header + length;
}

WsFrameReader::Event WsFrameReader::headerDone()
{
    const quint8 first = quint8(m_header[0]);
    const quint8 second = quint8(m_header[1]);
    m_fin = first & 0x80;
    m_opcode = WsOpcode(first & 0x0f);
    m_masked = second & 0x80;
    if (first & 0x70)
        return fail(kProtocolError, QStringLiteral("reserved bits set (no extension agreed)"));
    const quint8 length = second & 0x7f;
    const char *rest = m_header + 2;
    if (length == 126) {
        m_payloadSize = qFromBigEndian<quint16>(rest);
        rest += 2;
    } else if (length == 127) {
        const quint64 size = qFromBigEndian<quint64>(rest);
        if (size >> 63)
            return fail(kProtocolError, QStringLiteral("frame length with the top bit set"));
        m_payloadSize = qint64(size);
        rest += 8;
    } else {
        m_payloadSize = length;
    }
    if (m_masked)
        std::memcpy(m_key.data(), rest, 4);
    if (m_role == Role::Server && !m_masked)
        return fail(kProtocolError, QStringLiteral("unmasked frame from a client"));
    if (m_role == Role::Client && m_masked)
        return fail(kProtocolError, QStringLiteral("masked frame from a server"));
    switch (m_opcode) {
    case WsOpcode::Close:
    case WsOpcode::Ping:
    case WsOpcode::Pong:
        if (!m_fin)
            return fail(kProtocolError, QStringLiteral("fragmented control frame"));
        if (m_payloadSize > 125)
            return fail(kProtocolError, QStringLiteral("control frame longer than 125 bytes"));
        m_control.clear();
        break;
    case WsOpcode::Text:
    case WsOpcode::Binary:
        if (m_inMessage)
            return fail(kProtocolError,
                        QStringLiteral("new message before the last one's final fragment"));
        if (m_payloadSize > m_maxMessageSize)
            return fail(kTooBig,
                        QStringLiteral("message larger than %1 bytes").arg(m_maxMessageSize));
        m_inMessage = true;
        m_messageText = m_opcode == WsOpcode::Text;
        m_utf8.reset();
        break;
    case WsOpcode::Continuation:
        if (!m_inMessage)
            return fail(kProtocolError, QStringLiteral("continuation frame outside a message"));
        if (m_payloadSize > m_maxMessageSize - m_message.size())
            return fail(kTooBig,
                        QStringLiteral("message larger than %1 bytes").arg(m_maxMessageSize));
        break;
    default:
        return fail(kProtocolError,
                    QStringLiteral("reserved opcode 0x%1").arg(quint8(m_opcode), 0, 16));
    }
    m_inPayload = true;
    m_payloadHave = 0;
    return Event::NeedMore;
}

char *WsFrameReader::startWholeMessage(qsizetype size)
{
    // Only a final frame: a fragment's message grows (resize) while it is shared with the spare,
    // which would copy it.
    if (!m_fin || size > kSpareBytes) {
        m_message = QByteArray(size, Qt::Uninitialized);
        return m_message.data();
    }
    // Free: the last message's holders (its mediation, a queue, the event ring, a subscriber)
    // are done with it, so rewriting its bytes changes nothing anybody sees.
    if (spareIsFree() && m_spare.capacity() - m_spare.data_ptr().freeSpaceAtBegin() >= size) {
        // Nobody else holds it and it has room after its start: its size set here, as
        // QByteArray::resize() would (with the terminating zero), without a call into Qt.
        QByteArray::DataPointer &spare = m_spare.data_ptr();
        spare.size = size;
        spare.data()[size] = '\0';
    } else {
        m_spare = QByteArray();
        m_spare.reserve(std::max(size, kSpareMinimum));
        m_spare.resize(size);
    }
    // Taken before the buffer is shared with m_message: data() on a shared array would copy it.
    char *bytes = m_spare.data();
    // A copy moved in: QByteArray's copy assignment is a call into Qt, its copy and move are
    // inline.
    m_message = QByteArray(m_spare);
    return bytes;
}

bool WsFrameReader::spareIsFree()
{
    // An acquire load, not QByteArray::isDetached()'s relaxed one: a holder on another thread
    // (an event subscriber's copy) must be seen done reading the bytes before they are
    // rewritten; its release of the array (QArrayData::deref, acq_rel) is what this pairs with.
    const QArrayData *data = m_spare.data_ptr().d_ptr();
    return data && data->ref_.loadAcquire() == 1;
}

WsFrameReader::Event WsFrameReader::frameDone()
{
    switch (m_opcode) {
    case WsOpcode::Ping:
        return Event::Ping;
    case WsOpcode::Pong:
        return Event::Pong;
    case WsOpcode::Close:
        return closeFrameDone();
    default:
        break;
    }
    if (!m_fin)
        return Event::NeedMore;
    if (m_messageText && !m_utf8.atBoundary())
        return fail(kInvalidPayload, QStringLiteral("text message ends inside a UTF-8 character"));
    m_inMessage = false;
    return Event::Message;
}

WsFrameReader::Event WsFrameReader::closeFrameDone()
{
    if (m_control.isEmpty()) {
        m_closeCode = 1005; // no status code (RFC 6455 7.1.5)
        m_closeReason.clear();
        return Event::Close;
    }
    if (m_control.size() == 1)
        return fail(kProtocolError, QStringLiteral("close frame with a 1-byte payload"));
    const int code = qFromBigEndian<quint16>(m_control.constData());
    if (!closeCodeAllowed(code))
        return fail(kProtocolError, QStringLiteral("invalid close code %1").arg(code));
    WsUtf8Validator reason;
    if (!reason.feed(m_control.constData() + 2, m_control.size() - 2) || !reason.atBoundary())
        return fail(kInvalidPayload, QStringLiteral("invalid UTF-8 in the close reason"));
    m_closeCode = code;
    m_closeReason = QString::fromUtf8(m_control.constData() + 2, m_control.size() - 2);
    return Event::Close;
}

} // namespace sluice
