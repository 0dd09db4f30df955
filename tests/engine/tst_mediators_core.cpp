// SPDX-License-Identifier: Apache-2.0
// The core mediators (property, log, sequence, respond, drop) and fault handling: onError, a
// named fault sequence, the built-in fault sequence, ERROR_* properties.
#include "mediation/executor.h"
#include "mediation/expressions/expression.h"
#include "mediation/message_formatter.h"
#include "mediation_fixture.h"

#include <QJsonObject>
#include <QTest>
#include <atomic>
#include <thread>

using namespace sluice;
using namespace Qt::StringLiterals;
using sluice::test::MediationFixture;

namespace {

// A sequence whose body starts on line 2, so a mediator written first sits at 2:3.
QString seq(const QString &name, const QString &body, const QString &attributes = QString())
{
    return QStringLiteral("<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"%1\"%2>\n"
                          "  %3\n</sequence>\n")
        .arg(name, attributes, body);
}

QString compileError(const QString &expression)
{
    QString error;
    Expression::compile(expression, {}, &error);
    return error;
}

class RecordingObserver : public MediationObserver {
public:
    void mediatorEntered(const MessageContext &, const Mediator &mediator) override
    {
        entered.append(mediator.elementName());
    }
    void faultRaised(const MessageContext &, const QString &reason) override
    {
        faults.append(reason);
    }
    void logged(const MessageContext &, const QString &category, const QString &line) override
    {
        lines.append(category + QLatin1Char('|') + line);
    }
    QStringList entered;
    QStringList faults;
    QStringList lines;
};

} // namespace

