// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

// Text helpers shared by the try-it panel's WebSocket and HTTP tabs: checking what the user
// typed before it is sent, and showing what came back in the most readable form.
namespace sluice::studio {

// How the message editor's text becomes a frame.
enum class MessageMode { Text, Json, Hex, Base64 };

QString messageModeName(MessageMode mode); // "text", "json", "hex", "base64"
MessageMode messageModeFromName(const QString &name, bool *ok = nullptr); // Text when unknown

// The outcome of turning editor text into bytes. On failure, line and column (1-based) point
// at the problem in the editor's text when it has a place (0 when it has none).
struct EncodedMessage {
    bool ok = false;
    bool binary = false;
    QByteArray bytes;
    QString error;
    int line = 0;
    int column = 0;

    // "line 2, column 7: unterminated string" or just the message.
    QString errorText() const;
};

// Text and JSON give text frames (JSON only when it parses: an object, an array or a scalar);
// Hex ("48 65 6c", "0x48:65", any whitespace) and Base64 give binary frames.
EncodedMessage encodeMessage(MessageMode mode, const QString &text);

// 1-based line and column of a UTF-8 byte offset in `text`.
void lineColumnAt(const QString &text, qsizetype utf8Offset, int *line, int *column);

// The JSON indented with four spaces; empty when `data` is not JSON.
QString prettyJson(const QByteArray &data);
// The same JSON on one line (for table rows); empty when `data` is not JSON.
QString compactJson(const QByteArray &data);
// Well-formed XML re-indented; empty when `data` is not well-formed XML.
QString prettyXml(const QByteArray &data);
// "48 65 6c 6c 6f" style, 16 bytes a line with an offset and the printable characters.
QString hexDump(const QByteArray &data);
// Space-separated hex on one line, cut after `maxBytes` with "…".
QString hexLine(const QByteArray &data, int maxBytes = 48);

// What a received or sent payload looks like best: binary as a hex dump, text as pretty JSON
// or XML when it parses, else as it is.
QString readablePayload(const QByteArray &data, bool binary);
// One line for a table row.
QString payloadSummary(const QByteArray &data, bool binary, int maxChars = 200);

// "532 B", "4.2 KiB", "1.3 MiB".
QString formatSize(qint64 bytes);

} // namespace sluice::studio
