// SPDX-License-Identifier: Apache-2.0
// The JSON form of a message event (docs/management-api.md, "Event JSON"). Empty fields are
// left out so that a stream of thousands of events a second stays small.
#include "message_event_json.h"

#include <QJsonArray>
#include <QStringDecoder>

namespace sluice {

namespace {

const QString kId = QStringLiteral("id");
const QString kTime = QStringLiteral("time");
const QString kKind = QStringLiteral("kind");
const QString kConnection = QStringLiteral("connection");
const QString kMessage = QStringLiteral("message");
const QString kArtifact = QStringLiteral("artifact");
const QString kMediator = QStringLiteral("mediator");
const QString kLocation = QStringLiteral("location");
const QString kPeer = QStringLiteral("peer");
const QString kOpcode = QStringLiteral("opcode");
const QString kSize = QStringLiteral("size");
const QString kCode = QStringLiteral("code");
const QString kReason = QStringLiteral("reason");
const QString kHeaders = QStringLiteral("headers");
const QString kSubprotocol = QStringLiteral("subprotocol");
const QString kProperties = QStringLiteral("properties");
const QString kCategory = QStringLiteral("category");
const QString kText = QStringLiteral("text");
const QString kPayload = QStringLiteral("payload");
const QString kPayloadBase64 = QStringLiteral("payloadBase64");
const QString kName = QStringLiteral("name");
const QString kScope = QStringLiteral("scope");
const QString kValue = QStringLiteral("value");

void putString(QJsonObject &object, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

QString opcodeName(EventOpcode opcode)
{
    switch (opcode) {
    case EventOpcode::Text:
        return QStringLiteral("text");
    case EventOpcode::Binary:
        return QStringLiteral("binary");
    case EventOpcode::Close:
        return QStringLiteral("close");
    case EventOpcode::None:
        break;
    }
    return QString();
}

EventOpcode opcodeFromName(const QString &name)
{
    if (name == QLatin1String("text"))
        return EventOpcode::Text;
    if (name == QLatin1String("binary"))
        return EventOpcode::Binary;
    if (name == QLatin1String("close"))
        return EventOpcode::Close;
    return EventOpcode::None;
}

// A property value as JSON: strings, numbers and booleans as themselves, anything else
// (QByteArray, XML nodes, ...) as its text form, so that the stream never carries nulls for
// values that have one.
QJsonValue propertyValueToJson(const QVariant &value)
{
    if (!value.isValid())
        return QJsonValue();
    const QJsonValue json = QJsonValue::fromVariant(value);
    if (!json.isNull() && !json.isUndefined())
        return json;
    return value.toString();
}

// "file:line:col" from the right, since a file name may itself contain ':'.
SourceLocation locationFromText(const QString &text)
{
    SourceLocation location;
    const qsizetype lastColon = text.lastIndexOf(QLatin1Char(':'));
    const qsizetype lineColon =
        lastColon > 0 ? text.lastIndexOf(QLatin1Char(':'), lastColon - 1) : -1;
    bool lineOk = false;
    bool columnOk = false;
    if (lineColon > 0) {
        const int line = text.mid(lineColon + 1, lastColon - lineColon - 1).toInt(&lineOk);
        const int column = text.mid(lastColon + 1).toInt(&columnOk);
        if (lineOk && columnOk) {
            location.file = text.left(lineColon);
            location.line = line;
            location.column = column;
            return location;
        }
    }
    location.file = text;
    return location;
}

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes);
    return !decoder.hasError();
}

} // namespace

QString eventPeerName(EventPeer peer)
{
    switch (peer) {
    case EventPeer::Client:
        return QStringLiteral("client");
    case EventPeer::Backend:
        return QStringLiteral("backend");
    case EventPeer::None:
        break;
    }
    return QString();
}

EventPeer eventPeerFromName(const QString &name)
{
    if (name == QLatin1String("client"))
        return EventPeer::Client;
    if (name == QLatin1String("backend"))
        return EventPeer::Backend;
    return EventPeer::None;
}

const QList<MessageEventKind> &allMessageEventKinds()
{
    static const QList<MessageEventKind> kinds = {
        MessageEventKind::ConnectionOpened,
        MessageEventKind::ConnectionClosed,
        MessageEventKind::BackendOpened,
        MessageEventKind::BackendClosed,
        MessageEventKind::FrameIn,
        MessageEventKind::FrameOut,
        MessageEventKind::MediatorEntered,
        MessageEventKind::PropertiesSet,
        MessageEventKind::Log,
        MessageEventKind::Fault,
    };
    return kinds;
}

