// SPDX-License-Identifier: Apache-2.0
// Synapse XPath expressions over MessageContext: payload forms, get-property() in every scope,
// the Synapse variables, result kinds, compile-time and run-time errors, hostile XML.

#include "mediation/expressions/expression.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>
#include <atomic>
#include <libxml/tree.h>
#include <thread>

using namespace sluice;

namespace {

const QString kXml = QStringLiteral("application/xml");
const QString kJson = QStringLiteral("application/json");
const QString kBinary = QStringLiteral("application/octet-stream");

const QByteArray kOrderXml = QByteArrayLiteral(
    "<order status=\"new\"><id>42</id><item>a</item><item>b</item><note>x &amp; y</note>"
    "</order>");
const QByteArray kNamespacedXml =
    QByteArrayLiteral("<m:order xmlns:m=\"urn:shop\"><m:id>7</m:id><id>plain</id></m:order>");
const QByteArray kDefaultNamespaceXml =
    QByteArrayLiteral("<order xmlns=\"urn:shop\"><id>9</id></order>");
const QByteArray kOrderJson = QByteArrayLiteral(
    R"({"order":{"id":5,"paid":true,"items":[{"n":"a"},{"n":"b"}],"customer":{"name":"Ada"}}})");
const QByteArray kArrayJson = QByteArrayLiteral("[1,2,3]");
const QByteArray kBinaryBytes = QByteArray("\x00\x01\x02\xff\xfe binary", 13);

QHash<QString, QString> parseNamespaces(const QString &text)
{
    QHash<QString, QString> namespaces;
    for (const QString &pair : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        namespaces.insert(pair.left(eq), pair.mid(eq + 1));
    }
    return namespaces;
}

} // namespace

class TestExpressions : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<MediationEnvironment> m_env;

    std::shared_ptr<MessageContext> message(const QByteArray &payload, const QString &type)
    {
        auto msg = std::make_shared<MessageContext>(m_env);
        msg->setPayload(payload, type);
        msg->setProperty(QStringLiteral("name"), QStringLiteral("Ada"));
        msg->setProperty(QStringLiteral("num"), 42);
        msg->setProperty(QStringLiteral("flag"), true);
        msg->setProperty(QStringLiteral("uri.var.id"), QStringLiteral("17"));
        msg->setProperty(QStringLiteral("query.param.q"), QStringLiteral("search"));
        msg->setProperty(QStringLiteral("HTTP_SC"), QStringLiteral("200"), PropertyScope::Axis2);
        msg->setProperty(QStringLiteral("Content-Type"), QStringLiteral("application/json"),
                         PropertyScope::Transport);
        msg->setProperty(QStringLiteral("X-Trace"), QStringLiteral("t-1"),
                         PropertyScope::Transport);
        msg->setProperty(QStringLiteral("cp"), QStringLiteral("client"),
                         PropertyScope::Axis2Client);
        msg->setProperty(QStringLiteral("op"), QStringLiteral("operation"),
                         PropertyScope::Operation);
        msg->setToAddress(QStringLiteral("ws://backend:9000/echo"));
        return msg;
    }

    std::unique_ptr<Expression> compile(const QString &text,
                                        const QHash<QString, QString> &namespaces = {})
    {
        QString error;
        auto expression = Expression::compile(text, namespaces, &error);
        if (!expression)
            qWarning("compile failed: %s", qPrintable(error));
        return expression;
    }

