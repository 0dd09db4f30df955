// SPDX-License-Identifier: Apache-2.0
#include "message_format.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>
#include <cctype>

namespace sluice::studio {

namespace {

// QJsonDocument only takes an object or an array at the top; a WebSocket message may be any
// JSON value, so the text is parsed as the only element of an array ("[" + text + "]") and the
// error offsets are moved back by that one byte.
struct JsonParse {
    bool ok = false;
    QJsonValue value;
    QString error;
    qsizetype offset = 0; // in the UTF-8 of the original text
};

JsonParse parseJsonValue(const QByteArray &utf8)
{
    JsonParse result;
    if (utf8.trimmed().isEmpty()) {
        result.error = QStringLiteral("empty message, not JSON");
        return result;
    }
    QJsonParseError error{};
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray("[") + utf8 + QByteArray("]"), &error);
    if (error.error != QJsonParseError::NoError) {
        result.error = error.errorString();
        // Qt reports the offset after the character that failed (here shifted by the "[");
        // step back to that character, and over whitespace the parser read past, so that the
        // position is on the bad token rather than at the start of the next line.
        qsizetype offset = qBound(qsizetype(0), qsizetype(error.offset) - 2, utf8.size());
        while (offset > 0 && (offset >= utf8.size() || std::isspace(uchar(utf8.at(offset)))))
            --offset;
        result.offset = offset;
        return result;
    }
    const QJsonArray array = document.array();
    if (array.size() != 1) {
        // "1, 2" is two values: point at the second one.
        result.error = QStringLiteral("more than one JSON value");
        result.offset = utf8.indexOf(',');
        return result;
    }
    result.ok = true;
    result.value = array.first();
    return result;
}

QString jsonText(const QJsonValue &value, QJsonDocument::JsonFormat format)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(format)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(format)).trimmed();
    // A scalar: serialise it inside an array and take the array's brackets off.
    const QString inArray =
        QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
    return inArray.mid(1, inArray.size() - 2);
}

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

void setPosition(EncodedMessage &message, const QString &text, qsizetype index)
{
    // `index` is a QChar index here; lineColumnAt wants UTF-8 bytes.
    lineColumnAt(text, text.left(index).toUtf8().size(), &message.line, &message.column);
}

EncodedMessage encodeHex(const QString &text)
{
    EncodedMessage message;
    message.binary = true;
    int pending = -1;
    qsizetype pendingIndex = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isSpace() || c == QLatin1Char(':') || c == QLatin1Char(','))
            continue;
        // "0x" prefixes are allowed in front of each byte.
        if (pending < 0 && c == QLatin1Char('0') && i + 1 < text.size() &&
            (text.at(i + 1) == QLatin1Char('x') || text.at(i + 1) == QLatin1Char('X'))) {
            ++i;
            continue;
        }
        const int value = hexValue(c);
        if (value < 0) {
            message.error = QStringLiteral("'%1' is not a hex digit").arg(c);
            setPosition(message, text, i);
            return message;
        }
        if (pending < 0) {
            pending = value;
            pendingIndex = i;
        } else {
            message.bytes.append(char(pending * 16 + value));
            pending = -1;
        }
    }
    if (pending >= 0) {
        message.error = QStringLiteral("odd number of hex digits (a byte is two digits)");
        setPosition(message, text, pendingIndex);
        return message;
    }
    message.ok = true;
    return message;
}

EncodedMessage encodeBase64(const QString &text)
{
    EncodedMessage message;
    message.binary = true;
    QByteArray compact;
    for (const QChar c : text) {
        if (!c.isSpace())
            compact.append(c.toLatin1());
    }
    const auto decoded = QByteArray::fromBase64Encoding(
        compact, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        message.error = QStringLiteral("not valid base64");
        return message;
    }
    message.bytes = decoded.decoded;
    message.ok = true;
    return message;
}

} // namespace

QString messageModeName(MessageMode mode)
{
    switch (mode) {
    case MessageMode::Text:
        return QStringLiteral("text");
    case MessageMode::Json:
        return QStringLiteral("json");
    case MessageMode::Hex:
        return QStringLiteral("hex");
    case MessageMode::Base64:
        return QStringLiteral("base64");
    }
    return QStringLiteral("text");
}

MessageMode messageModeFromName(const QString &name, bool *ok)
{
    for (const MessageMode mode :
         {MessageMode::Text, MessageMode::Json, MessageMode::Hex, MessageMode::Base64}) {
        if (messageModeName(mode) == name) {
            if (ok)
                *ok = true;
            return mode;
        }
    }
    if (ok)
        *ok = false;
    return MessageMode::Text;
}

