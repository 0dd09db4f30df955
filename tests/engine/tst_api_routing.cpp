// SPDX-License-Identifier: Apache-2.0
// Which request paths a REST API <resource> serves (uri-template / url-mapping), the variables it
// extracts, and the file:line:col errors for templates and mappings Sluice cannot serve.
#include "mediation/api_resource_pattern.h"
#include "mediation_fixture.h"

#include <QTest>

using sluice::ApiResourcePattern;
using sluice::test::MediationFixture;

namespace {

// "name=value;name=value" for compact expectations.
QString joined(const ApiResourcePattern::Variables &variables)
{
    QStringList parts;
    for (const auto &[name, value] : variables)
        parts << name + QLatin1Char('=') + value;
    return parts.join(QLatin1Char(';'));
}

} // namespace

class ApiRoutingTest : public QObject {
    Q_OBJECT
private slots:
    void matching_data()
    {
        QTest::addColumn<QString>("uriTemplate");
        QTest::addColumn<QString>("urlMapping");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("query");
        QTest::addColumn<bool>("matches");
        QTest::addColumn<QString>("variables");

        const QString none;
        QTest::newRow("no selector matches anything")
            << none << none << QStringLiteral("/a/b") << none << true << none;
        QTest::newRow("template literal") << QStringLiteral("/orders") << none
                                          << QStringLiteral("/orders") << none << true << none;
        QTest::newRow("template literal, trailing slash")
            << QStringLiteral("/orders") << none << QStringLiteral("/orders/") << none << true
            << none;
        QTest::newRow("template literal is not a prefix")
            << QStringLiteral("/orders") << none << QStringLiteral("/orders/1") << none << false
            << none;
        QTest::newRow("template ignores the query when it has no query part")
            << QStringLiteral("/orders") << none << QStringLiteral("/orders")
            << QStringLiteral("x=1") << true << none;
        QTest::newRow("one variable")
            << QStringLiteral("/orders/{id}") << none << QStringLiteral("/orders/42") << none
            << true << QStringLiteral("id=42");
        QTest::newRow("variable is decoded")
            << QStringLiteral("/orders/{id}") << none << QStringLiteral("/orders/a%20b%2Fc") << none
            << true << QStringLiteral("id=a b/c");
        QTest::newRow("variable takes one segment only")
            << QStringLiteral("/orders/{id}") << none << QStringLiteral("/orders/1/items") << none
            << false << none;
        QTest::newRow("variable needs a value")
            << QStringLiteral("/orders/{id}") << none << QStringLiteral("/orders/") << none << false
            << none;
        QTest::newRow("two variables and literals")
            << QStringLiteral("/orders/{id}/items/{item}") << none
            << QStringLiteral("/orders/7/items/x") << none << true << QStringLiteral("id=7;item=x");
        QTest::newRow("variable inside a segment")
            << QStringLiteral("/files/{name}.txt") << none << QStringLiteral("/files/a.txt") << none
            << true << QStringLiteral("name=a");
        QTest::newRow("reserved expansion takes slashes")
            << QStringLiteral("/files/{+path}") << none << QStringLiteral("/files/a/b/c.txt")
            << none << true << QStringLiteral("path=a/b/c.txt");
        QTest::newRow("query variable")
            << QStringLiteral("/search?q={term}") << none << QStringLiteral("/search")
            << QStringLiteral("q=a+b%21&page=2") << true << QStringLiteral("term=a b!");
        QTest::newRow("query variable missing")
            << QStringLiteral("/search?q={term}") << none << QStringLiteral("/search")
            << QStringLiteral("page=2") << false << none;
        QTest::newRow("query literal")
            << QStringLiteral("/search?kind=full&q={term}") << none << QStringLiteral("/search")
            << QStringLiteral("q=x&kind=full") << true << QStringLiteral("term=x");
        QTest::newRow("query literal differs")
            << QStringLiteral("/search?kind=full&q={term}") << none << QStringLiteral("/search")
            << QStringLiteral("q=x&kind=short") << false << none;
        QTest::newRow("root template matches the bare context")
            << QStringLiteral("/") << none << QString() << none << true << none;
        QTest::newRow("root template is not a catch-all")
            << QStringLiteral("/") << none << QStringLiteral("/x") << none << false << none;
        QTest::newRow("mapping /* matches anything")
            << none << QStringLiteral("/*") << QStringLiteral("/a/b") << none << true << none;
        QTest::newRow("mapping prefix, the prefix itself")
            << none << QStringLiteral("/files/*") << QStringLiteral("/files") << none << true
            << none;
        QTest::newRow("mapping prefix, below")
            << none << QStringLiteral("/files/*") << QStringLiteral("/files/a/b") << none << true
            << none;
        QTest::newRow("mapping prefix at a segment boundary")
            << none << QStringLiteral("/files/*") << QStringLiteral("/filesystem") << none << false
            << none;
        QTest::newRow("mapping extension") << none << QStringLiteral("*.json")
                                           << QStringLiteral("/a/b.json") << none << true << none;
        QTest::newRow("mapping extension differs")
            << none << QStringLiteral("*.json") << QStringLiteral("/a/b.xml") << none << false
            << none;
        QTest::newRow("mapping exact") << none << QStringLiteral("/status")
                                       << QStringLiteral("/status/") << none << true << none;
        QTest::newRow("mapping exact differs")
            << none << QStringLiteral("/status") << QStringLiteral("/status/x") << none << false
            << none;
    }

