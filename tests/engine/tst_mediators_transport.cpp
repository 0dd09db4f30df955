// SPDX-License-Identifier: Apache-2.0
// send and call: endpoints (inline, by key, implicit), the disabled WebSocket sender, replies
// that resume a call, and the WSO2 "WebSocket endpoint" example's dispatchSeq.
#include "mediation/executor.h"
#include "mediation_fixture.h"

#include <QTest>
#include <QTimer>

using namespace sluice;
using namespace Qt::StringLiterals;
using sluice::test::MediationFixture;
using sluice::test::RecordingSender;

namespace {

// A sequence whose body starts on line 2, so a mediator written first sits at 2:3.
QString seq(const QString &name, const QString &body)
{
    return QStringLiteral("<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"%1\">\n"
                          "  %2\n</sequence>\n")
        .arg(name, body);
}

// The backend-mediation sequence of WSO2 MI's "Using a WebSocket Endpoint" example, as written.
const QString kDispatchSeq = QStringLiteral(
    "<sequence name=\"dispatchSeq\" xmlns=\"http://ws.apache.org/ns/synapse\">\n"
    "    <property name=\"OUT_ONLY\" value=\"true\"/>\n"
    "    <property name=\"FORCE_SC_ACCEPTED\" scope=\"axis2\" type=\"STRING\" value=\"true\"/>\n"
    "    <property name=\"websocket.accept.contenType\" scope=\"axis2\" "
    "value=\"application/json\"/>\n"
    "     <send>\n"
    "        <endpoint>\n"
    "             <address uri=\"ws://localhost:8082/websocket\"/>\n"
    "        </endpoint>\n"
    "    </send>\n"
    "</sequence>\n");
const QString kOutDispatchSeq =
    QStringLiteral("<sequence name=\"outDispatchSeq\" xmlns=\"http://ws.apache.org/ns/synapse\">\n"
                   "   <log level=\"full\"/>\n"
                   "</sequence>\n");

const QString kDisabledReason =
    QStringLiteral("the WebSocket sender is disabled: set [transport.ws] sender.enable = true in "
                   "deployment.toml");

} // namespace

class TestMediatorsTransport : public QObject {
    Q_OBJECT

private slots:
    void seedDispatchSeqSendsTheFrameUntouched()
    {
        MediationFixture f;
        f.config().ws.enabled = true;
        QVERIFY(f.addArtifact(kDispatchSeq, u"sequences/dispatchSeq.xml"_s));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        const QByteArray frame = QByteArrayLiteral(R"({"symbol": "WSO2", "qty": 3})");
        auto message = f.run(u"dispatchSeq"_s, frame);
        QVERIFY2(!message->hasFault(), qPrintable(message->property(kErrorMessage).toString()));
        QCOMPARE(f.sender().sent.size(), 1);
        const RecordingSender::Sent &sent = f.sender().sent.first();
        QCOMPARE(sent.uri, u"ws://localhost:8082/websocket"_s);
        QCOMPARE(sent.mode, MessageSender::Mode::Send);
        QCOMPARE(sent.payload, frame);
        QVERIFY(!sent.payloadModified);
        QCOMPARE(sent.contentType, u"application/json"_s);
        QCOMPARE(sent.defaultProperties.value(u"OUT_ONLY"_s), QVariant(u"true"_s));
        QCOMPARE(sent.axis2Properties.value(u"FORCE_SC_ACCEPTED"_s), QVariant(u"true"_s));
        QCOMPARE(sent.axis2Properties.value(u"websocket.accept.contenType"_s),
                 QVariant(u"application/json"_s));
        QCOMPARE(sent.axis2Properties.size(), 2);
        QCOMPARE(message->toAddress(), u"ws://localhost:8082/websocket"_s);
        QVERIFY(message->execution().finished);
        QCOMPARE(f.completions(), 1);
    }