QString EncodedMessage::errorText() const
{
    if (line > 0)
        return QStringLiteral("line %1, column %2: %3").arg(line).arg(column).arg(error);
    return error;
}

EncodedMessage encodeMessage(MessageMode mode, const QString &text)
{
    switch (mode) {
    case MessageMode::Hex:
        return encodeHex(text);
    case MessageMode::Base64:
        return encodeBase64(text);
    case MessageMode::Json: {
        EncodedMessage message;
        const QByteArray utf8 = text.toUtf8();
        const JsonParse parse = parseJsonValue(utf8);
        if (!parse.ok) {
            message.error = parse.error;
            lineColumnAt(text, parse.offset, &message.line, &message.column);
            return message;
        }
        message.bytes = utf8; // sent as typed: pretty-printing is the user's choice
        message.ok = true;
        return message;
    }
    case MessageMode::Text:
        break;
    }
    EncodedMessage message;
    message.bytes = text.toUtf8();
    message.ok = true;
    return message;
}

void lineColumnAt(const QString &text, qsizetype utf8Offset, int *line, int *column)
{
    const QByteArray utf8 = text.toUtf8();
    const QByteArray before = utf8.left(qBound(qsizetype(0), utf8Offset, utf8.size()));
    const qsizetype lastBreak = before.lastIndexOf('\n');
    *line = int(before.count('\n')) + 1;
    // Columns count characters, not bytes.
    *column = int(QString::fromUtf8(before.mid(lastBreak + 1)).size()) + 1;
}

QString prettyJson(const QByteArray &data)
{
    const JsonParse parse = parseJsonValue(data);
    return parse.ok ? jsonText(parse.value, QJsonDocument::Indented) : QString();
}

QString compactJson(const QByteArray &data)
{
    const JsonParse parse = parseJsonValue(data);
    return parse.ok ? jsonText(parse.value, QJsonDocument::Compact) : QString();
}

QString prettyXml(const QByteArray &data)
{
    if (!data.trimmed().startsWith('<'))
        return {};
    QXmlStreamReader reader(data);
    QString out;
    QXmlStreamWriter writer(&out);
    writer.setAutoFormatting(true);
    writer.setAutoFormattingIndent(2);
    bool sawElement = false;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.hasError())
            return {};
        // Indentation is the writer's job; the source's own whitespace would double it.
        if (reader.isWhitespace() || reader.isStartDocument() || reader.isEndDocument())
            continue;
        sawElement = sawElement || reader.isStartElement();
        writer.writeCurrentToken(reader);
    }
    return sawElement ? out.trimmed() : QString();
}

QString hexDump(const QByteArray &data)
{
    QString out;
    for (qsizetype row = 0; row < data.size(); row += 16) {
        if (row > 0)
            out += QLatin1Char('\n');
        out += QStringLiteral("%1  ").arg(row, 8, 16, QLatin1Char('0'));
        QString printable;
        for (qsizetype i = row; i < row + 16; ++i) {
            if (i < data.size()) {
                const auto byte = quint8(data.at(i));
                out += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
                printable +=
                    (byte >= 0x20 && byte < 0x7f) ? QChar(char16_t(byte)) : QLatin1Char('.');
            } else {
                out += QLatin1String("   ");
            }
            if (i == row + 7)
                out += QLatin1Char(' ');
        }
        out += QLatin1String(" |") + printable + QLatin1Char('|');
    }
    return out;
}

QString hexLine(const QByteArray &data, int maxBytes)
{
    const QByteArray head = data.left(maxBytes);
    QString out = QString::fromLatin1(head.toHex(' '));
    if (data.size() > maxBytes)
        out += QStringLiteral(" …");
    return out;
}

QString readablePayload(const QByteArray &data, bool binary)
{
    if (binary) {
        // A dump is about five times the data: big frames show their head only.
        constexpr qsizetype kMaxDump = 64 * 1024;
        if (data.size() <= kMaxDump)
            return hexDump(data);
        return hexDump(data.left(kMaxDump)) +
               QStringLiteral("\n… %1 more bytes").arg(data.size() - kMaxDump);
    }
    QString pretty = prettyJson(data);
    if (pretty.isEmpty())
        pretty = prettyXml(data);
    return pretty.isEmpty() ? QString::fromUtf8(data) : pretty;
}

QString payloadSummary(const QByteArray &data, bool binary, int maxChars)
{
    if (binary)
        return hexLine(data);
    QString line = compactJson(data);
    if (line.isEmpty())
        line = QString::fromUtf8(data).simplified();
    if (line.size() > maxChars)
        line = line.left(maxChars) + QStringLiteral("…");
    return line;
}

QString formatSize(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

} // namespace sluice::studio