class TestMediatorsCore : public QObject {
    Q_OBJECT

private slots:
    void propertySetsTypedValues_data()
    {
        QTest::addColumn<QString>("attributes");
        QTest::addColumn<QVariant>("expected");
        QTest::newRow("string default") << QStringLiteral("value=\"abc\"") << QVariant(u"abc"_s);
        QTest::newRow("boolean true")
            << QStringLiteral("value=\"TRUE\" type=\"BOOLEAN\"") << QVariant(true);
        QTest::newRow("boolean other is false (Java)")
            << QStringLiteral("value=\"maybe\" type=\"BOOLEAN\"") << QVariant(false);
        QTest::newRow("integer") << QStringLiteral("value=\"-42\" type=\"INTEGER\"")
                                 << QVariant(-42);
        QTest::newRow("long") << QStringLiteral("value=\"9000000000\" type=\"LONG\"")
                              << QVariant(9000000000LL);
        QTest::newRow("double") << QStringLiteral("value=\"2.5\" type=\"DOUBLE\"") << QVariant(2.5);
        QTest::newRow("json object") << QStringLiteral("value='{\"a\":1}' type=\"JSON\"")
                                     << QVariant(QJsonValue(QJsonObject{{u"a"_s, 1}}));
        QTest::newRow("json string")
            << QStringLiteral("value='\"x\"' type=\"JSON\"") << QVariant(QJsonValue(u"x"_s));
        QTest::newRow("expression")
            << QStringLiteral("expression=\"json-eval($.n)\" type=\"INTEGER\"") << QVariant(7);
        QTest::newRow("json from json-eval")
            << QStringLiteral("expression=\"json-eval($.o)\" type=\"JSON\"")
            << QVariant(QJsonValue(QJsonObject{{u"k"_s, u"v"_s}}));
        QTest::newRow("pattern group")
            << QStringLiteral("value=\"id-123-x\" pattern=\"id-(\\d+)-.*\" group=\"1\"")
            << QVariant(u"123"_s);
        QTest::newRow("pattern without a match is empty")
            << QStringLiteral("value=\"nope\" pattern=\"id-(\\d+)\" group=\"1\"")
            << QVariant(QString());
    }
    void propertySetsTypedValues()
    {
        QFETCH(QString, attributes);
        QFETCH(QVariant, expected);
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"s"_s, QStringLiteral("<property name=\"p\" %1/>").arg(attributes))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral(R"({"n":"7","o":{"k":"v"}})"));
        QVERIFY2(!message->hasFault(), qPrintable(message->property(kErrorMessage).toString()));
        const QVariant value = message->property(u"p"_s);
        QCOMPARE(value.metaType(), expected.metaType());
        QCOMPARE(value, expected);
    }

    void propertyScopesAndRemove()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"s"_s, QStringLiteral("<property name=\"a\" value=\"1\" scope=\"axis2\"/>\n"
                                       "  <property name=\"X-H\" value=\"h\" "
                                       "scope=\"transport\"/>\n"
                                       "  <property name=\"o\" value=\"2\" "
                                       "scope=\"operation\"/>\n"
                                       "  <property name=\"gone\" action=\"remove\"/>\n"
                                       "  <property name=\"X-Old\" action=\"remove\" "
                                       "scope=\"transport\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral("{}"));
        message->setProperty(u"gone"_s, u"x"_s);
        message->setProperty(u"X-Old"_s, u"x"_s, PropertyScope::Transport);
        f.run(u"s"_s, message);
        QCOMPARE(message->property(u"a"_s, PropertyScope::Axis2), QVariant(u"1"_s));
        QCOMPARE(message->property(u"X-H"_s, PropertyScope::Transport), QVariant(u"h"_s));
        QCOMPARE(message->property(u"o"_s, PropertyScope::Operation), QVariant(u"2"_s));
        QVERIFY(!message->hasProperty(u"gone"_s));
        QVERIFY(!message->hasProperty(u"X-Old"_s, PropertyScope::Transport));
        QVERIFY(!message->payloadModified());
    }

    void propertyInlineXmlValue()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<property name=\"x\" type=\"OM\"><a "
                                                         "xmlns=\"\"><b>1</b></a></property>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        QCOMPARE(message->property(u"x"_s).toString(), u"<a><b>1</b></a>"_s);
    }

    void propertyOfAnElementIsItsMarkup()
    {
        // Synapse's stringValueOf(): an element without text of its own reads as its XML.
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<property name=\"xml\" "
                                                         "expression=\"//a\"/>\n"
                                                         "  <property name=\"text\" "
                                                         "expression=\"//b\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("<r><a><b>1</b></a></r>"), u"text/xml"_s);
        QCOMPARE(message->property(u"xml"_s), QVariant(u"<a><b>1</b></a>"_s));
        QCOMPARE(message->property(u"text"_s), QVariant(u"1"_s));
    }

    void messageTypeChangesOnlyTheOutgoingFormat()
    {
        // As in MI, the property picks the formatter used when the message leaves
        // (tst_message_formatter); the mediators after it still see the JSON payload.
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"s"_s, QStringLiteral("<property name=\"messageType\" "
                                       "value=\"application/xml\" scope=\"axis2\"/>\n"
                                       "  <property name=\"a\" expression=\"json-eval($.a)\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral(R"({"a":1})"));
        QCOMPARE(message->property(u"a"_s).toString(), u"1"_s);
        QCOMPARE(message->payload(), QByteArrayLiteral(R"({"a":1})"));
        formatForTransport(*message);
        QCOMPARE(message->contentType(), u"application/xml"_s);
        QCOMPARE(message->payload(), QByteArrayLiteral("<jsonObject><a>1</a></jsonObject>"));
    }

    void propertyExpressionOfTheWrongTypeFaults()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s,
                                  QStringLiteral("<property name=\"n\" expression=\"'abc'\" "
                                                 "type=\"INTEGER\"/>\n"
                                                 "  <log level=\"custom\"><property name=\"never\" "
                                                 "value=\"x\"/></log>"),
                                  QStringLiteral(" onError=\"handler\""))));
        QVERIFY(f.addArtifact(
            seq(u"handler"_s, QStringLiteral("<log level=\"custom\"><property name=\"code\" "
                                             "expression=\"get-property('ERROR_CODE')\"/>"
                                             "<property name=\"why\" "
                                             "expression=\"get-property('ERROR_MESSAGE')\"/>"
                                             "</log>")),
            u"handler.xml"_s));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        QVERIFY(message->hasFault());
        QCOMPARE(f.logLines(),
                 QStringList{u"INFO [LogMediator] code = 101500, why = property 'n': the result "
                             "of ''abc'' cannot be used: 'abc' is not a valid INTEGER"_s});
        QCOMPARE(f.completions(), 1);
    }

    void logLineFormats_data()
    {
        QTest::addColumn<QString>("log");
        QTest::addColumn<QString>("expected"); // %1, if any: the message id
        QTest::newRow("simple") << QStringLiteral("<log/>")
                                << QStringLiteral("INFO [LogMediator] To: , MessageID: "
                                                  "urn:uuid:%1, Direction: request");
        QTest::newRow("simple with properties")
            << QStringLiteral("<log category=\"WARN\"><property name=\"A\" value=\"1\"/>"
                              "<property name=\"B\" expression=\"json-eval($.b)\"/></log>")
            << QStringLiteral("WARN [LogMediator] To: , MessageID: urn:uuid:%1, Direction: "
                              "request, A = 1, B = two");
        QTest::newRow("headers")
            << QStringLiteral("<log level=\"headers\" category=\"DEBUG\"/>")
            << QStringLiteral("DEBUG [LogMediator] To: , MessageID: urn:uuid:%1, Direction: "
                              "request, X-A = a, X-B = b");
        QTest::newRow("full") << QStringLiteral("<log level=\"full\" category=\"ERROR\"/>")
                              << QStringLiteral(
                                     "ERROR [LogMediator] To: , MessageID: urn:uuid:%1, Direction: "
                                     "request, Payload: {\"b\":\"two\"}");
        QTest::newRow("custom with separator")
            << QStringLiteral("<log level=\"custom\" separator=\" | \" category=\"TRACE\">"
                              "<property name=\"A\" value=\"1\"/><property name=\"C\" "
                              "value=\"3\"/></log>")
            << QStringLiteral("TRACE [LogMediator] A = 1 | C = 3");
        QTest::newRow("fatal is logged as an error")
            << QStringLiteral("<log level=\"custom\" category=\"FATAL\"><property name=\"A\" "
                              "value=\"1\"/></log>")
            << QStringLiteral("ERROR [LogMediator] A = 1");
    }
    void logLineFormats()
    {
        QFETCH(QString, log);
        QFETCH(QString, expected);
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, log)));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral(R"({"b":"two"})"));
        message->setProperty(u"X-B"_s, u"b"_s, PropertyScope::Transport);
        message->setProperty(u"X-A"_s, u"a"_s, PropertyScope::Transport);
        f.run(u"s"_s, message);
        const QString line =
            expected.contains(u"%1"_s) ? expected.arg(message->messageId()) : expected;
        QCOMPARE(f.logLines(), QStringList{line});
        QVERIFY(!message->payloadModified());
    }

    void logFullOfBinaryPayloadAndResponse()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<log level=\"full\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArray("\x01\x02\x03", 3), u"application/octet-stream"_s);
        message->setReceivedPayload(QByteArray("\x01\x02\x03", 3), u"application/octet-stream"_s,
                                    FrameKind::Binary);
        message->setDirection(Direction::Outflow);
        message->setToAddress(u"ws://backend/x"_s);
        f.run(u"s"_s, message);
        QCOMPARE(f.logLines(),
                 QStringList{QStringLiteral("INFO [LogMediator] To: ws://backend/x, MessageID: "
                                            "urn:uuid:%1, Direction: response, Payload: <binary 3 "
                                            "bytes>")
                                 .arg(message->messageId())});
    }

    void logReachesTheObserver()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<log level=\"custom\" category=\"WARN\">"
                                                         "<property name=\"A\" value=\"1\"/>"
                                                         "</log>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        RecordingObserver observer;
        f.environment()->setObserver(&observer);
        f.run(u"s"_s, QByteArrayLiteral("{}"));
        QCOMPARE(observer.lines, QStringList{u"WARN|A = 1"_s});
        QCOMPARE(observer.entered, QStringList{u"log"_s});
        f.environment()->setObserver(nullptr);
    }

    void sequenceReferencesAndInlineSequences()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"main"_s, QStringLiteral("<sequence key=\"sub\"/>\n"
                                          "  <sequence><property name=\"inline\" "
                                          "value=\"yes\"/></sequence>\n"
                                          "  <property name=\"target\" value=\"sub2\"/>\n"
                                          "  <sequence key=\"{get-property('target')}\"/>\n"
                                          "  <property name=\"after\" value=\"yes\"/>"))));
        QVERIFY(f.addArtifact(seq(u"sub"_s, QStringLiteral("<property name=\"sub\" "
                                                           "value=\"yes\"/>")),
                              u"sub.xml"_s));
        QVERIFY(f.addArtifact(seq(u"sub2"_s, QStringLiteral("<property name=\"sub2\" "
                                                            "value=\"yes\"/>")),
                              u"sub2.xml"_s));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"main"_s, QByteArrayLiteral("{}"));
        for (const char *name : {"sub", "inline", "sub2", "after"})
            QCOMPARE(message->property(QString::fromLatin1(name)), QVariant(u"yes"_s));
        QVERIFY(message->execution().finished);
    }

    void dynamicSequenceKeyThatDoesNotExistFaults()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"main"_s, QStringLiteral("<sequence key=\"{get-property('t')}\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral("{}"));
        message->setProperty(u"t"_s, u"nowhere"_s);
        f.run(u"main"_s, message);
        QCOMPARE(message->property(kErrorMessage).toString(),
                 u"sequence: the sequence 'nowhere' (from the key "
                 "'{get-property('t')}') does not exist"_s);
    }

    void respondAndDrop()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"r"_s, QStringLiteral("<respond/>\n"
                                                         "  <property name=\"after\" "
                                                         "value=\"x\"/>"))));
        QVERIFY(f.addArtifact(seq(u"d"_s, QStringLiteral("<drop/>\n"
                                                         "  <property name=\"after\" "
                                                         "value=\"x\"/>")),
                              u"d.xml"_s));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto responded = f.run(u"r"_s, QByteArrayLiteral(R"({"a":1})"));
        QCOMPARE(f.responses().responses.size(), 1);
        QCOMPARE(f.responses().responses.first().payload, QByteArrayLiteral(R"({"a":1})"));
        QVERIFY(!responded->hasProperty(u"after"_s));
        QCOMPARE(responded->direction(), Direction::Outflow);

        auto dropped = f.run(u"d"_s, QByteArrayLiteral("{}"));
        QVERIFY(!dropped->hasProperty(u"after"_s));
        QCOMPARE(f.responses().responses.size(), 1);
        QVERIFY(f.sender().sent.isEmpty());
        QCOMPARE(f.completions(), 2);
    }

    void respondWithoutAClientFaults()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"r"_s, QStringLiteral("<respond/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral("{}"));
        message->setResponseChannel(nullptr);
        f.run(u"r"_s, message);
        QCOMPARE(message->property(kErrorMessage).toString(),
                 u"respond: the message has no client connection to respond to"_s);
        QVERIFY(f.logContains(u"ERROR_MESSAGE = respond: the message has no client"_s));
    }

    void namedFaultSequenceSeesTheErrorProperties()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"main"_s, QStringLiteral("<sequence key=\"{'missing'}\"/>"))));
        QVERIFY(f.addArtifact(
            seq(u"myFault"_s, QStringLiteral("<property name=\"seen\" "
                                             "expression=\"get-property('ERROR_CODE')\"/>\n"
                                             "  <respond/>")),
            u"fault.xml"_s));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral("{}"));
        Executor::start(message, f.environment()->sequence(u"main"_s), u"myFault"_s);
        QCOMPARE(message->property(u"seen"_s), QVariant(u"0"_s));
        QCOMPARE(f.responses().responses.size(), 1);
        QVERIFY(!f.logContains(u"Executing default 'fault' sequence"_s));
    }

    void defaultFaultSequenceLogsTheError()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"main"_s, QStringLiteral("<property name=\"n\" "
                                                            "expression=\"json-eval($.a)\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"main"_s, QByteArrayLiteral("<a/>"), u"application/xml"_s);
        QVERIFY(message->hasFault());
        const QString reason = message->property(kErrorMessage).toString();
        QVERIFY2(reason.startsWith(u"property 'n': "_s), qPrintable(reason));
        QCOMPARE(f.logLines(),
                 QStringList{QStringLiteral("INFO [LogMediator] To: , MessageID: urn:uuid:%1, "
                                            "Direction: request, MESSAGE = Executing default "
                                            "'fault' sequence, ERROR_CODE = 101500, "
                                            "ERROR_MESSAGE = %2, Payload: <a/>")
                                 .arg(message->messageId())
                                 .arg(reason)});
        QVERIFY(f.responses().responses.isEmpty());
    }

    void mediatorsAreSharedAcrossThreads()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"s"_s, QStringLiteral("<property name=\"n\" expression=\"json-eval($.n)\"/>\n"
                                       "  <filter source=\"get-property('n')\" "
                                       "regex=\"[0-9]+\"><then><payloadFactory "
                                       "media-type=\"json\"><format>{\"twice\":\"$1$1\"}"
                                       "</format><args><arg "
                                       "expression=\"get-property('n')\"/></args>"
                                       "</payloadFactory></then></filter>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        const auto sequence = f.environment()->sequence(u"s"_s);
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 100; ++i) {
                    const int n = t * 1000 + i;
                    auto message = std::make_shared<MessageContext>(f.environment());
                    message->setReceivedPayload(QStringLiteral("{\"n\":%1}").arg(n).toUtf8(),
                                                u"application/json"_s, FrameKind::Text);
                    Executor::start(message, sequence);
                    if (message->payload() !=
                        QStringLiteral("{\"twice\":\"%1%1\"}").arg(n).toUtf8())
                        ++wrong;
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(wrong.load(), 0);
    }

    void buildErrors_data()
    {
        QTest::addColumn<QString>("mediator");
        QTest::addColumn<QString>("expected");
        QTest::newRow("log level")
            << QStringLiteral("<log level=\"loud\"/>")
            << QStringLiteral("test.xml:2:8: invalid value 'loud' for 'level' on <log>; allowed: "
                              "simple, headers, full, custom");
        QTest::newRow("log category")
            << QStringLiteral("<log category=\"info\"/>")
            << QStringLiteral("test.xml:2:8: invalid value 'info' for 'category' on <log>; "
                              "allowed: INFO, DEBUG, WARN, ERROR, TRACE, FATAL");
        QTest::newRow("log unknown element")
            << QStringLiteral("<log><foo/></log>")
            << QStringLiteral("test.xml:2:8: unknown element <foo> in <log>");
        QTest::newRow("log unknown attribute")
            << QStringLiteral("<log colour=\"red\"/>")
            << QStringLiteral("test.xml:2:8: unknown attribute 'colour' on <log>; allowed: "
                              "level, category, separator, description");
        QTest::newRow("log property without a name")
            << QStringLiteral("<log><property value=\"x\"/></log>")
            << QStringLiteral("test.xml:2:8: <property> needs the attribute 'name'");
        QTest::newRow("log property with value and expression")
            << QStringLiteral("<log><property name=\"a\" value=\"x\" expression=\"'y'\"/></log>")
            << QStringLiteral("test.xml:2:8: <property> has both 'value' and 'expression'; give "
                              "only one");
        QTest::newRow("log property expression")
            << QStringLiteral("<log><property name=\"a\" expression=\"//[\"/></log>")
            << QStringLiteral("test.xml:2:27: invalid expression in 'expression': %1")
                   .arg(compileError(u"//["_s));
        QTest::newRow("property scope")
            << QStringLiteral("<property name=\"a\" value=\"b\" scope=\"foo\"/>")
            << QStringLiteral("test.xml:2:32: invalid value 'foo' for 'scope' on <property>; "
                              "allowed: default, axis2, transport, axis2-client, operation");
        QTest::newRow("property type")
            << QStringLiteral("<property name=\"a\" value=\"b\" type=\"FOO\"/>")
            << QStringLiteral("test.xml:2:32: invalid value 'FOO' for 'type' on <property>; "
                              "allowed: STRING, BOOLEAN, INTEGER, LONG, SHORT, DOUBLE, FLOAT, "
                              "JSON, OM");
        QTest::newRow("property action")
            << QStringLiteral("<property name=\"a\" action=\"delete\"/>")
            << QStringLiteral("test.xml:2:22: invalid value 'delete' for 'action' on <property>; "
                              "allowed: set, remove");
        QTest::newRow("property integer value")
            << QStringLiteral("<property name=\"a\" value=\"abc\" type=\"INTEGER\"/>")
            << QStringLiteral("test.xml:2:22: property 'a': value 'abc' is not a valid INTEGER");
        QTest::newRow("property json value")
            << QStringLiteral("<property name=\"a\" value=\"{x\" type=\"JSON\"/>")
            << QStringLiteral("test.xml:2:22: property 'a': value '{x' is not JSON (%1)")
                   .arg(QStringLiteral("unterminated object"));
        QTest::newRow("property without value")
            << QStringLiteral("<property name=\"a\"/>")
            << QStringLiteral("test.xml:2:3: <property> needs the attribute 'value' or "
                              "'expression' (or action=\"remove\")");
        QTest::newRow("property without name")
            << QStringLiteral("<property value=\"a\"/>")
            << QStringLiteral("test.xml:2:3: <property> needs the attribute 'name'");
        QTest::newRow("property expression")
            << QStringLiteral("<property name=\"a\" expression=\"//[\"/>")
            << QStringLiteral("test.xml:2:22: invalid expression in 'expression': %1")
                   .arg(compileError(u"//["_s));
        QTest::newRow("property pattern")
            << QStringLiteral("<property name=\"a\" value=\"b\" pattern=\"(\"/>")
            << QStringLiteral("test.xml:2:32: invalid regular expression in 'pattern': missing "
                              "closing parenthesis (at offset 1)");
        QTest::newRow("property value and expression")
            << QStringLiteral("<property name=\"a\" value=\"b\" expression=\"'c'\"/>")
            << QStringLiteral("test.xml:2:3: <property> has more than one of 'value', "
                              "'expression' and an inline XML value; give only one");
        QTest::newRow("sequence with key and children")
            << QStringLiteral("<sequence key=\"x\"><drop/></sequence>")
            << QStringLiteral("test.xml:2:21: <sequence key=\"x\"> refers to another sequence "
                              "and cannot have mediators of its own");
        QTest::newRow("sequence dynamic key")
            << QStringLiteral("<sequence key=\"{//[}\"/>")
            << QStringLiteral("test.xml:2:13: invalid expression in 'key': %1")
                   .arg(compileError(u"//["_s));
        QTest::newRow("respond child")
            << QStringLiteral("<respond><log/></respond>")
            << QStringLiteral("test.xml:2:12: unknown element <log> in <respond>");
        QTest::newRow("drop attribute")
            << QStringLiteral("<drop now=\"yes\"/>")
            << QStringLiteral("test.xml:2:9: unknown attribute 'now' on <drop>; allowed: "
                              "description");
        QTest::newRow("unknown mediator")
            << QStringLiteral("<aggregate/>")
            << QStringLiteral("test.xml:2:3: unknown mediator <aggregate>");
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

QTEST_GUILESS_MAIN(TestMediatorsCore)
#include "tst_mediators_core.moc"
