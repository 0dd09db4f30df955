// SPDX-License-Identifier: Apache-2.0
// MI's formatter choice (engine/mediation/message_formatter.*): the axis2 messageType or
// ContentType decides how a payload leaves, JSON as XML and back through the <jsonObject>
// mapping, text/plain as the text of Synapse's <text> wrapper.
#include "mediation/ascii_text.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediation/message_formatter.h"

#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;

class TestMessageFormatter : public QObject {
    Q_OBJECT

    std::shared_ptr<MediationEnvironment> m_environment = std::make_shared<MediationEnvironment>();

    std::shared_ptr<MessageContext> message(const QByteArray &payload, const QString &contentType)
    {
        auto context = std::make_shared<MessageContext>(m_environment);
        context->setReceivedPayload(payload, contentType, FrameKind::Text);
        return context;
    }

private slots:
    // The case-insensitive tests the formatter and the payload views use on content types.
    void asciiTokens()
    {
        QVERIFY(containsAsciiNoCase(u"Application/JSON; charset=utf-8", QLatin1String("json")));
        QVERIFY(containsAsciiNoCase(u"json", QLatin1String("json")));
        QVERIFY(!containsAsciiNoCase(u"jso", QLatin1String("json")));
        QVERIFY(!containsAsciiNoCase(u"text/plain", QLatin1String("xml")));
        QVERIFY(equalsAsciiNoCase(u"TEXT/XML", QLatin1String("text/xml")));
        QVERIFY(!equalsAsciiNoCase(u"text/xml2", QLatin1String("text/xml")));
        QVERIFY(endsWithAsciiNoCase(u"application/soap+XML", QLatin1String("+xml")));
        QVERIFY(!endsWithAsciiNoCase(u"xml", QLatin1String("+xml")));
        QVERIFY(startsWithAsciiNoCase(u"Text/Plain", QLatin1String("text/")));
        // Only ASCII letters fold: a non-ASCII letter never matches an ASCII one.
        QVERIFY(!equalsAsciiNoCase(u"J\u017FON", QLatin1String("json")));
    }

    void convertsToTheChosenFormat_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("property"); // axis2 property that chooses the format
        QTest::addColumn<QString>("chosen");
        QTest::addColumn<QByteArray>("expected");

        const QString xml = u"application/xml"_s;
        const QString json = u"application/json"_s;
        const QString text = u"text/plain"_s;
        QTest::newRow("json object as xml")
            << QByteArray(R"({"order":{"id":7,"items":["a","b"],"paid":true}})") << json
            << u"messageType"_s << xml
            << QByteArray("<jsonObject><order><id>7</id><items>a</items><items>b</items>"
                          "<paid>true</paid></order></jsonObject>");
        QTest::newRow("top-level json array as text/xml")
            << QByteArray(R"([1,{"a":"x"}])") << json << u"messageType"_s << u"text/xml"_s
            << QByteArray("<jsonArray><jsonElement>1</jsonElement><jsonElement><a>x</a>"
                          "</jsonElement></jsonArray>");
        QTest::newRow("ContentType chooses when messageType is absent")
            << QByteArray(R"({"a":1})") << json << u"ContentType"_s << xml
            << QByteArray("<jsonObject><a>1</a></jsonObject>");
        QTest::newRow("xml as json keeps the root, repeats become an array")
            << QByteArray("<order><id>7</id><item>a</item><item>b</item></order>") << xml
            << u"messageType"_s << json << QByteArray(R"({"order":{"id":7,"item":["a","b"]}})");
        QTest::newRow("jsonObject root back to the object")
            << QByteArray("<jsonObject><a>1</a><b>x</b></jsonObject>") << u"text/xml"_s
            << u"messageType"_s << json << QByteArray(R"({"a":1,"b":"x"})");
        QTest::newRow("a json text frame typed text/plain is json")
            << QByteArray(R"({"a":1})") << text << u"messageType"_s << xml
            << QByteArray("<jsonObject><a>1</a></jsonObject>");
        QTest::newRow("text wrapper as text/plain")
            << QByteArray("<text xmlns=\"http://ws.apache.org/commons/ns/payload\">a &lt; b"
                          "</text>")
            << xml << u"messageType"_s << text << QByteArray("a < b");
        QTest::newRow("a text/plain body that looks like the wrapper stays text")
            << QByteArray("<text xmlns=\"http://ws.apache.org/commons/ns/payload\">a</text>")
            << text << u"ContentType"_s << text
            << QByteArray("<text xmlns=\"http://ws.apache.org/commons/ns/payload\">a</text>");
        QTest::newRow("other xml as text/plain stays xml")
            << QByteArray("<a>1</a>") << xml << u"messageType"_s << text << QByteArray("<a>1</a>");
        QTest::newRow("json as text/plain stays json")
            << QByteArray(R"({"a":1})") << json << u"messageType"_s << text
            << QByteArray(R"({"a":1})");
        QTest::newRow("plain text as xml is wrapped")
            << QByteArray("a < b") << text << u"messageType"_s << xml
            << QByteArray("<text xmlns=\"http://ws.apache.org/commons/ns/payload\">a &lt; b"
                          "</text>");
        QTest::newRow("form body is not converted")
            << QByteArray("<a>1</a>") << u"application/x-www-form-urlencoded"_s << u"messageType"_s
            << xml << QByteArray("<a>1</a>");
        QTest::newRow("malformed json leaves unchanged")
            << QByteArray(R"({"a":)") << json << u"messageType"_s << xml << QByteArray(R"({"a":)");
    }

    void convertsToTheChosenFormat()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, contentType);
        QFETCH(QString, property);
        QFETCH(QString, chosen);
        QFETCH(QByteArray, expected);
        auto context = message(payload, contentType);
        context->setProperty(property, chosen, PropertyScope::Axis2);
        QCOMPARE(outgoingContentType(*context), chosen);
        formatForTransport(*context);
        QCOMPARE(context->payload(), expected);
        if (expected != payload)
            QCOMPARE(context->contentType(), chosen);
    }

    void messageTypeWinsOverContentType()
    {
        auto context = message(QByteArrayLiteral(R"({"a":1})"), u"application/json"_s);
        context->setProperty(u"ContentType"_s, u"application/json"_s, PropertyScope::Axis2);
        context->setProperty(u"messageType"_s, u"text/xml"_s, PropertyScope::Axis2);
        formatForTransport(*context);
        QCOMPARE(context->payload(), QByteArrayLiteral("<jsonObject><a>1</a></jsonObject>"));
        QCOMPARE(context->contentType(), u"text/xml"_s);
    }

    void withoutAChoiceThePayloadIsUntouched()
    {
        auto context = message(QByteArrayLiteral(R"({"a":1})"), u"application/json"_s);
        formatForTransport(*context);
        QCOMPARE(context->payload(), QByteArrayLiteral(R"({"a":1})"));
        QVERIFY(!context->payloadModified());
    }
};

QTEST_GUILESS_MAIN(TestMessageFormatter)
#include "tst_message_formatter.moc"
