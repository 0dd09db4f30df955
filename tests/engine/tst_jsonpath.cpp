// SPDX-License-Identifier: Apache-2.0
// json-eval(<JSONPath>) over JSON payloads: every path form, filters, functions, result kinds and
// syntax errors.

#include "mediation/expressions/expression.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace sluice;

namespace {

const QString kJson = QStringLiteral("application/json");

// The Goessner bookstore, plus values of every JSON kind (tests/data/expressions/store.json).
QByteArray readStore()
{
    QFile file(QStringLiteral(SLUICE_TEST_DATA "/expressions/store.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

const QByteArray kStore = readStore();

const QByteArray kArray = QByteArrayLiteral(R"([{"a": 1}, {"a": 2}, {"b": 3}])");

} // namespace

class TestJsonPath : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<MediationEnvironment> m_env = std::make_shared<MediationEnvironment>();

    std::shared_ptr<MessageContext> message(const QByteArray &payload)
    {
        auto msg = std::make_shared<MessageContext>(m_env);
        msg->setPayload(payload, kJson);
        return msg;
    }

    std::unique_ptr<Expression> compile(const QString &text)
    {
        QString error;
        auto expression = Expression::compile(text, {}, &error);
        if (!expression)
            qWarning("compile failed: %s", qPrintable(error));
        return expression;
    }

    void addStringRow(const char *path, const char *expected, const QByteArray &payload = kStore)
    {
        QTest::newRow(path) << payload << QString::fromUtf8(path) << QString::fromUtf8(expected);
    }

private slots:
    void evaluateString_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");

        // Members, dotted and bracketed.
        addStringRow("$.store.book[0].title", "Sayings of the Century");
        addStringRow("$['store']['book'][1]['author']", "Evelyn Waugh");
        addStringRow("$[\"store\"][\"bicycle\"][\"color\"]", "red");
        addStringRow("$.store['bicycle'].color", "red");
        addStringRow("$.ключ", "значение");
        addStringRow("$['first name']", "Ada");
        addStringRow("$['a.b']", "dotted");
        addStringRow("$['it\\'s']", "apostrophe");
        // Array indexes.
        addStringRow("$.store.book[-1].title", "The Lord of the Rings");
        addStringRow("$.store.book[-4].title", "Sayings of the Century");
        addStringRow("$.store.book[4].title", "");
        addStringRow("$.store.book[-5].title", "");
        // Kinds of single results: strings without quotes, numbers as JSON numbers.
        addStringRow("$.flag", "true");
        addStringRow("$.none", "null");
        addStringRow("$.empty", "");
        addStringRow("$.count", "3");
        addStringRow("$.expensive", "10");
        addStringRow("$.ratio", "2.5");
        addStringRow("$.negative", "-0.5");
        addStringRow("$.big", "12345678901");
        addStringRow("$.quote", "say \"hi\"");
        addStringRow("$.store.bicycle", R"({"color":"red","price":19.95})");
        addStringRow("$.tags", R"(["a","b","c","d","e"])");
        addStringRow("$.nested.a.b", R"({"c":1})");
        addStringRow("$.missing", "");
        addStringRow("$.missing.deeper[0]", "");
        addStringRow("$.count.deeper", "");
        // Wildcards (object members come in key order).
        addStringRow("$.store.book[*].author",
                     R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])");
        addStringRow("$.store.bicycle.*", R"(["red",19.95])");
        addStringRow("$.store.bicycle[*]", R"(["red",19.95])");
        addStringRow("$.nums.*", "[1,2,3]");
        addStringRow("$.count.*", "");
        // Recursive descent.
        addStringRow("$..author",
                     R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])");
        addStringRow("$..price", "[19.95,8.95,12.99,8.99,22.99]");
        addStringRow("$.nested..c", "1");
        addStringRow("$..book[2].title", "Moby Dick");
        addStringRow("$..book[-1:].isbn", "0-395-19395-8");
        addStringRow("$.nested..*", R"([{"b":{"c":1}},{"c":1},1])");
        addStringRow("$.store..[0]",
                     R"({"author":"Nigel Rees","category":"reference","price":8.95,)"
                     R"("title":"Sayings of the Century"})");
        // Unions.
        addStringRow("$.store.book[0,2].title", R"(["Sayings of the Century","Moby Dick"])");
        addStringRow("$.tags[0,0]", R"(["a","a"])");
        addStringRow("$['flag','count']", "[true,3]");
        addStringRow("$.tags[4, 10, -1]", R"(["e","e"])");
        // Slices.
        addStringRow("$.tags[1:3]", R"(["b","c"])");
        addStringRow("$.tags[:2]", R"(["a","b"])");
        addStringRow("$.tags[-2:]", R"(["d","e"])");
        addStringRow("$.tags[::2]", R"(["a","c","e"])");
        addStringRow("$.tags[::-1]", R"(["e","d","c","b","a"])");
        addStringRow("$.tags[3:1:-1]", R"(["d","c"])");
        addStringRow("$.tags[10:]", "");
        addStringRow("$.tags[1:2]", "b");
        addStringRow("$.tags[::0]", "");
        // Filters.
        addStringRow("$.store.book[?(@.price < 10)].title",
                     R"(["Sayings of the Century","Moby Dick"])");
        addStringRow("$.store.book[?(@.category == 'reference')].author", "Nigel Rees");
        addStringRow("$.store.book[?(@.category == \"reference\")].author", "Nigel Rees");
        addStringRow("$.store.book[?(@.isbn)].title", R"(["Moby Dick","The Lord of the Rings"])");
        addStringRow("$.store.book[?(!@.isbn)].title",
                     R"(["Sayings of the Century","Sword of Honour"])");
        addStringRow("$.store.book[?(@.price > 10 && @.category == 'fiction')].title",
                     R"(["Sword of Honour","The Lord of the Rings"])");
        addStringRow("$.store.book[?(@.price < 9 || @.price > 20)].title",
                     R"(["Sayings of the Century","Moby Dick","The Lord of the Rings"])");
        addStringRow("$.store.book[?(@.price > 8.95 && (@.category == 'reference' || @.isbn))]"
                     ".title",
                     R"(["Moby Dick","The Lord of the Rings"])");
        addStringRow("$.store.book[?(@.price <= $.expensive)].title",
                     R"(["Sayings of the Century","Moby Dick"])");
        addStringRow("$.store.book[?(@.price >= 22.99)].title", "The Lord of the Rings");
        addStringRow("$.store.book[?(@.price == 8.95)].title", "Sayings of the Century");
        addStringRow("$.store.book[?(@.category != 'fiction')].title", "Sayings of the Century");
        addStringRow("$.store.book[?(@.isbn != '0-553-21311-3')].title",
                     R"(["Sayings of the Century","Sword of Honour","The Lord of the Rings"])");
        addStringRow("$.store.book[?(@.title > 'S')].title",
                     R"(["Sayings of the Century","Sword of Honour","The Lord of the Rings"])");
        addStringRow("$.store.book[?(@.author =~ /.*melville/i)].title", "Moby Dick");
        addStringRow("$.store.book[?(@.author =~ /melville/i)].title", "");
        addStringRow("$.store.book[?(@.price > 100)].title", "");
        addStringRow("$.store.book[?(@.price == '8.95')].title", "");
        addStringRow("$..book[?(@.price >= 22.99)].title", "The Lord of the Rings");
        addStringRow("$..[?(@.color == 'red')].price", "19.95");
        addStringRow("$.store[?(@.bicycle)].bicycle.color", "red");
        addStringRow("$.tags[?(@ == 'c')]", "c");
        addStringRow("$.nums[?(@ > 1)]", "[2,3]");
        addStringRow("$.nums[?(@ != 2)]", "[1,3]");
        addStringRow("$.store.book[?(@.price<10&&@.isbn)].author", "Herman Melville");
        addStringRow("$[?(@.flag == true)].count", "3");
        addStringRow("$[?(@.none == null)].count", "3");
        addStringRow("$[?(@.flag == false)].count", "");
        // Functions at the end of the path.
        addStringRow("$.tags.length()", "5");
        addStringRow("$.store.book.length()", "4");
        addStringRow("$.store.bicycle.size()", "2");
        addStringRow("$.store.bicycle.color.length()", "3");
        addStringRow("$..price.max()", "22.99");
        addStringRow("$..price.min()", "8.95");
        addStringRow("$.nums.sum()", "6");
        addStringRow("$.nums.avg()", "2");
        // The json-eval() form.
        QTest::newRow("json-eval") << kStore << QStringLiteral("json-eval($.store.bicycle.color)")
                                   << QStringLiteral("red");
        QTest::newRow("json-eval, spaces")
            << kStore << QStringLiteral(" json-eval( $.store.book[?(@.price < 9)].author ) ")
            << QStringLiteral(R"(["Nigel Rees","Herman Melville"])");
        // A top-level array.
        addStringRow("$[1].a", "2", kArray);
        addStringRow("$[*].a", "[1,2]", kArray);
        addStringRow("$..a", "[1,2]", kArray);
        addStringRow("$[?(@.a)].a", "[1,2]", kArray);
        addStringRow("$[?(@.b)]", R"({"b":3})", kArray);
        addStringRow("$.length()", "3", kArray);
    }
    void evaluateString()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, path);
        QFETCH(QString, expected);
        auto expression = compile(path);
        QVERIFY(expression);
        QCOMPARE(expression->language(), Expression::Language::JsonPath);
        auto msg = message(payload);
        QString error;
        const std::optional<QString> result = expression->evaluateString(*msg, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(*result, expected);
        // json-eval(<path>) and the bare path are the same expression.
        if (path.startsWith(QLatin1Char('$'))) {
            auto wrapped = compile(QStringLiteral("json-eval(%1)").arg(path));
            QVERIFY(wrapped);
            QCOMPARE(wrapped->evaluateString(*msg, &error).value_or(QStringLiteral("<error>")),
                     expected);
        }
        QCOMPARE(msg->payload(), payload);
    }

    void evaluateBoolean_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("expected");
        QTest::newRow("true") << QStringLiteral("$.flag") << true;
        QTest::newRow("null") << QStringLiteral("$.none") << false;
        QTest::newRow("empty string") << QStringLiteral("$.empty") << false;
        QTest::newRow("string") << QStringLiteral("$.store.bicycle.color") << true;
        QTest::newRow("missing") << QStringLiteral("$.missing") << false;
        QTest::newRow("number") << QStringLiteral("$.count") << true;
        QTest::newRow("object") << QStringLiteral("$.store") << true;
        QTest::newRow("no filter match")
            << QStringLiteral("$.store.book[?(@.price > 100)]") << false;
        QTest::newRow("filter match")
            << QStringLiteral("json-eval($.store.book[?(@.isbn)])") << true;
        QTest::newRow("false first") << QStringLiteral("$['none','flag']") << false;
    }
    void evaluateBoolean()
    {
        QFETCH(QString, path);
        QFETCH(bool, expected);
        auto expression = compile(path);
        QVERIFY(expression);
        auto msg = message(kStore);
        QString error;
        const std::optional<bool> result = expression->evaluateBoolean(*msg, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(*result, expected);
    }

    void evaluateJson_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QJsonValue>("expected");
        QTest::newRow("number") << QStringLiteral("$.count") << QJsonValue(3);
        QTest::newRow("string") << QStringLiteral("$.store.bicycle.color")
                                << QJsonValue(QStringLiteral("red"));
        QTest::newRow("null") << QStringLiteral("$.none") << QJsonValue(QJsonValue::Null);
        const QJsonObject bicycle{{QStringLiteral("color"), QStringLiteral("red")},
                                  {QStringLiteral("price"), 19.95}};
        QTest::newRow("object") << QStringLiteral("$.store.bicycle") << QJsonValue(bicycle);
        QTest::newRow("several") << QStringLiteral("$.tags[0,1]")
                                 << QJsonValue(
                                        QJsonArray{QStringLiteral("a"), QStringLiteral("b")});
        QTest::newRow("one array") << QStringLiteral("$.nums") << QJsonValue(QJsonArray{1, 2, 3});
        QTest::newRow("no match") << QStringLiteral("$.missing")
                                  << QJsonValue(QJsonValue::Undefined);
    }
    void evaluateJson()
    {
        QFETCH(QString, path);
        QFETCH(QJsonValue, expected);
        auto expression = compile(path);
        QVERIFY(expression);
        auto msg = message(kStore);
        QString error;
        const std::optional<QJsonValue> result = expression->evaluateJson(*msg, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(*result, expected);
    }

    void syntaxErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *path, const char *expected) {
            QTest::newRow(path) << QString::fromUtf8(path) << QString::fromUtf8(expected);
        };
        row("json-eval($.store.book[)", "at position 24: missing ']'");
        row("json-eval($.store.book[)])", "at position 24: expected a quoted name, an index");
        row("$.store..", "at position 10: expected a name, '*' or '[' after '..'");
        row("$.", "at position 3: expected a member name or '*' after '.'");
        row("$.a[?(@.b = 1)]", "at position 11: use '==' to compare");
        row("$.a[?(@.b == )]", "expected @, $, a number, a string, true, false or null");
        row("$.a['x", "unterminated string");
        row("$.a[1", "missing ']'");
        row("$.a[1 2]", "expected ',' or ']'");
        row("$.a[1:2:x]", "expected ',' or ']'");
        row("$.a['x\\q']", "bad escape");
        row("json-eval(store.book)", "at position 11: a JSONPath starts with '$'");
        row("json-eval()", "a JSONPath starts with '$'");
        row("json-eval($.a) = 1", "json-eval(...) must be the whole expression");
        row("$.a.foo()", "unknown function 'foo()'");
        row("$.a.length(1)", "takes no arguments");
        row("$.a.length().b", "must end the path");
        row("$.a[?(@.b == 1]", "expected ')'");
        row("$.a[?(@.b == 1", "missing ')'");
        row("$.a[?(@.b =~ /[/)]", "bad regular expression");
        row("$.a[?(@.b =~ 'x')]", "expected a /regular expression/");
        row("$.a[?(@.b == bad)]", "unknown word 'bad'");
        row("$.a[?(@.b ||", "the filter is not complete");
        row("$.a b", "at position 5: unexpected 'b'");
        row("$.a[99999999999999999999]", "integer out of range");
    }
    void syntaxErrors()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        QString error;
        auto expression = Expression::compile(path, {}, &error);
        QVERIFY(!expression);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.startsWith(QStringLiteral("invalid JSONPath '%1'").arg(path)),
                 qPrintable(error));
    }

    void deepFilterIsRefused()
    {
        const QString path = QStringLiteral("$[?(") + QString(200, QLatin1Char('(')) +
                             QStringLiteral("@.a") + QString(200, QLatin1Char(')')) +
                             QStringLiteral(")]");
        QString error;
        QVERIFY(!Expression::compile(path, {}, &error));
        QVERIFY2(error.contains(QLatin1String("nested too deeply")), qPrintable(error));
    }

    void jsonViewChangesAreSeen()
    {
        // A mediator that replaced the JSON payload: the next evaluation sees the new one.
        auto msg = message(kStore);
        auto expression = compile(QStringLiteral("json-eval($.count)"));
        QString error;
        QCOMPARE(*expression->evaluateString(*msg, &error), QStringLiteral("3"));
        msg->setJsonDocument(QJsonDocument(QJsonObject{{QStringLiteral("count"), 4}}));
        QCOMPARE(*expression->evaluateString(*msg, &error), QStringLiteral("4"));
    }
};

QTEST_GUILESS_MAIN(TestJsonPath)
#include "tst_jsonpath.moc"
