// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <array>

namespace sluice {

// RFC 6455 opcodes.
enum class WsOpcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xa,
};

// A frame header is at most 14 bytes: 2, an extended length of 2 or 8, a masking key of 4.
inline constexpr int kWsMaxHeaderSize = 14;

// Writes the header of one final (FIN) frame of `payloadSize` bytes into `header` and returns
// its size. `key` non-null: the frame is masked with it (Sluice as a client).
int writeWsFrameHeader(char *header, WsOpcode opcode, qint64 payloadSize,
                       const std::array<unsigned char, 4> *key);

// Appends one whole final frame to `out`: the header, then the payload, masked with `key` when
// given (the masking is the copy: a word at a time, ws_frame_mask.h).
void appendWsFrame(QByteArray &out, WsOpcode opcode, const char *payload, qsizetype size,
                   const std::array<unsigned char, 4> *key);

// The payload of a close frame: the code in network order, then the UTF-8 reason, cut to the
// 123 bytes a control frame leaves (at a character boundary).
QByteArray wsClosePayload(int code, const QString &reason);

} // namespace sluice
