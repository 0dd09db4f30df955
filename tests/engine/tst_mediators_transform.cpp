// SPDX-License-Identifier: Apache-2.0
// The mediators that change the message: payloadFactory, enrich, header, makefault.
#include "mediation_fixture.h"

#include <QJsonObject>
#include <QTest>

using namespace sluice;
using namespace Qt::StringLiterals;
using sluice::test::MediationFixture;

namespace {

// A sequence whose body starts on line 2, so a mediator written first sits at 2:3.
QString seq(const QString &name, const QString &body)
{
    return QStringLiteral("<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"%1\">\n"
                          "  %2\n</sequence>\n")
        .arg(name, body);
}

const QString kJson = QStringLiteral("application/json");
const QString kXml = QStringLiteral("application/xml");
const QString kSoapEnvelope = QStringLiteral(
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">%1"
    "<soapenv:Body>%2</soapenv:Body></soapenv:Envelope>");

QString soap(const QString &body, const QString &header = QString())
{
    return kSoapEnvelope.arg(header, body);
}

} // namespace

class TestMediatorsTransform : public QObject {
    Q_OBJECT

private:
    // Runs `body` as sequence "s" on the payload; checks there is no fault.
    std::shared_ptr<MessageContext> runOk(MediationFixture &f, const QString &body,
                                          const QByteArray &payload, const QString &type)
    {
        if (!f.addArtifact(seq(u"s"_s, body)) || !f.compile()) {
            QTest::qFail(qPrintable(f.errors()), __FILE__, __LINE__);
            return nullptr;
        }
        auto message = f.run(u"s"_s, payload, type);
        if (message->hasFault()) {
            QTest::qFail(qPrintable(message->property(kErrorMessage).toString()), __FILE__,
                         __LINE__);
        }
        return message;
    }

private slots:
    void payloadFactory_data()
    {
        QTest::addColumn<QString>("mediator");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<QString>("expectedType");

        QTest::newRow("json: strings escaped, json values inserted")
            << QStringLiteral("<payloadFactory media-type=\"json\"><format>{\"name\":\"$1\","
                              "\"n\":$2,\"obj\":$3,\"greeting\":\"hi $1\",\"quoted\":\"$3\"}"
                              "</format><args><arg value='a\"b'/><arg evaluator=\"json\" "
                              "expression=\"$.n\"/><arg evaluator=\"json\" expression=\"$.o\"/>"
                              "</args></payloadFactory>")
            << QByteArrayLiteral(R"({"n":5,"o":{"k":[1,2]}})") << kJson
            << QByteArrayLiteral("{\"name\":\"a\\\"b\",\"n\":5,\"obj\":{\"k\":[1,2]},"
                                 "\"greeting\":\"hi a\\\"b\",\"quoted\":\"{\\\"k\\\":[1,2]}\"}")
            << kJson;
        QString tenArgs;
        for (int i = 1; i <= 10; ++i)
            tenArgs += QStringLiteral("<arg value=\"v%1\"/>").arg(i);
        QTest::newRow("text: $10 is the tenth argument")
            << QStringLiteral("<payloadFactory media-type=\"text\"><format>$10-$1-$2</format>"
                              "<args>%1</args></payloadFactory>")
                   .arg(tenArgs)
            << QByteArrayLiteral("{}") << kJson << QByteArrayLiteral("v10-v1-v2")
            << u"text/plain"_s;
        QTest::newRow("xml: synapse namespace inherited, text escaped")
            << QStringLiteral("<payloadFactory><format><order><id>$1</id><note>$2</note></order>"
                              "</format><args><arg expression=\"//id\"/><arg value=\"a &amp; "
                              "b\"/></args></payloadFactory>")
            << QByteArrayLiteral("<in><id>7</id></in>") << kXml
            << QByteArrayLiteral("<order xmlns=\"http://ws.apache.org/ns/synapse\"><id>7</id>"
                                 "<note>a &amp; b</note></order>")
            << kXml;
        QTest::newRow("xml: xmlns=\"\" leaves the namespace out")
            << QStringLiteral("<payloadFactory media-type=\"xml\"><format><order xmlns=\"\">"
                              "<id>$1</id></order></format><args><arg "
                              "expression=\"json-eval($.id)\"/></args></payloadFactory>")
            << QByteArrayLiteral(R"({"id":"x<y"})") << kJson
            << QByteArrayLiteral("<order><id>x&lt;y</id></order>") << kXml;
        QTest::newRow("xml: an XML argument is inserted as XML")
            << QStringLiteral("<payloadFactory><format><wrap xmlns=\"\">$1</wrap></format><args>"
                              "<arg expression=\"//item\"/></args></payloadFactory>")
            << QByteArrayLiteral("<in><item><x>1</x></item></in>") << kXml
            << QByteArrayLiteral("<wrap><item><x>1</x></item></wrap>") << kXml;
        QTest::newRow("xml: a JSON argument becomes XML")
            << QStringLiteral("<payloadFactory><format><r xmlns=\"\">$1</r></format><args>"
                              "<arg evaluator=\"json\" expression=\"$.o\"/></args>"
                              "</payloadFactory>")
            << QByteArrayLiteral(R"({"o":{"k":"v","m":1}})") << kJson
            << QByteArrayLiteral("<r><k>v</k><m>1</m></r>") << kXml;
        QTest::newRow("json: an XML argument becomes JSON")
            << QStringLiteral("<payloadFactory media-type=\"json\"><format>{\"item\":$1}</format>"
                              "<args><arg expression=\"//item\"/></args></payloadFactory>")
            << QByteArrayLiteral("<in><item><x>1</x></item></in>") << kXml
            << QByteArrayLiteral(R"({"item":{"item":{"x":1}}})") << kJson;
        QTest::newRow("json: literal keeps XML a string")
            << QStringLiteral("<payloadFactory media-type=\"json\"><format>{\"x\":\"$1\"}"
                              "</format><args><arg expression=\"//item\" literal=\"true\"/>"
                              "</args></payloadFactory>")
            << QByteArrayLiteral("<in><item><x>1</x></item></in>") << kXml
            << QByteArrayLiteral(R"({"x":"<item><x>1</x></item>"})") << kJson;
        QTest::newRow("json: QUOTE_STRING_IN_PAYLOAD_FACTORY_JSON quotes bare strings")
            << QStringLiteral("<property name=\"QUOTE_STRING_IN_PAYLOAD_FACTORY_JSON\" "
                              "value=\"true\"/><payloadFactory media-type=\"json\"><format>"
                              "{\"a\":$1,\"b\":$2}</format><args><arg value=\"abc\"/><arg "
                              "value=\"5\"/></args></payloadFactory>")
            << QByteArrayLiteral("{}") << kJson << QByteArrayLiteral(R"({"a":"abc","b":5})")
            << kJson;
        QTest::newRow("text")
            << QStringLiteral("<payloadFactory media-type=\"text\"><format>Hello $1!</format>"
                              "<args><arg expression=\"json-eval($.name)\"/></args>"
                              "</payloadFactory>")
            << QByteArrayLiteral(R"({"name":"Ada"})") << kJson << QByteArrayLiteral("Hello Ada!")
            << u"text/plain"_s;
        QTest::newRow("xml into a SOAP body")
            << QStringLiteral("<payloadFactory><format><new xmlns=\"\">$1</new></format><args>"
                              "<arg value=\"x\"/></args></payloadFactory>")
            << soap(u"<old/>"_s).toUtf8() << u"text/xml"_s << soap(u"<new>x</new>"_s).toUtf8()
            << u"text/xml"_s;
    }
    void payloadFactory()
    {
        QFETCH(QString, mediator);
        QFETCH(QByteArray, payload);
        QFETCH(QString, type);
        QFETCH(QByteArray, expected);
        QFETCH(QString, expectedType);
        MediationFixture f;
        auto message = runOk(f, mediator, payload, type);
        QVERIFY(message);
        QCOMPARE(message->payload(), expected);
        QCOMPARE(message->contentType(), expectedType);
        QVERIFY(message->payloadModified());
    }

