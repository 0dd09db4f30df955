// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ws_frame_writer.h"
#include "ws_utf8_validator.h"

#include <QByteArray>
#include <QString>
#include <array>

namespace sluice {

// Incremental RFC 6455 frame parser for one connection. Bytes are handed over as they come from
// the socket, in pieces of any size; whole messages come out as QByteArray (text stays UTF-8,
// validated without decoding), the payload unmasked while it is copied into the message: no
// buffer of the connection's own holds input between reads, only an unfinished header (at most
// 14 bytes) and the message being assembled.
class WsFrameReader {
public:
    enum class Role {
        Server, // reads a client's frames: they must be masked
        Client, // reads a server's frames: they must not be
    };
    enum class Event {
        NeedMore, // every byte given was taken; nothing complete yet
        Message,  // takeMessage() / messageIsText()
        Ping,     // control()
        Pong,     // control()
        Close,    // closeCode() (1005 when the frame had none), closeReason()
        Error,    // errorCode() (1002, 1007 or 1009) and errorReason(); the connection must fail
    };

    WsFrameReader(Role role, qint64 maxMessageSize);

    // Parses from `data`, stops after the first complete event; `*consumed` says how many bytes
    // it took (all of them with NeedMore). After Error or Close nothing more should be fed.
    // Inline: a whole small frame at the start of `data` (each proxied message, the common
    // case) is taken without the general parser's call.
    Event next(const char *data, qsizetype size, qsizetype *consumed)
    {
        if (!m_inPayload && m_headerHave == 0 && !m_inMessage) [[likely]] {
            if (const qsizetype taken = takeWholeFrame(data, size)) {
                *consumed = taken;
                return m_errorCode ? Event::Error : Event::Message;
            }
        }
        return nextInParts(data, size, consumed);
    }

    QByteArray takeMessage() { return std::exchange(m_message, QByteArray()); }
    bool messageIsText() const { return m_messageText; }
    const QByteArray &control() const { return m_control; }
    int closeCode() const { return m_closeCode; }
    const QString &closeReason() const { return m_closeReason; }
    int errorCode() const { return m_errorCode; }
    const QString &errorReason() const { return m_errorReason; }

private:
    Event fail(int code, const QString &reason);
    // next() for everything else: headers and payloads in pieces, fragments, control frames.
    Event nextInParts(const char *data, qsizetype size, qsizetype *consumed);
    // A whole small data message at the start of `data`, read in one go (the common case: each
    // proxied message is one such frame): the bytes it took, or 0 when the frame is not one
    // (then nothing changed). An invalid UTF-8 text is taken, with the error set.
    qsizetype takeWholeFrame(const char *data, qsizetype size);
    // The header is complete in m_header: checks it and prepares for the payload.
    Event headerDone();
    // The current frame's payload is complete.
    Event frameDone();
    Event closeFrameDone();
    // Makes m_message a buffer of `size` bytes for a message that comes whole in one frame and
    // returns where its bytes go: the spare when nobody holds it any more, else a new one.
    char *startWholeMessage(qsizetype size);
    // No message or copy of one holds the spare any more.
    bool spareIsFree();

    Role m_role;
    qint64 m_maxMessageSize;

    // The frame being read.
    char m_header[kWsMaxHeaderSize];
    int m_headerHave = 0;
    int m_headerNeed = 2;
    bool m_inPayload = false;
    bool m_fin = false;
    WsOpcode m_opcode = WsOpcode::Continuation;
    bool m_masked = false;
    std::array<unsigned char, 4> m_key{};
    qint64 m_payloadSize = 0;
    qint64 m_payloadHave = 0;

    // The data message being assembled over its fragments.
    bool m_inMessage = false;
    bool m_messageText = false;
    QByteArray m_message;
    WsUtf8Validator m_utf8;
    // The buffer of the last small message handed out, filled again for the next one once every
    // holder has let it go (a proxied message is mostly sent on and released before its
    // connection's next frame is read): no malloc and free per message, which cost more
    // instructions and code lines than the rest of reading a frame (docs/performance.md, "Code
    // per message"). Its bytes are only ever written while it is ours alone.
    QByteArray m_spare;
    static constexpr qsizetype kSpareBytes = 1024;  // larger messages get a buffer of their own
    static constexpr qsizetype kSpareMinimum = 128; // room for a slightly larger next message

    QByteArray m_control; // the payload of the last ping, pong or close frame
    int m_closeCode = 1005;
    QString m_closeReason;
    int m_errorCode = 0;
    QString m_errorReason;
};

} // namespace sluice
