// SPDX-License-Identifier: Apache-2.0
#include "ws_frame_writer.h"
#include "ws_frame_mask.h"

#include <QString>
#include <QtEndian>

namespace sluice {

int writeWsFrameHeader(char *header, WsOpcode opcode, qint64 payloadSize,
                       const std::array<unsigned char, 4> *key)
{
    header[0] = char(0x80 | quint8(opcode));
    const char maskBit = key ? char(0x80) : char(0);
    int size = 2;
    if (payloadSize < 126) {
        header[1] = char(maskBit | char(payloadSize));
    } else if (payloadSize <= 0xffff) {
        header[1] = char(maskBit | 126);
        qToBigEndian(quint16(payloadSize), header + 2);
        size = 4;
    } else {
        header[1] = char(maskBit | 127);
        qToBigEndian(quint64(payloadSize), header + 2);
        size = 10;
    }
    if (key) {
        std::memcpy(header + size, key->data(), 4);
        size += 4;
    }
    return size;
}

void appendWsFrame(QByteArray &out, WsOpcode opcode, const char *payload, qsizetype size,
                   const std::array<unsigned char, 4> *key)
{
    const qsizetype start = out.size();
    out.resize(start + kWsMaxHeaderSize + size);
    char *at = out.data() + start;
    const int header = writeWsFrameHeader(at, opcode, size, key);
    if (key)
        copyMasked(at + header, payload, size, *key, 0);
    else if (size > 0)
        std::memcpy(at + header, payload, size_t(size));
    out.resize(start + header + size);
}

QByteArray wsClosePayload(int code, const QString &reason)
{
    QByteArray payload(2, Qt::Uninitialized);
    qToBigEndian(quint16(code), payload.data());
    QByteArray text = reason.toUtf8();
    if (text.size() > 123) {
        qsizetype cut = 123;
        while (cut > 0 && (quint8(text.at(cut)) & 0xc0) == 0x80)
            --cut; // never in the middle of a character
        text.truncate(cut);
    }
    payload += text;
    return payload;
}

} // namespace sluice