    void payloadFactoryFormatFromALocalEntry()
    {
        MediationFixture f;
        QVERIFY(
            f.addArtifact(QStringLiteral("<localEntry xmlns=\"http://ws.apache.org/ns/synapse\" "
                                         "key=\"tpl\">{\"x\":\"$1\"}</localEntry>"),
                          u"tpl.xml"_s));
        auto message = runOk(f,
                             QStringLiteral("<payloadFactory media-type=\"json\"><format "
                                            "key=\"tpl\"/><args><arg value=\"1\"/></args>"
                                            "</payloadFactory>"),
                             QByteArrayLiteral("{}"), kJson);
        QVERIFY(message);
        QCOMPARE(message->payload(), QByteArrayLiteral(R"({"x":"1"})"));
    }

    void payloadFactoryRunTimeFaults()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"s"_s, QStringLiteral("<payloadFactory media-type=\"json\"><format>{\"a\":"
                                       "$1}</format><args><arg value=\"not json\"/></args>"
                                       "</payloadFactory>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        QVERIFY(message->property(kErrorMessage)
                    .toString()
                    .startsWith(u"payloadFactory: the result is not JSON"_s));
        QCOMPARE(message->payload(), QByteArrayLiteral("{}"));
    }

    void header_data()
    {
        QTest::addColumn<QString>("mediator");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("expected");
        const QString header = QStringLiteral("<soapenv:Header><m:Trace "
                                              "xmlns:m=\"urn:m\">abc</m:Trace></soapenv:Header>");
        QTest::newRow("set a SOAP header")
            << QStringLiteral("<header xmlns:m=\"urn:m\" name=\"m:Trace\" value=\"abc\"/>")
            << soap(u"<a/>"_s).toUtf8() << soap(u"<a/>"_s, header).toUtf8();
        QTest::newRow("replace a SOAP header")
            << QStringLiteral("<header xmlns:m=\"urn:m\" name=\"m:Trace\" "
                              "expression=\"'abc'\"/>")
            << soap(u"<a/>"_s, u"<soapenv:Header><m:Trace xmlns:m=\"urn:m\">old</m:Trace>"
                               "</soapenv:Header>"_s)
                   .toUtf8()
            << soap(u"<a/>"_s, header).toUtf8();
        QTest::newRow("remove a SOAP header")
            << QStringLiteral("<header xmlns:m=\"urn:m\" name=\"m:Trace\" action=\"remove\"/>")
            << soap(u"<a/>"_s, header).toUtf8() << soap(u"<a/>"_s, u"<soapenv:Header/>"_s).toUtf8();
        QTest::newRow("inline header block")
            << QStringLiteral("<header><m:Sec xmlns:m=\"urn:m\"><m:t>1</m:t></m:Sec></header>")
            << soap(u"<a/>"_s).toUtf8()
            << soap(u"<a/>"_s, u"<soapenv:Header><m:Sec xmlns:m=\"urn:m\"><m:t>1</m:t></m:Sec>"
                               "</soapenv:Header>"_s)
                   .toUtf8();
    }
    void header()
    {
        QFETCH(QString, mediator);
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, expected);
        MediationFixture f;
        auto message = runOk(f, mediator, payload, u"text/xml"_s);
        QVERIFY(message);
        QCOMPARE(message->payload(), expected);
    }

    void transportHeadersAndTo()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"s"_s, QStringLiteral("<header name=\"X-Trace\" scope=\"transport\" "
                                       "expression=\"json-eval($.id)\"/>\n"
                                       "  <header name=\"X-Old\" scope=\"transport\" "
                                       "action=\"remove\"/>\n"
                                       "  <header name=\"To\" value=\"ws://b:1/x\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral(R"({"id":"t1"})"));
        message->setProperty(u"X-Old"_s, u"x"_s, PropertyScope::Transport);
        f.run(u"s"_s, message);
        QCOMPARE(message->property(u"X-Trace"_s, PropertyScope::Transport), QVariant(u"t1"_s));
        QVERIFY(!message->hasProperty(u"X-Old"_s, PropertyScope::Transport));
        QCOMPARE(message->toAddress(), u"ws://b:1/x"_s);
        QVERIFY(!message->payloadModified());
    }

    void soapHeaderOnAPlainPayloadFaults()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<header xmlns:m=\"urn:m\" "
                                                         "name=\"m:Trace\" value=\"1\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        QCOMPARE(message->property(kErrorMessage).toString(),
                 u"header 'm:Trace': the payload is not a SOAP envelope, so it has no SOAP "
                 "header (use scope=\"transport\" for a transport header)"_s);
    }

    void makefault_data()
    {
        QTest::addColumn<QString>("mediator");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<QString>("expectedType");
        QTest::addColumn<bool>("response");
        QTest::newRow("soap11")
            << QStringLiteral("<makefault version=\"soap11\" response=\"true\"><code "
                              "xmlns:soap11Env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                              "value=\"soap11Env:Client\"/><reason "
                              "expression=\"get-property('why')\"/><role>urn:role</role>"
                              "<detail>bad &amp; wrong</detail></makefault>")
            << QByteArrayLiteral("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/"
                                 "soap/envelope/\"><soapenv:Body><soapenv:Fault><faultcode>"
                                 "soapenv:Client</faultcode><faultstring>no &lt;good&gt;"
                                 "</faultstring><faultactor>urn:role</faultactor><detail>bad "
                                 "&amp; wrong</detail></soapenv:Fault></soapenv:Body>"
                                 "</soapenv:Envelope>")
            << u"text/xml"_s << true;
        QTest::newRow("soap12 with a code of its own")
            << QStringLiteral("<makefault version=\"soap12\"><code xmlns:e=\"urn:err\" "
                              "value=\"e:Broken\"/><reason value=\"r\"/><node>n</node>"
                              "<detail><d xmlns=\"\">1</d></detail></makefault>")
            << QByteArrayLiteral("<soapenv:Envelope xmlns:soapenv=\"http://www.w3.org/2003/05/"
                                 "soap-envelope\"><soapenv:Body><soapenv:Fault><soapenv:Code>"
                                 "<soapenv:Value xmlns:e=\"urn:err\">e:Broken</soapenv:Value>"
                                 "</soapenv:Code><soapenv:Reason><soapenv:Text xml:lang=\"en\">r"
                                 "</soapenv:Text></soapenv:Reason><soapenv:Node>n</soapenv:Node>"
                                 "<soapenv:Detail><d>1</d></soapenv:Detail></soapenv:Fault>"
                                 "</soapenv:Body></soapenv:Envelope>")
            << u"application/soap+xml"_s << false;
        QTest::newRow("pox") << QStringLiteral("<makefault version=\"pox\"><reason "
                                               "value=\"oops &lt;1&gt;\"/></makefault>")
                             << QByteArrayLiteral("<Exception>oops &lt;1&gt;</Exception>")
                             << u"application/xml"_s << false;
        QTest::newRow("pox detail wins")
            << QStringLiteral("<makefault version=\"pox\"><reason value=\"r\"/><detail "
                              "expression=\"get-property('why')\"/></makefault>")
            << QByteArrayLiteral("<Exception>no &lt;good&gt;</Exception>") << u"application/xml"_s
            << false;
    }
    void makefault()
    {
        QFETCH(QString, mediator);
        QFETCH(QByteArray, expected);
        QFETCH(QString, expectedType);
        QFETCH(bool, response);
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, mediator)));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral("{}"));
        message->setProperty(u"why"_s, u"no <good>"_s);
        f.run(u"s"_s, message);
        QVERIFY2(!message->hasFault(), qPrintable(message->property(kErrorMessage).toString()));
        QCOMPARE(message->payload(), expected);
        QCOMPARE(message->contentType(), expectedType);
        QCOMPARE(message->direction() == Direction::Outflow, response);
        QVERIFY2(message->xmlDocument(), "the fault is well-formed XML");
    }

    void enrichXml_data()
    {
        QTest::addColumn<QString>("mediators");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray ab = QByteArrayLiteral("<o><a>1</a><b>2</b></o>");
        QTest::newRow("custom replace")
            << QStringLiteral("<enrich><source xpath=\"//a\"/><target xpath=\"//b\"/></enrich>")
            << ab << QByteArrayLiteral("<o><a>1</a><a>1</a></o>");
        QTest::newRow("custom child")
            << QStringLiteral("<enrich><source xpath=\"//a\"/><target xpath=\"//b\" "
                              "action=\"child\"/></enrich>")
            << ab << QByteArrayLiteral("<o><a>1</a><b>2<a>1</a></b></o>");
        QTest::newRow("custom sibling")
            << QStringLiteral("<enrich><source xpath=\"//a\"/><target xpath=\"//b\" "
                              "action=\"sibling\"/></enrich>")
            << ab << QByteArrayLiteral("<o><a>1</a><b>2</b><a>1</a></o>");
        QTest::newRow("clone false moves the source")
            << QStringLiteral("<enrich><source xpath=\"//a\" clone=\"false\"/><target "
                              "xpath=\"//b\" action=\"child\"/></enrich>")
            << ab << QByteArrayLiteral("<o><b>2<a>1</a></b></o>");
        QTest::newRow("text replaces the text of an element")
            << QStringLiteral("<enrich><source xpath=\"//a/text()\"/><target xpath=\"//b\"/>"
                              "</enrich>")
            << ab << QByteArrayLiteral("<o><a>1</a><b>1</b></o>");
        QTest::newRow("inline element as a child of the body")
            << QStringLiteral("<enrich><source type=\"inline\"><c xmlns=\"\">3</c></source>"
                              "<target type=\"body\" action=\"child\"/></enrich>")
            << ab << QByteArrayLiteral("<o><a>1</a><b>2</b><c>3</c></o>");
        QTest::newRow("property into the body")
            << QStringLiteral("<property name=\"p\" type=\"OM\"><n xmlns=\"\">9</n></property>"
                              "<enrich><source type=\"property\" property=\"p\"/><target "
                              "type=\"body\"/></enrich>")
            << ab << QByteArrayLiteral("<n>9</n>");
        QTest::newRow("inline text into an attribute")
            << QStringLiteral("<enrich><source type=\"inline\">y</source><target "
                              "xpath=\"//@a\"/></enrich>")
            << QByteArrayLiteral("<o a=\"x\"/>") << QByteArrayLiteral("<o a=\"y\"/>");
        QTest::newRow("SOAP body replaced")
            << QStringLiteral("<enrich><source type=\"inline\"><new xmlns=\"\"/></source>"
                              "<target type=\"body\"/></enrich>")
            << soap(u"<old/>"_s).toUtf8() << soap(u"<new/>"_s).toUtf8();
    }
    void enrichXml()
    {
        QFETCH(QString, mediators);
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, expected);
        MediationFixture f;
        auto message = runOk(f, mediators, payload, kXml);
        QVERIFY(message);
        QCOMPARE(message->payload(), expected);
    }

    void enrichIntoProperties()
    {
        MediationFixture f;
        auto message = runOk(f,
                             QStringLiteral("<enrich><source type=\"body\"/><target "
                                            "type=\"property\" property=\"body\"/></enrich>"
                                            "<enrich><source type=\"envelope\"/><target "
                                            "type=\"property\" property=\"env\"/></enrich>"),
                             QByteArrayLiteral("<o><a>1</a></o>"), kXml);
        QVERIFY(message);
        QCOMPARE(message->property(u"body"_s), QVariant(u"<o><a>1</a></o>"_s));
        QCOMPARE(message->property(u"env"_s), QVariant(u"<o><a>1</a></o>"_s));
        QVERIFY(!message->payloadModified());
    }

    void enrichJson_data()
    {
        QTest::addColumn<QString>("mediators");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray ab = QByteArrayLiteral(R"({"a":{"x":1},"b":2})");
        QTest::newRow("json-eval replace")
            << QStringLiteral("<enrich><source xpath=\"json-eval($.a)\"/><target "
                              "xpath=\"json-eval($.b)\"/></enrich>")
            << ab << QByteArrayLiteral(R"({"a":{"x":1},"b":{"x":1}})");
        QTest::newRow("json-eval creates the last member")
            << QStringLiteral("<enrich><source xpath=\"json-eval($.a.x)\"/><target "
                              "xpath=\"json-eval($.c)\"/></enrich>")
            << ab << QByteArrayLiteral(R"({"a":{"x":1},"b":2,"c":1})");
        QTest::newRow("child of an array")
            << QStringLiteral("<enrich><source type=\"inline\">{\"n\":2}</source><target "
                              "xpath=\"json-eval($.list)\" action=\"child\"/></enrich>")
            << QByteArrayLiteral(R"({"list":[1]})") << QByteArrayLiteral(R"({"list":[1,{"n":2}]})");
        QTest::newRow("child of an object")
            << QStringLiteral("<enrich><source type=\"inline\">{\"z\":true}</source><target "
                              "xpath=\"json-eval($.a)\" action=\"child\"/></enrich>")
            << ab << QByteArrayLiteral(R"({"a":{"x":1,"z":true},"b":2})");
        QTest::newRow("property into the body")
            << QStringLiteral("<property name=\"p\" type=\"JSON\" value='{\"k\":1}'/><enrich>"
                              "<source type=\"property\" property=\"p\"/><target type=\"body\"/>"
                              "</enrich>")
            << ab << QByteArrayLiteral(R"({"k":1})");
        QTest::newRow("xpath edits the XML view of JSON")
            << QStringLiteral("<enrich><source xpath=\"//a\"/><target xpath=\"//b\"/></enrich>")
            << QByteArrayLiteral(R"({"a":1,"b":2})") << QByteArrayLiteral(R"({"a":[1,1]})");
        QTest::newRow("inline array replaces the body")
            << QStringLiteral("<enrich><source type=\"inline\">[1,2]</source><target "
                              "type=\"body\"/></enrich>")
            << ab << QByteArrayLiteral("[1,2]");
    }
    void enrichJson()
    {
        QFETCH(QString, mediators);
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, expected);
        MediationFixture f;
        auto message = runOk(f, mediators, payload, kJson);
        QVERIFY(message);
        QCOMPARE(message->payload(), expected);
        QCOMPARE(message->contentType(), kJson);
    }

    void enrichJsonBodyIntoAProperty()
    {
        MediationFixture f;
        auto message = runOk(f,
                             QStringLiteral("<enrich><source type=\"body\"/><target "
                                            "type=\"property\" property=\"saved\"/></enrich>"),
                             QByteArrayLiteral(R"({"k":"v"})"), kJson);
        QVERIFY(message);
        QCOMPARE(message->property(u"saved"_s),
                 QVariant(QJsonValue(QJsonObject{{u"k"_s, u"v"_s}})));
        QVERIFY(!message->payloadModified());
    }

    void enrichMissingJsonTargetFaults()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"s"_s, QStringLiteral("<enrich><source type=\"inline\">1</source><target "
                                       "xpath=\"json-eval($.x.y)\"/></enrich>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        QCOMPARE(message->property(kErrorMessage).toString(), u"enrich: $.x does not exist"_s);
    }

    void buildErrors_data()
    {
        QTest::addColumn<QString>("mediator");
        QTest::addColumn<QString>("expected");
        QTest::newRow("freemarker")
            << QStringLiteral("<payloadFactory template-type=\"freemarker\"><format>{}</format>"
                              "</payloadFactory>")
            << QStringLiteral("test.xml:2:19: freemarker templates are not supported");
        QTest::newRow("media type")
            << QStringLiteral("<payloadFactory media-type=\"yaml\"><format>a</format>"
                              "</payloadFactory>")
            << QStringLiteral("test.xml:2:19: invalid value 'yaml' for 'media-type' on "
                              "<payloadFactory>; allowed: xml, json, text");
        QTest::newRow("no format") << QStringLiteral("<payloadFactory/>")
                                   << QStringLiteral("test.xml:2:3: <payloadFactory> needs a "
                                                     "<format>");
        QTest::newRow("more placeholders than args")
            << QStringLiteral("<payloadFactory media-type=\"text\"><format>$1 $3</format><args>"
                              "<arg value=\"a\"/><arg value=\"b\"/></args></payloadFactory>")
            << QStringLiteral("test.xml:2:37: <format> uses $3 but <args> has 2 <arg>");
        QTest::newRow("arg without value")
            << QStringLiteral("<payloadFactory media-type=\"text\"><format>$1</format><args>"
                              "<arg/></args></payloadFactory>")
            << QStringLiteral("test.xml:2:62: <arg> needs exactly one of 'value' and "
                              "'expression'");
        QTest::newRow("payloadFactory unknown element")
            << QStringLiteral("<payloadFactory><template/></payloadFactory>")
            << QStringLiteral("test.xml:2:3: <payloadFactory> needs a <format>\n"
                              "test.xml:2:19: unknown element <template> in <payloadFactory>");
        QTest::newRow("header undeclared prefix")
            << QStringLiteral("<header name=\"p:x\" value=\"1\"/>")
            << QStringLiteral("test.xml:2:11: header name 'p:x' uses the undeclared namespace "
                              "prefix 'p'");
        QTest::newRow("header addressing")
            << QStringLiteral("<header name=\"Action\" value=\"1\"/>")
            << QStringLiteral("test.xml:2:11: the WS-Addressing header 'Action' is not supported "
                              "(of the WS-Addressing headers only 'To' is)");
        QTest::newRow("header scope")
            << QStringLiteral("<header name=\"X\" scope=\"session\" value=\"1\"/>")
            << QStringLiteral("test.xml:2:20: invalid value 'session' for 'scope' on <header>; "
                              "allowed: default, transport");
        QTest::newRow("header without value")
            << QStringLiteral("<header name=\"X\" scope=\"transport\"/>")
            << QStringLiteral("test.xml:2:3: <header> needs the attribute 'value' or "
                              "'expression'");
        QTest::newRow("makefault without code")
            << QStringLiteral("<makefault><reason value=\"r\"/></makefault>")
            << QStringLiteral("test.xml:2:3: <makefault> needs a <code> (unless "
                              "version=\"pox\")");
        QTest::newRow("makefault undeclared prefix")
            << QStringLiteral("<makefault><code value=\"x:Client\"/><reason value=\"r\"/>"
                              "</makefault>")
            << QStringLiteral("test.xml:2:20: fault code 'x:Client' uses the undeclared "
                              "namespace prefix 'x'");
        QTest::newRow("makefault version")
            << QStringLiteral("<makefault version=\"soap13\"><code value=\"Client\"/><reason "
                              "value=\"r\"/></makefault>")
            << QStringLiteral("test.xml:2:14: invalid value 'soap13' for 'version' on "
                              "<makefault>; allowed: soap11, soap12, pox");
        QTest::newRow("enrich combination")
            << QStringLiteral("<enrich><source type=\"body\"/><target type=\"body\"/></enrich>")
            << QStringLiteral("test.xml:2:32: <enrich> cannot combine source type 'body' with "
                              "target type 'body'");
        QTest::newRow("enrich remove")
            << QStringLiteral("<enrich><source type=\"body\"/><target action=\"remove\" "
                              "xpath=\"//a\"/></enrich>")
            << QStringLiteral("test.xml:2:40: target action 'remove' is not supported; allowed: "
                              "replace, child, sibling");
        QTest::newRow("enrich json sibling")
            << QStringLiteral("<enrich><source type=\"body\"/><target xpath=\"json-eval($.a)\" "
                              "action=\"sibling\"/></enrich>")
            << QStringLiteral("test.xml:2:63: action 'sibling' is not supported for a json-eval "
                              "target; allowed: replace, child");
        QTest::newRow("enrich custom without xpath")
            << QStringLiteral("<enrich><source/><target type=\"body\"/></enrich>")
            << QStringLiteral("test.xml:2:11: <source> needs the attribute 'xpath'");
        QTest::newRow("enrich key target")
            << QStringLiteral("<enrich><source type=\"body\"/><target type=\"key\"/></enrich>")
            << QStringLiteral("test.xml:2:40: target type 'key' is not supported; allowed: "
                              "custom, envelope, body, property");
        QTest::newRow("enrich without target")
            << QStringLiteral("<enrich><source type=\"body\"/></enrich>")
            << QStringLiteral("test.xml:2:3: <enrich> needs a <target>");
        QTest::newRow("enrich inline XML into json")
            << QStringLiteral("<enrich><source type=\"inline\"><a/></source><target "
                              "xpath=\"json-eval($.a)\"/></enrich>")
            << QStringLiteral("test.xml:2:54: <enrich> cannot write XML (an XPath or inline XML "
                              "source) into a json-eval target");
        QTest::newRow("enrich replace json root")
            << QStringLiteral("<enrich><source type=\"body\"/><target xpath=\"json-eval($)\"/>"
                              "</enrich>")
            << QStringLiteral("test.xml:2:40: replacing the root $ with a custom target is not "
                              "supported; use type=\"body\" action=\"replace\"");
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

QTEST_GUILESS_MAIN(TestMediatorsTransform)
#include "tst_mediators_transform.moc"