std::optional<MessageEventKind> messageEventKindFromName(const QString &name)
{
    for (MessageEventKind kind : allMessageEventKinds()) {
        if (messageEventKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

QJsonObject messageEventToJson(const MessageEvent &event)
{
    QJsonObject object;
    object.insert(kId, qint64(event.id));
    object.insert(kTime, event.timestampMs);
    object.insert(kKind, messageEventKindName(event.kind));
    putString(object, kConnection, event.connectionId);
    if (event.messageId != 0)
        object.insert(kMessage, qint64(event.messageId));
    putString(object, kArtifact, event.artifact);
    putString(object, kMediator, event.mediator);
    if (event.location.isValid())
        object.insert(kLocation, event.location.toString());
    putString(object, kPeer, eventPeerName(event.peer));
    putString(object, kOpcode, opcodeName(event.opcode));
    if (event.size != 0 || event.opcode != EventOpcode::None)
        object.insert(kSize, event.size);
    if (event.closeCode != 0)
        object.insert(kCode, event.closeCode);
    putString(object, kReason, event.closeReason);
    if (!event.headers.isEmpty()) {
        QJsonObject headers;
        for (auto it = event.headers.cbegin(); it != event.headers.cend(); ++it)
            headers.insert(it.key(), it.value());
        object.insert(kHeaders, headers);
    }
    putString(object, kSubprotocol, event.subprotocol);
    if (!event.properties.isEmpty()) {
        QJsonArray properties;
        for (const EventProperty &property : event.properties) {
            properties.append(QJsonObject{{kName, property.name},
                                          {kScope, propertyScopeName(property.scope)},
                                          {kValue, propertyValueToJson(property.value)}});
        }
        object.insert(kProperties, properties);
    }
    putString(object, kCategory, event.category);
    putString(object, kText, event.text);
    if (!event.payload.isEmpty()) {
        // Binary frames always go as base64: a binary payload that happens to be UTF-8 must
        // come back as the same bytes, and clients show it as hex.
        if (event.opcode != EventOpcode::Binary && isValidUtf8(event.payload))
            object.insert(kPayload, QString::fromUtf8(event.payload));
        else
            object.insert(kPayloadBase64, QString::fromLatin1(event.payload.toBase64()));
    }
    return object;
}

std::optional<MessageEvent> messageEventFromJson(const QJsonObject &object)
{
    if (!object.value(kId).isDouble())
        return std::nullopt;
    const std::optional<MessageEventKind> kind =
        messageEventKindFromName(object.value(kKind).toString());
    if (!kind)
        return std::nullopt;
    MessageEvent event;
    event.id = quint64(object.value(kId).toInteger());
    event.kind = *kind;
    event.timestampMs = object.value(kTime).toInteger();
    event.connectionId = object.value(kConnection).toString();
    event.messageId = quint64(object.value(kMessage).toInteger());
    event.artifact = object.value(kArtifact).toString();
    event.mediator = object.value(kMediator).toString();
    if (object.contains(kLocation))
        event.location = locationFromText(object.value(kLocation).toString());
    event.peer = eventPeerFromName(object.value(kPeer).toString());
    event.opcode = opcodeFromName(object.value(kOpcode).toString());
    event.size = object.value(kSize).toInteger();
    event.closeCode = object.value(kCode).toInt();
    event.closeReason = object.value(kReason).toString();
    const QJsonObject headers = object.value(kHeaders).toObject();
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it)
        event.headers.insert(it.key(), it.value().toString());
    event.subprotocol = object.value(kSubprotocol).toString();
    const QJsonArray properties = object.value(kProperties).toArray();
    for (const QJsonValue &value : properties) {
        const QJsonObject property = value.toObject();
        EventProperty parsed;
        parsed.name = property.value(kName).toString();
        parsed.scope =
            parsePropertyScope(property.value(kScope).toString()).value_or(PropertyScope::Default);
        parsed.value = property.value(kValue).toVariant();
        event.properties.append(parsed);
    }
    event.category = object.value(kCategory).toString();
    event.text = object.value(kText).toString();
    if (object.contains(kPayload))
        event.payload = object.value(kPayload).toString().toUtf8();
    else if (object.contains(kPayloadBase64))
        event.payload = QByteArray::fromBase64(object.value(kPayloadBase64).toString().toLatin1());
    return event;
}

} // namespace sluice