    void matching()
    {
        QFETCH(QString, uriTemplate);
        QFETCH(QString, urlMapping);
        QFETCH(QString, path);
        QFETCH(QString, query);
        QFETCH(bool, matches);
        QFETCH(QString, variables);
        QString error;
        const auto pattern = ApiResourcePattern::parse(uriTemplate, urlMapping, &error);
        QVERIFY2(pattern, qPrintable(error));
        ApiResourcePattern::Variables found;
        QCOMPARE(pattern->match(path, query, &found), matches);
        if (matches)
            QCOMPARE(joined(found), variables);
    }

    void dispatchOrder()
    {
        QString error;
        const auto mapping = ApiResourcePattern::parse(QString(), QStringLiteral("/"), &error);
        const auto uriTemplate = ApiResourcePattern::parse(QStringLiteral("/x"), QString(), &error);
        const auto neither = ApiResourcePattern::parse(QString(), QString(), &error);
        QVERIFY(mapping && uriTemplate && neither);
        QVERIFY(mapping->dispatchOrder() < uriTemplate->dispatchOrder());
        QVERIFY(uriTemplate->dispatchOrder() < neither->dispatchOrder());
    }

    void queryParameters()
    {
        QCOMPARE(joined(ApiResourcePattern::queryParameters(
                     QStringLiteral("a=1&b=x+y&c=%C3%A9&flag&a=2"))),
                 QStringLiteral("a=1;b=x y;c=\u00e9;flag=;a=2"));
        QVERIFY(ApiResourcePattern::queryParameters(QString()).isEmpty());
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("attribute");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");

        QTest::newRow("template without slash")
            << QStringLiteral("uri-template") << QStringLiteral("orders")
            << QStringLiteral("uri-template 'orders' must start with '/'");
        QTest::newRow("unclosed brace")
            << QStringLiteral("uri-template") << QStringLiteral("/orders/{id")
            << QStringLiteral("uri-template '/orders/{id': '{' at position 9 is never closed");
        QTest::newRow("stray closing brace")
            << QStringLiteral("uri-template") << QStringLiteral("/orders/id}")
            << QStringLiteral("uri-template '/orders/id}': '}' at position 11 has no '{'");
        QTest::newRow("empty variable")
            << QStringLiteral("uri-template") << QStringLiteral("/orders/{}")
            << QStringLiteral("uri-template '/orders/{}': empty variable at position 9");
        QTest::newRow("unsupported operator")
            << QStringLiteral("uri-template") << QStringLiteral("/orders{/id}")
            << QStringLiteral("uri-template '/orders{/id}': '{/id}' at position 8: only {name} "
                              "and {+name} are supported");
        QTest::newRow("query without name")
            << QStringLiteral("uri-template") << QStringLiteral("/s?{q}")
            << QStringLiteral("uri-template '/s?{q}': query part '{q}' must be name={variable} "
                              "or name=value");
        QTest::newRow("mapping without slash")
            << QStringLiteral("url-mapping") << QStringLiteral("files")
            << QStringLiteral("url-mapping 'files' must start with '/' or be *.ext");
        QTest::newRow("mapping star in the middle")
            << QStringLiteral("url-mapping") << QStringLiteral("/a/*/b")
            << QStringLiteral("url-mapping '/a/*/b': '*' is only allowed as a trailing /* or a "
                              "leading *.");
        QTest::newRow("extension mapping with a path")
            << QStringLiteral("url-mapping") << QStringLiteral("*.d/x")
            << QStringLiteral("url-mapping '*.d/x': an extension mapping is *.ext");
    }

    // The compiler rejects the project with the resource's file:line:col.
    void malformed()
    {
        QFETCH(QString, attribute);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        MediationFixture f;
        QVERIFY(f.addArtifact(
            QStringLiteral("<api xmlns=\"http://ws.apache.org/ns/synapse\" name=\"A\" "
                           "context=\"/a\">\n"
                           "  <resource methods=\"GET\" %1=\"%2\">\n"
                           "    <inSequence><respond/></inSequence>\n"
                           "  </resource>\n"
                           "</api>\n")
                .arg(attribute, value.toHtmlEscaped()),
            QStringLiteral("a.xml")));
        QVERIFY(!f.compile());
        QCOMPARE(f.errors().trimmed(), QStringLiteral("a.xml:2:3: api 'A': ") + expected);
    }

    // Synapse's VersionStrategyFactory: a version needs a version-type.
    void versionWithoutVersionType()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(QStringLiteral("<api xmlns=\"http://ws.apache.org/ns/synapse\" "
                                             "name=\"A\" context=\"/a\" version=\"1.0\">\n"
                                             "  <resource><inSequence><respond/></inSequence>"
                                             "</resource>\n</api>\n"),
                              QStringLiteral("a.xml")));
        QVERIFY(!f.compile());
        QCOMPARE(f.errors().trimmed(),
                 QStringLiteral("a.xml:1:1: api 'A': version '1.0' needs a version-type "
                                "(context or url)"));
    }
};

QTEST_GUILESS_MAIN(ApiRoutingTest)
#include "tst_api_routing.moc"
