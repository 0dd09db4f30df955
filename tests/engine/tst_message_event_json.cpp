// SPDX-License-Identifier: Apache-2.0
// The JSON form of message events: every field survives a round trip, binary payloads travel
// as base64, empty fields are left out, and what is not an event is refused.
#include "runtime/message_event_json.h"

#include <QJsonArray>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

namespace {

MessageEvent fullEvent()
{
    MessageEvent event;
    event.id = 42;
    event.timestampMs = 1'700'000'000'123;
    event.kind = MessageEventKind::PropertiesSet;
    event.connectionId = u"ws-7"_s;
    event.messageId = 9;
    event.artifact = u"websocket"_s;
    event.mediator = u"property"_s;
    event.location = {u"sequences/dispatch:Seq.xml"_s, 3, 5};
    event.peer = EventPeer::Backend;
    event.opcode = EventOpcode::Text;
    event.size = 17;
    event.closeCode = 1001;
    event.closeReason = u"going away"_s;
    event.headers.insert(u"Sec-WebSocket-Protocol"_s, u"chat"_s);
    event.subprotocol = u"chat"_s;
    event.properties.append({u"OUT_ONLY"_s, PropertyScope::Default, QVariant(u"true"_s)});
    event.properties.append({u"count"_s, PropertyScope::Axis2, QVariant(3)});
    event.category = u"sluice.log"_s;
    event.text = u"a line"_s;
    event.payload = "{\"n\":1} \xc3\xa9";
    return event;
}

} // namespace

class TestMessageEventJson : public QObject {
    Q_OBJECT

private slots:
    void everyFieldRoundTrips()
    {
        const MessageEvent event = fullEvent();
        const QJsonObject json = messageEventToJson(event);
        QCOMPARE(json.value(u"kind"_s).toString(), u"properties-set"_s);
        QCOMPARE(json.value(u"location"_s).toString(), u"sequences/dispatch:Seq.xml:3:5"_s);
        QCOMPARE(json.value(u"peer"_s).toString(), u"backend"_s);
        QCOMPARE(json.value(u"payload"_s).toString(), u"{\"n\":1} é"_s);
        QCOMPARE(json.value(u"properties"_s).toArray().at(1).toObject().value(u"scope"_s),
                 QJsonValue(u"axis2"_s));

        const std::optional<MessageEvent> back = messageEventFromJson(json);
        QVERIFY(back);
        QCOMPARE(back->id, event.id);
        QCOMPARE(back->timestampMs, event.timestampMs);
        QCOMPARE(back->kind, event.kind);
        QCOMPARE(back->connectionId, event.connectionId);
        QCOMPARE(back->messageId, event.messageId);
        QCOMPARE(back->artifact, event.artifact);
        QCOMPARE(back->mediator, event.mediator);
        QCOMPARE(back->location, event.location); // a ':' inside the file name survives
        QCOMPARE(back->peer, event.peer);
        QCOMPARE(back->opcode, event.opcode);
        QCOMPARE(back->size, event.size);
        QCOMPARE(back->closeCode, event.closeCode);
        QCOMPARE(back->closeReason, event.closeReason);
        QCOMPARE(back->headers, event.headers);
        QCOMPARE(back->subprotocol, event.subprotocol);
        QCOMPARE(back->properties.size(), 2);
        QCOMPARE(back->properties.at(0).name, u"OUT_ONLY"_s);
        QCOMPARE(back->properties.at(0).value.toString(), u"true"_s);
        QCOMPARE(back->properties.at(1).scope, PropertyScope::Axis2);
        QCOMPARE(back->properties.at(1).value.toInt(), 3);
        QCOMPARE(back->category, event.category);
        QCOMPARE(back->text, event.text);
        QCOMPARE(back->payload, event.payload);
    }

    void binaryPayloadsTravelAsBase64_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("opcode");
        QTest::newRow("invalid UTF-8 in a text event")
            << QByteArray("\xff\xfe\x00\x01", 4) << int(EventOpcode::Text);
        QTest::newRow("binary frame that happens to be ASCII")
            << QByteArray("abc") << int(EventOpcode::Binary);
        QTest::newRow("binary frame with zero bytes")
            << QByteArray("\x00\x00\x80", 3) << int(EventOpcode::Binary);
    }

    void binaryPayloadsTravelAsBase64()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, opcode);
        MessageEvent event;
        event.id = 1;
        event.kind = MessageEventKind::FrameIn;
        event.opcode = EventOpcode(opcode);
        event.size = payload.size();
        event.payload = payload;
        const QJsonObject json = messageEventToJson(event);
        QVERIFY(!json.contains(u"payload"_s));
        QCOMPARE(json.value(u"payloadBase64"_s).toString().toLatin1(), payload.toBase64());
        const std::optional<MessageEvent> back = messageEventFromJson(json);
        QVERIFY(back);
        QCOMPARE(back->payload, payload);
        QCOMPARE(back->opcode, EventOpcode(opcode));
    }

    void emptyFieldsAreLeftOut()
    {
        MessageEvent event;
        event.id = 5;
        event.timestampMs = 10;
        event.kind = MessageEventKind::Log;
        event.text = u"hello"_s;
        const QJsonObject json = messageEventToJson(event);
        QCOMPARE(json.keys(), (QStringList{u"id"_s, u"kind"_s, u"text"_s, u"time"_s}));
    }

    void frameEventsKeepAZeroSize()
    {
        MessageEvent event;
        event.id = 6;
        event.kind = MessageEventKind::FrameOut;
        event.opcode = EventOpcode::Text;
        const QJsonObject json = messageEventToJson(event);
        QVERIFY(json.contains(u"size"_s));
        QCOMPARE(json.value(u"size"_s).toInt(), 0);
        QVERIFY(!json.contains(u"payload"_s));
    }

    void everyKindHasANameThatReadsBack()
    {
        for (int k = int(MessageEventKind::ConnectionOpened); k <= int(MessageEventKind::Fault);
             ++k) {
            const auto kind = MessageEventKind(k);
            QCOMPARE(messageEventKindFromName(messageEventKindName(kind)), kind);
        }
        QVERIFY(!messageEventKindFromName(u"frame-sideways"_s));
    }

    void somethingElseIsNotAnEvent_data()
    {
        QTest::addColumn<QJsonObject>("object");
        QTest::newRow("empty") << QJsonObject();
        QTest::newRow("no id") << QJsonObject{{u"kind"_s, u"log"_s}};
        QTest::newRow("unknown kind") << QJsonObject{{u"id"_s, 1}, {u"kind"_s, u"nope"_s}};
        QTest::newRow("dropped notice") << QJsonObject{{u"dropped"_s, 3}};
    }

    void somethingElseIsNotAnEvent()
    {
        QFETCH(QJsonObject, object);
        QVERIFY(!messageEventFromJson(object));
    }
};

QTEST_GUILESS_MAIN(TestMessageEventJson)
#include "tst_message_event_json.moc"