    void seedDispatchSeqWithTheSenderDisabledFaults()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(kDispatchSeq, u"sequences/dispatchSeq.xml"_s));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"dispatchSeq"_s, QByteArrayLiteral(R"({"a":1})"));
        QVERIFY(f.sender().sent.isEmpty());
        QCOMPARE(message->property(kErrorCode), QVariant(u"101501"_s));
        QCOMPARE(message->property(kErrorMessage), QVariant(kDisabledReason));
        QCOMPARE(f.logLines(),
                 QStringList{QStringLiteral("INFO [LogMediator] To: ws://localhost:8082/websocket, "
                                            "MessageID: urn:uuid:%1, Direction: request, "
                                            "MESSAGE = Executing default 'fault' sequence, "
                                            "ERROR_CODE = 101501, ERROR_MESSAGE = %2, "
                                            "Payload: {\"a\":1}")
                                 .arg(message->messageId())
                                 .arg(kDisabledReason)});
    }

    void seedProxyFaultSequenceGetsTheMessage()
    {
        // websocketProxy1's <target faultSequence="outDispatchSeq">: the proxy's handler runs.
        MediationFixture f;
        QVERIFY(f.addArtifact(kDispatchSeq, u"sequences/dispatchSeq.xml"_s));
        QVERIFY(f.addArtifact(kOutDispatchSeq, u"sequences/outDispatchSeq.xml"_s));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral(R"({"a":1})"));
        Executor::start(message, f.environment()->sequence(u"dispatchSeq"_s), u"outDispatchSeq"_s);
        QCOMPARE(f.logLines(),
                 QStringList{QStringLiteral("INFO [LogMediator] To: ws://localhost:8082/websocket, "
                                            "MessageID: urn:uuid:%1, Direction: request, "
                                            "Payload: {\"a\":1}")
                                 .arg(message->messageId())});
        QCOMPARE(message->property(kErrorMessage), QVariant(kDisabledReason));
    }

    void secureSenderDisabled()
    {
        MediationFixture f;
        f.config().ws.enabled = true; // ws on says nothing about wss
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<send><endpoint><address "
                                                         "uri=\"wss://backend:8443/x\"/>"
                                                         "</endpoint></send>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        QCOMPARE(message->property(kErrorMessage).toString(),
                 u"the WebSocket sender is disabled: set [transport.wss] sender.enable = true "
                 "in deployment.toml"_s);
        QCOMPARE(message->property(kErrorCode), QVariant(u"101501"_s));
    }

    void sendToANamedEndpointAndReceive()
    {
        MediationFixture f;
        f.config().ws.enabled = true;
        QVERIFY(f.addArtifact(QStringLiteral("<endpoint xmlns=\"http://ws.apache.org/ns/synapse\" "
                                             "name=\"backend\"><address uri=\"ws://b:1/x\"/>"
                                             "</endpoint>"),
                              u"backend.xml"_s));
        QVERIFY(f.addArtifact(QStringLiteral("<endpoint xmlns=\"http://ws.apache.org/ns/synapse\" "
                                             "name=\"alias\" key=\"backend\"/>"),
                              u"alias.xml"_s));
        QVERIFY(f.addArtifact(seq(u"replies"_s, QStringLiteral("<drop/>")), u"replies.xml"_s));
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<send receive=\"replies\"><endpoint "
                                                         "key=\"alias\"/></send>\n"
                                                         "  <property name=\"after\" "
                                                         "value=\"send goes on\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        QCOMPARE(f.sender().sent.size(), 1);
        QCOMPARE(f.sender().sent.first().uri, u"ws://b:1/x"_s);
        QCOMPARE(f.sender().sent.first().defaultProperties.value(u"RECEIVING_SEQUENCE"_s),
                 QVariant(u"replies"_s));
        QCOMPARE(message->property(u"after"_s), QVariant(u"send goes on"_s));
    }

    void httpEndpointTemplateFillsUriVariables()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"s"_s, QStringLiteral("<property name=\"uri.var.id\" value=\"42\"/>\n"
                                       "  <send><endpoint><http method=\"get\" "
                                       "uri-template=\"http://b:8080/orders/{uri.var.id}\"/>"
                                       "</endpoint></send>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        QCOMPARE(f.sender().sent.size(), 1);
        QCOMPARE(message->toAddress(), u"http://b:8080/orders/42"_s);
    }

    void sendWithoutAnEndpoint_data()
    {
        QTest::addColumn<QString>("to");
        QTest::addColumn<bool>("response");
        QTest::addColumn<int>("sent");
        QTest::addColumn<int>("responded");
        QTest::addColumn<QString>("fault");
        QTest::newRow("request to its To address")
            << u"http://b/x"_s << false << 1 << 0 << QString();
        QTest::newRow("response goes back to the client")
            << QString() << true << 0 << 1 << QString();
        QTest::newRow("request without a To address")
            << QString() << false << 0 << 0
            << u"send: there is no endpoint and the message has no To address"_s;
        QTest::newRow("no sender for the scheme")
            << u"ftp://files/x"_s << false << 0 << 0
            << u"send: no sender for the scheme 'ftp' of 'ftp://files/x'"_s;
    }
    void sendWithoutAnEndpoint()
    {
        QFETCH(QString, to);
        QFETCH(bool, response);
        QFETCH(int, sent);
        QFETCH(int, responded);
        QFETCH(QString, fault);
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<send/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral("{}"));
        message->setToAddress(to);
        if (response)
            message->setDirection(Direction::Outflow);
        f.run(u"s"_s, message);
        QCOMPARE(f.sender().sent.size(), sent);
        QCOMPARE(f.responses().responses.size(), responded);
        QCOMPARE(message->property(kErrorMessage).toString(), fault);
    }

    void callResumesWithTheReply()
    {
        MediationFixture f;
        f.config().ws.enabled = true;
        QVERIFY(
            f.addArtifact(seq(u"s"_s, QStringLiteral("<call><endpoint><address uri=\"ws://b:1/x\"/>"
                                                     "</endpoint></call>\n"
                                                     "  <property name=\"reply\" "
                                                     "expression=\"json-eval($.answer)\"/>\n"
                                                     "  <respond/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        // The reply arrives later, from the event loop, as a real sender's would.
        f.sender().callHandler = [](const std::shared_ptr<MessageContext> &message,
                                    const EndpointDefinition &) {
            QTimer::singleShot(0, [message] {
                message->setPayload(QByteArrayLiteral(R"({"answer":42})"), u"application/json"_s);
                Executor::resume(message);
            });
        };
        auto message = f.run(u"s"_s, QByteArrayLiteral(R"({"question":"?"})"));
        QCOMPARE(f.sender().sent.size(), 1);
        QCOMPARE(f.sender().sent.first().mode, MessageSender::Mode::Call);
        QCOMPARE(f.sender().sent.first().payload, QByteArrayLiteral(R"({"question":"?"})"));
        QVERIFY(message->execution().suspended);
        QCOMPARE(f.completions(), 0);
        QTRY_COMPARE(f.completions(), 1);
        QCOMPARE(message->property(u"reply"_s), QVariant(u"42"_s));
        QCOMPARE(f.responses().responses.size(), 1);
        QCOMPARE(f.responses().responses.first().payload, QByteArrayLiteral(R"({"answer":42})"));
    }

    void callThatFailsRunsTheFaultHandler()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"s"_s, QStringLiteral("<call><endpoint><address uri=\"http://b:1/x\"/>"
                                       "</endpoint></call>\n"
                                       "  <property name=\"after\" value=\"x\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        f.sender().callHandler = [](const std::shared_ptr<MessageContext> &message,
                                    const EndpointDefinition &) {
            Executor::resumeWithFault(message, ErrorCodes::kConnectionFailed,
                                      u"connection refused"_s);
        };
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        QVERIFY(!message->hasProperty(u"after"_s));
        QCOMPARE(message->property(kErrorCode), QVariant(u"101503"_s));
        QVERIFY(f.logContains(u"ERROR_MESSAGE = connection refused"_s));
        QCOMPARE(f.completions(), 1);
        // Resumed inside the call: the flow ended, it is not left marked as suspended.
        QVERIFY(!message->execution().suspended);
        QVERIFY(message->execution().finished);
    }

    void buildErrors_data()
    {
        QTest::addColumn<QString>("mediator");
        QTest::addColumn<QString>("expected");
        QTest::newRow("blocking call")
            << QStringLiteral("<call blocking=\"true\"/>")
            << QStringLiteral("test.xml:2:9: blocking calls are not supported; they would stall "
                              "the event loop");
        QTest::newRow("call source")
            << QStringLiteral("<call><source type=\"body\"/></call>")
            << QStringLiteral("test.xml:2:9: <source> in <call> is not supported; use <enrich> "
                              "or <property> before and after the call instead");
        QTest::newRow("call blocking value")
            << QStringLiteral("<call blocking=\"yes\"/>")
            << QStringLiteral("test.xml:2:9: invalid value 'yes' for 'blocking' on <call>; "
                              "allowed: true, false");
        QTest::newRow("send unknown child")
            << QStringLiteral("<send><target/></send>")
            << QStringLiteral("test.xml:2:9: unknown element <target> in <send>");
        QTest::newRow("send two endpoints")
            << QStringLiteral("<send><endpoint key=\"a\"/><endpoint key=\"b\"/></send>")
            << QStringLiteral("test.xml:2:9: endpoint 'a' does not exist\n"
                              "test.xml:2:28: <send> has more than one <endpoint>");
        QTest::newRow("send buildmessage")
            << QStringLiteral("<send buildmessage=\"maybe\"/>")
            << QStringLiteral("test.xml:2:9: invalid value 'maybe' for 'buildmessage' on <send>; "
                              "allowed: true, false");
        QTest::newRow("send unknown receive sequence")
            << QStringLiteral("<send receive=\"nope\"/>")
            << QStringLiteral("test.xml:2:3: sequence 'nope' does not exist");
    }
    void buildErrors()
    {
        QFETCH(QString, mediator);
        QFETCH(QString, expected);
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, mediator)));
        QVERIFY(!f.compile());
        QCOMPARE(f.errors(), expected);
    }
};

QTEST_GUILESS_MAIN(TestMediatorsTransport)
#include "tst_mediators_transport.moc"