private slots:
    void initTestCase()
    {
        qputenv("SLUICE_TEST_ENV", "from-env");
        m_env = std::make_shared<MediationEnvironment>();
        ArtifactSet artifacts;
        LocalEntry entry;
        entry.key = QStringLiteral("greeting");
        entry.text = QStringLiteral("hello from a local entry");
        artifacts.localEntries.push_back(entry);
        m_env->setArtifacts(artifacts, ProjectConfig());
    }

    void language_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("json");
        QTest::newRow("path") << QStringLiteral("/order/id") << false;
        QTest::newRow("ctx variable") << QStringLiteral("$ctx:name") << false;
        QTest::newRow("body") << QStringLiteral("$body/order") << false;
        QTest::newRow("json-eval") << QStringLiteral("json-eval($.a)") << true;
        QTest::newRow("json-eval spaced") << QStringLiteral("  json-eval ( $.a ) ") << true;
        QTest::newRow("bare dotted") << QStringLiteral("$.a.b") << true;
        QTest::newRow("bare bracket") << QStringLiteral("$['a']") << true;
    }
    void language()
    {
        QFETCH(QString, text);
        QFETCH(bool, json);
        auto expression = compile(text);
        QVERIFY(expression);
        QCOMPARE(expression->language(),
                 json ? Expression::Language::JsonPath : Expression::Language::XPath);
        QCOMPARE(expression->text(), text);
    }

    void xpathString_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("namespaces");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("expected");

        auto xml = [](const char *name, const char *expression, const char *expected) {
            QTest::newRow(name) << kOrderXml << kXml << QString() << QString::fromUtf8(expression)
                                << QString::fromUtf8(expected);
        };
        xml("absolute path", "/order/id", "42");
        xml("relative path", "order/id", "42");
        xml("descendant, first node", "//item", "a");
        xml("position predicate", "/order/item[2]", "b");
        xml("attribute", "/order/@status", "new");
        xml("entity reference decoded", "/order/note", "x & y");
        xml("count", "count(//item)", "2");
        xml("arithmetic", "/order/id * 2", "84");
        xml("fraction", "1 div 4", "0.25");
        xml("division by zero", "1 div 0", "Infinity");
        xml("concat", "concat(/order/id, '-', //item[1])", "42-a");
        xml("string-length", "string-length(/order/id)", "2");
        xml("name of the root", "name(/*)", "order");
        xml("missing node", "/order/missing", "");
        xml("body variable", "$body/order/id", "42");
        xml("body star", "name($body/*)", "order");
        xml("header is empty", "count($header/*)", "0");
        xml("boolean as string", "count(//item) = 2", "true");
        xml("union", "count(//id | //item)", "3");
        xml("translate", "translate(/order/@status, 'nw', 'NW')", "NeW");

        QTest::newRow("prefixed path") << kNamespacedXml << kXml << QStringLiteral("p=urn:shop")
                                       << QStringLiteral("/p:order/p:id") << QStringLiteral("7");
        QTest::newRow("unqualified child of prefixed root")
            << kNamespacedXml << kXml << QStringLiteral("p=urn:shop")
            << QStringLiteral("/p:order/id") << QStringLiteral("plain");
        QTest::newRow("local-name without namespaces")
            << kNamespacedXml << kXml << QString()
            << QStringLiteral("//*[local-name()='id' and namespace-uri()='urn:shop']")
            << QStringLiteral("7");
        QTest::newRow("default namespace needs a prefix")
            << kDefaultNamespaceXml << kXml << QStringLiteral("s=urn:shop")
            << QStringLiteral("/s:order/s:id") << QStringLiteral("9");
        QTest::newRow("default namespace, unprefixed finds nothing")
            << kDefaultNamespaceXml << kXml << QStringLiteral("s=urn:shop")
            << QStringLiteral("/order/id") << QString();
        QTest::newRow("synapse functions by namespace")
            << kOrderXml << kXml << QStringLiteral("syn=http://ws.apache.org/ns/synapse")
            << QStringLiteral("syn:get-property('name')") << QStringLiteral("Ada");
        QTest::newRow("variable prefixes win over user bindings")
            << kOrderXml << kXml << QStringLiteral("ctx=urn:other") << QStringLiteral("$ctx:name")
            << QStringLiteral("Ada");
        QTest::newRow("namespace-uri")
            << kDefaultNamespaceXml << kXml << QString() << QStringLiteral("namespace-uri(/*)")
            << QStringLiteral("urn:shop");

        auto json = [](const char *name, const char *expression, const char *expected) {
            const QString text = QString::fromUtf8(expression);
            QTest::newRow(name) << kOrderJson << kJson << QString() << text
                                << QString::fromUtf8(expected);
        };
        json("json: jsonObject path", "/jsonObject/order/id", "5");
        json("json: body variable", "$body/jsonObject/order/customer/name", "Ada");
        json("json: repeated array items", "//items[2]/n", "b");
        json("json: count array items", "count(//order/items)", "2");
        json("json: boolean text", "//paid", "true");
        json("json: root name", "name($body/*)", "jsonObject");
        QTest::newRow("json: top-level array")
            << kArrayJson << kJson << QString()
            << QStringLiteral(
                   "concat(count(/jsonArray/jsonElement), ':', /jsonArray/jsonElement[3])")
            << QStringLiteral("3:3");
        QTest::newRow("json sniffed without content type")
            << kOrderJson << QString() << QString() << QStringLiteral("//customer/name")
            << QStringLiteral("Ada");
    }
    void xpathString()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, contentType);
        QFETCH(QString, namespaces);
        QFETCH(QString, expression);
        QFETCH(QString, expected);
        auto compiled = compile(expression, parseNamespaces(namespaces));
        QVERIFY(compiled);
        QCOMPARE(compiled->language(), Expression::Language::XPath);
        auto msg = message(payload, contentType);
        QString error;
        const std::optional<QString> result = compiled->evaluateString(*msg, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(*result, expected);
        // Evaluating does not change the payload.
        QCOMPARE(msg->payload(), payload);
    }

    // get-property() and the Synapse variables: they never need the payload, so they are
    // evaluated over an XML, a JSON and a binary payload alike.
    void properties_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *expression, const char *expected) {
            QTest::newRow(expression)
                << QString::fromUtf8(expression) << QString::fromUtf8(expected);
        };
        row("get-property('name')", "Ada");
        row("get-property('num')", "42");
        row("get-property('flag')", "true");
        row("get-property('missing')", "");
        row("get-property('default', 'name')", "Ada");
        row("get-property('synapse', 'name')", "Ada");
        row("get-property('axis2', 'HTTP_SC')", "200");
        row("get-property('transport', 'X-Trace')", "t-1");
        row("get-property('transport', 'x-trace')", "t-1");
        row("get-property('axis2-client', 'cp')", "client");
        row("get-property('operation', 'op')", "operation");
        row("get-property('registry', 'conf:/x')", "");
        row("get-property('env', 'SLUICE_TEST_ENV')", "from-env");
        row("get-property('no-such-scope', 'name')", "");
        row("get-property('To')", "ws://backend:9000/echo");
        row("get-property('OPERATION_NAME')", "");
        row("get-property('MESSAGE_FORMAT')", "pox");
        row("get-property('greeting')", "hello from a local entry");
        row("get-property('SYSTEM_DATE', 'yyyy')", "@YEAR@");
        row("$ctx:name", "Ada");
        row("$ctx:uri.var.id", "17");
        row("$ctx:missing", "");
        row("$axis2:HTTP_SC", "200");
        row("$trp:X-Trace", "t-1");
        row("$trp:content-type", "application/json");
        row("$url:q", "search");
        row("$url:missing", "");
        row("$func:anything", "");
        row("$env:SLUICE_TEST_ENV", "from-env");
        row("concat($ctx:name, '/', $axis2:HTTP_SC, '/', get-property('transport', 'X-Trace'))",
            "Ada/200/t-1");
        row("base64Encode('hello')", "aGVsbG8=");
        row("base64Decode('aGVsbG8=')", "hello");
        row("base64Decode(base64Encode('grüße'))", "grüße");
        row("base64Decode('***')", "");
        row("url-encode('a b&c/é~')", "a+b%26c%2F%C3%A9%7E");
        row("string-length(get-property('name')) + 1", "4");
        row("normalize-space('  a   b ')", "a b");
    }
    void properties()
    {
        QFETCH(QString, expression);
        QFETCH(QString, expected);
        if (expected == QLatin1String("@YEAR@"))
            expected = QString::number(QDate::currentDate().year());
        auto compiled = compile(expression);
        QVERIFY(compiled);
        for (const auto &[payload, type] :
             {std::pair{kOrderXml, kXml}, std::pair{kOrderJson, kJson},
              std::pair{kBinaryBytes, kBinary}, std::pair{QByteArray(), QString()},
              // Not parsed at all: broken payloads do not matter.
              std::pair{QByteArrayLiteral("{\"broken"), kJson},
              std::pair{QByteArrayLiteral("<broken"), kXml}}) {
            auto msg = message(payload, type);
            QString error;
            const std::optional<QString> result = compiled->evaluateString(*msg, &error);
            QVERIFY2(result, qPrintable(error));
            QCOMPARE(*result, expected);
        }
    }

    void specialProperties()
    {
        auto msg = message(kBinaryBytes, kBinary);
        QString error;

        auto time = compile(QStringLiteral("get-property('SYSTEM_TIME')"));
        QVERIFY(time);
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const std::optional<QString> millis = time->evaluateString(*msg, &error);
        QVERIFY2(millis, qPrintable(error));
        QVERIFY(millis->toLongLong() >= before);
        QVERIFY(millis->toLongLong() <= QDateTime::currentMSecsSinceEpoch());

        auto date = compile(QStringLiteral("get-property('SYSTEM_DATE')"));
        QVERIFY(date);
        const std::optional<QString> iso = date->evaluateString(*msg, &error);
        QVERIFY2(iso, qPrintable(error));
        static const QRegularExpression isoPattern(
            QStringLiteral(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$)"));
        QVERIFY2(isoPattern.match(*iso).hasMatch(), qPrintable(*iso));

        auto formatted =
            compile(QStringLiteral("get-property('SYSTEM_DATE', \"yyyy-MM-dd 'at' HH\")"));
        QVERIFY(formatted);
        const std::optional<QString> text = formatted->evaluateString(*msg, &error);
        QVERIFY2(text, qPrintable(error));
        static const QRegularExpression formattedPattern(
            QStringLiteral(R"(^\d{4}-\d{2}-\d{2} at \d{2}$)"));
        QVERIFY2(formattedPattern.match(*text).hasMatch(), qPrintable(*text));

        auto messageId = compile(QStringLiteral("get-property('MessageID')"));
        QVERIFY(messageId);
        const std::optional<QString> id1 = messageId->evaluateString(*msg, &error);
        const std::optional<QString> id2 = messageId->evaluateString(*msg, &error);
        QVERIFY(id1 && id2);
        QVERIFY2(id1->startsWith(QLatin1String("urn:uuid:")), qPrintable(*id1));
        QCOMPARE(*id1, *id2);
        auto other = message(kBinaryBytes, kBinary);
        QVERIFY(*messageId->evaluateString(*other, &error) != *id1);

        auto soap = message(QByteArrayLiteral("<e/>"), QStringLiteral("application/soap+xml"));
        auto format = compile(QStringLiteral("get-property('MESSAGE_FORMAT')"));
        QCOMPARE(*format->evaluateString(*soap, &error), QStringLiteral("soap12"));
    }

    void xpathBoolean_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<bool>("expected");
        auto xml = [](const char *expression, bool expected) {
            QTest::newRow(expression)
                << kOrderXml << kXml << QString::fromUtf8(expression) << expected;
        };
        xml("/order/id", true);
        xml("/order/missing", false);
        xml("boolean(//item)", true);
        xml("/order/id = 42", true);
        xml("/order/id > 100", false);
        xml("count(//item) = 2 and /order/@status = 'new'", true);
        xml("not(/order/@status = 'new')", false);
        xml("get-property('name') = 'Ada'", true);
        xml("$ctx:name = 'Bob'", false);
        xml("$ctx:missing = ''", true);
        xml("'x'", true);
        xml("''", false);
        xml("0", false);
        xml("1 div 0", true);
        xml("0 div 0", false);
        xml("$header", false);
        xml("$body", true);
        QTest::newRow("json number")
            << kOrderJson << kJson << QStringLiteral("/jsonObject/order/id = 5") << true;
        QTest::newRow("json boolean text")
            << kOrderJson << kJson << QStringLiteral("//order/paid = 'true'") << true;
        QTest::newRow("properties on binary")
            << kBinaryBytes << kBinary << QStringLiteral("$axis2:HTTP_SC = '200'") << true;
    }
    void xpathBoolean()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, contentType);
        QFETCH(QString, expression);
        QFETCH(bool, expected);
        auto compiled = compile(expression);
        QVERIFY(compiled);
        auto msg = message(payload, contentType);
        QString error;
        const std::optional<bool> result = compiled->evaluateBoolean(*msg, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(*result, expected);
    }

    void xpathJson_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QJsonValue>("expected");
        QTest::newRow("number") << QStringLiteral("count(//item)") << QJsonValue(2);
        QTest::newRow("fraction") << QStringLiteral("/order/id div 8") << QJsonValue(5.25);
        QTest::newRow("boolean") << QStringLiteral("/order/id = 42") << QJsonValue(true);
        QTest::newRow("string") << QStringLiteral("concat('a', 'b')")
                                << QJsonValue(QStringLiteral("ab"));
        QTest::newRow("node set as string")
            << QStringLiteral("/order/id") << QJsonValue(QStringLiteral("42"));
        QTest::newRow("NaN is null")
            << QStringLiteral("number('x')") << QJsonValue(QJsonValue::Null);
    }
    void xpathJson()
    {
        QFETCH(QString, expression);
        QFETCH(QJsonValue, expected);
        auto compiled = compile(expression);
        QVERIFY(compiled);
        auto msg = message(kOrderXml, kXml);
        QString error;
        const std::optional<QJsonValue> result = compiled->evaluateJson(*msg, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(*result, expected);
    }

    void evaluateNodes()
    {
        auto msg = message(kOrderXml, kXml);
        QString error;
        xmlDocPtr doc = msg->xmlDocument(&error);
        QVERIFY2(doc, qPrintable(error));

        auto items = compile(QStringLiteral("//item"));
        const auto nodes = items->evaluateNodes(*msg, &error);
        QVERIFY2(nodes, qPrintable(error));
        QCOMPARE(nodes->size(), size_t(2));
        for (xmlNodePtr node : *nodes) {
            QCOMPARE(node->type, XML_ELEMENT_NODE);
            QCOMPARE(node->doc, doc);
        }
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(nodes->at(1)->name)), "item");

        auto attribute = compile(QStringLiteral("/order/@status"));
        const auto attributes = attribute->evaluateNodes(*msg, &error);
        QVERIFY(attributes);
        QCOMPARE(attributes->size(), size_t(1));
        QCOMPARE(attributes->front()->type, XML_ATTRIBUTE_NODE);

        auto text = compile(QStringLiteral("//item/text()"));
        const auto texts = text->evaluateNodes(*msg, &error);
        QVERIFY(texts);
        QCOMPARE(texts->size(), size_t(2));
        QCOMPARE(texts->front()->type, XML_TEXT_NODE);

        // $body stands for the document: as nodes it gives the payload's root element.
        auto body = compile(QStringLiteral("$body"));
        const auto bodyNodes = body->evaluateNodes(*msg, &error);
        QVERIFY(bodyNodes);
        QCOMPARE(bodyNodes->size(), size_t(1));
        QCOMPARE(bodyNodes->front(), xmlDocGetRootElement(doc));

        auto none = compile(QStringLiteral("//nothing"));
        const auto empty = none->evaluateNodes(*msg, &error);
        QVERIFY(empty);
        QVERIFY(empty->empty());

        auto number = compile(QStringLiteral("count(//item)"));
        error.clear();
        QVERIFY(!number->evaluateNodes(*msg, &error));
        QVERIFY2(error.contains(QLatin1String("not nodes")), qPrintable(error));

        // JSON payloads: nodes of the <jsonObject> view.
        auto jsonMsg = message(kOrderJson, kJson);
        auto jsonItems = compile(QStringLiteral("//items/n"));
        const auto jsonNodes = jsonItems->evaluateNodes(*jsonMsg, &error);
        QVERIFY2(jsonNodes, qPrintable(error));
        QCOMPARE(jsonNodes->size(), size_t(2));
        QCOMPARE(jsonNodes->front()->doc, jsonMsg->xmlDocument());

        // JSONPath selects no XML nodes.
        auto jsonPath = compile(QStringLiteral("json-eval($.order.items)"));
        const auto noNodes = jsonPath->evaluateNodes(*jsonMsg, &error);
        QVERIFY(noNodes);
        QVERIFY(noNodes->empty());
    }

    void compileErrors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("namespaces");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *name, const char *expression, const char *namespaces,
                      const char *expected) {
            QTest::newRow(name) << QString::fromUtf8(expression) << QString::fromUtf8(namespaces)
                                << QString::fromUtf8(expected);
        };
        row("unclosed predicate", "//a[", "", "syntax error at position");
        row("stray parenthesis", "/order/id)", "", "syntax error at position");
        row("unclosed call", "concat('a', 'b'", "", "syntax error");
        row("unterminated literal", "'abc", "", "syntax error");
        row("bad operator", "1 === 2", "", "syntax error");
        row("empty", "   ", "", "the expression is empty");
        row("unknown element prefix", "/p:order/p:id", "", "undefined namespace prefix 'p'");
        row("unknown prefix in predicate", "/order[q:id = 1]", "p=urn:x",
            "undefined namespace prefix 'q'");
        row("unknown function prefix", "foo:bar('x')", "", "undefined namespace prefix 'foo'");
        row("unknown function", "unknown-fn(1)", "", "unknown function 'unknown-fn()'");
        row("unknown function behind and", "false() and nosuch()", "",
            "unknown function 'nosuch()'");
        row("unknown prefixed function", "p:concat('a')", "p=urn:x",
            "unknown function 'p:concat()'");
        row("xpath 2 function", "upper-case('a')", "", "unknown function 'upper-case()'");
        row("unknown variable", "$nosuch", "", "unknown variable '$nosuch'");
        row("variable with a user prefix", "$p:x", "p=urn:x", "unknown variable '$p:x'");
        row("variable with an unbound prefix", "$q:x", "", "undefined namespace prefix 'q'");
        row("get-property without arguments", "get-property()", "",
            "get-property() takes 1 or 2 arguments, not 0");
        row("get-property with three arguments", "get-property('a', 'b', 'c')", "",
            "get-property() takes 1 or 2 arguments, not 3");
        row("base64Encode arity", "base64Encode()", "", "base64Encode() takes 1 or 2");
        row("core function arity", "substring('abc')", "", "invalid number of arguments");
        row("json-eval syntax", "json-eval($.a[)", "", "syntax error at position 15");
        row("json-eval not closed", "json-eval($.a", "", "missing ')'");
    }
    void compileErrors()
    {
        QFETCH(QString, expression);
        QFETCH(QString, namespaces);
        QFETCH(QString, expected);
        QString error;
        auto compiled = Expression::compile(expression, parseNamespaces(namespaces), &error);
        QVERIFY(!compiled);
        QVERIFY2(error.contains(expected), qPrintable(error));
        // The message names the expression.
        QVERIFY2(error.contains(QLatin1Char('\'') + expression + QLatin1Char('\'')),
                 qPrintable(error));
    }

    // Type errors can come from empty data alone: they are not compile errors.
    void typeErrorsCompile()
    {
        auto compiled = compile(QStringLiteral("$ctx:name/child"));
        QVERIFY(compiled);
        auto msg = message(kOrderXml, kXml);
        QString error;
        QVERIFY(!compiled->evaluateString(*msg, &error));
        QVERIFY2(error.contains(QLatin1String("$ctx:name/child")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("invalid type")), qPrintable(error));
    }

    void runtimeErrors_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("expected");
        const QString needsXml = QStringLiteral("needs an XML or JSON payload");
        QTest::newRow("xpath over binary")
            << kBinaryBytes << kBinary << QStringLiteral("/order/id") << needsXml;
        QTest::newRow("body over binary")
            << kBinaryBytes << kBinary << QStringLiteral("count($body/*)")
            << QStringLiteral("needs an XML or JSON payload");
        QTest::newRow("context function over binary")
            << kBinaryBytes << kBinary << QStringLiteral("string-length()")
            << QStringLiteral("needs an XML or JSON payload");
        QTest::newRow("xpath over text")
            << QByteArrayLiteral("hello world") << QStringLiteral("text/plain")
            << QStringLiteral("//a") << QStringLiteral("not XML");
        QTest::newRow("xpath over empty payload")
            << QByteArray() << kXml << QStringLiteral("/a") << QStringLiteral("empty");
        QTest::newRow("malformed xml") << QByteArrayLiteral("<a><b></a>") << kXml
                                       << QStringLiteral("/a") << QStringLiteral("not XML");
        QTest::newRow("malformed json") << QByteArrayLiteral("{\"a\":") << kJson
                                        << QStringLiteral("//a") << QStringLiteral("not JSON");
        QTest::newRow("json-eval over xml")
            << kOrderXml << kXml << QStringLiteral("json-eval($.order.id)")
            << QStringLiteral("needs a JSON payload");
        QTest::newRow("json-eval over binary")
            << kBinaryBytes << kBinary << QStringLiteral("json-eval($.a)")
            << QStringLiteral("needs a JSON payload");
        QTest::newRow("bare path over text")
            << QByteArrayLiteral("plain") << QStringLiteral("text/plain") << QStringLiteral("$.a")
            << QStringLiteral("needs a JSON payload");
    }
    void runtimeErrors()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, contentType);
        QFETCH(QString, expression);
        QFETCH(QString, expected);
        auto compiled = compile(expression);
        QVERIFY(compiled);
        auto msg = message(payload, contentType);
        QString error;
        QVERIFY(!compiled->evaluateString(*msg, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.contains(expression), qPrintable(error));
        error.clear();
        QVERIFY(!compiled->evaluateBoolean(*msg, &error));
        QVERIFY(!error.isEmpty());
        error.clear();
        QVERIFY(!compiled->evaluateJson(*msg, &error));
        QVERIFY(!error.isEmpty());
        error.clear();
        QVERIFY(!compiled->evaluateNodes(*msg, &error));
        QVERIFY(!error.isEmpty());
    }

    // No DTD, no entity expansion, no file or network access while parsing the payload.
    void hostileXml_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("internal entity")
            << QByteArrayLiteral("<!DOCTYPE r [<!ENTITY e \"expanded\">]><r>&e;</r>");
        QTest::newRow("external entity") << QByteArrayLiteral(
            "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>");
        QTest::newRow("external parameter entity") << QByteArrayLiteral(
            "<!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><r/>");
        QTest::newRow("external DTD over the network")
            << QByteArrayLiteral("<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/r.dtd\"><r/>");
        QTest::newRow("billion laughs") << QByteArrayLiteral(
            "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">"
            "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;\">"
            "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;\">]>"
            "<r>&f;&f;&f;&f;&f;&f;&f;&f;</r>");
    }
    void hostileXml()
    {
        QFETCH(QByteArray, payload);
        auto compiled = compile(QStringLiteral("string(/r)"));
        QVERIFY(compiled);
        auto msg = message(payload, kXml);
        QString error;
        QElapsedTimer timer;
        timer.start();
        const std::optional<QString> result = compiled->evaluateString(*msg, &error);
        QVERIFY(timer.elapsed() < 2000);
        QVERIFY2(!result, result ? qPrintable(*result) : "");
        QVERIFY2(error.contains(QLatin1String("DOCTYPE")), qPrintable(error));
        QVERIFY(!error.contains(QLatin1String("root:")));
        // Expressions that do not read the payload still work.
        auto property = compile(QStringLiteral("$ctx:name"));
        const std::optional<QString> name = property->evaluateString(*msg, &error);
        QCOMPARE(name.value_or(QString()), QStringLiteral("Ada"));
    }

    // One compiled expression, shared by several threads, each with its own messages.
    void concurrentEvaluation()
    {
        auto compiled = compile(QStringLiteral("concat(get-property('name'), ':', //item[2], ':', "
                                               "base64Encode($ctx:name))"));
        QVERIFY(compiled);
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, this] {
                for (int i = 0; i < 200; ++i) {
                    auto msg = message(kOrderXml, kXml);
                    QString error;
                    const auto result = compiled->evaluateString(*msg, &error);
                    if (!result || *result != QLatin1String("Ada:b:QWRh"))
                        ++failures;
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(failures.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestExpressions)
#include "tst_expressions.moc"
