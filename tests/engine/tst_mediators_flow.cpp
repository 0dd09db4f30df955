// SPDX-License-Identifier: Apache-2.0
// The mediators that choose where a flow goes: filter, switch, loopback.
#include "mediation_fixture.h"

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

QString mark(const QString &value)
{
    return QStringLiteral("<property name=\"took\" value=\"%1\"/>").arg(value);
}

} // namespace

class TestMediatorsFlow : public QObject {
    Q_OBJECT

private slots:
    void filterChoosesABranch_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("took");
        const QString regexFilter =
            QStringLiteral("<filter source=\"json-eval($.kind)\" regex=\"ord.*\"><then>%1</then>"
                           "<else>%2</else></filter>")
                .arg(mark(u"then"_s), mark(u"else"_s));
        QTest::newRow("regex matches")
            << regexFilter << QByteArrayLiteral(R"({"kind":"order"})") << u"then"_s;
        QTest::newRow("regex must match the whole value")
            << regexFilter << QByteArrayLiteral(R"({"kind":"reorder"})") << u"else"_s;
        QTest::newRow("xpath true") << QStringLiteral("<filter xpath=\"//n &gt; 3\"><then>%1"
                                                      "</then><else>%2</else></filter>")
                                           .arg(mark(u"then"_s), mark(u"else"_s))
                                    << QByteArrayLiteral(R"({"n":5})") << u"then"_s;
        QTest::newRow("xpath false") << QStringLiteral("<filter xpath=\"//n &gt; 3\"><then>%1"
                                                       "</then><else>%2</else></filter>")
                                            .arg(mark(u"then"_s), mark(u"else"_s))
                                     << QByteArrayLiteral(R"({"n":1})") << u"else"_s;
        QTest::newRow("plain children are the then branch")
            << QStringLiteral("<filter source=\"get-property('To')\" regex=\".*\">%1</filter>")
                   .arg(mark(u"plain"_s))
            << QByteArrayLiteral("{}") << u"plain"_s;
        QTest::newRow("no else branch")
            << QStringLiteral("<filter source=\"'a'\" regex=\"b\"><then>%1</then></filter>")
                   .arg(mark(u"then"_s))
            << QByteArrayLiteral("{}") << QString();
    }
    void filterChoosesABranch()
    {
        QFETCH(QString, filter);
        QFETCH(QByteArray, payload);
        QFETCH(QString, took);
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, filter + u"\n  <property name=\"after\" "
                                                   "value=\"yes\"/>"_s)));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, payload);
        QVERIFY2(!message->hasFault(), qPrintable(message->property(kErrorMessage).toString()));
        QCOMPARE(message->property(u"took"_s).toString(), took);
        QCOMPARE(message->property(u"after"_s), QVariant(u"yes"_s));
    }

    void filterOnAPayloadThatIsNotJsonFaults()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<filter source=\"json-eval($.a)\" "
                                                         "regex=\"x\"/>"))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("<a/>"), u"application/xml"_s);
        QVERIFY(message->hasFault());
        QVERIFY2(message->property(kErrorMessage)
                     .toString()
                     .startsWith(u"filter: cannot evaluate 'json-eval($.a)': "_s),
                 qPrintable(message->property(kErrorMessage).toString()));
        QCOMPARE(message->property(kErrorCode), QVariant(u"101500"_s));
    }

    void switchTakesTheFirstMatchingCase_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("took");
        QTest::newRow("first case") << u"order"_s << u"order"_s;
        QTest::newRow("first match wins") << u"orders"_s << u"prefix"_s;
        QTest::newRow("whole value must match") << u"xorder"_s << u"default"_s;
        QTest::newRow("default") << u"other"_s << u"default"_s;
    }
    void switchTakesTheFirstMatchingCase()
    {
        QFETCH(QString, kind);
        QFETCH(QString, took);
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<switch source=\"json-eval($.kind)\">"
                                                         "<case regex=\"order\">%1</case>"
                                                         "<case regex=\"ord.*\">%2</case>"
                                                         "<case regex=\"orders\">%3</case>"
                                                         "<default>%4</default></switch>")
                                              .arg(mark(u"order"_s), mark(u"prefix"_s),
                                                   mark(u"never"_s), mark(u"default"_s)))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QStringLiteral("{\"kind\":\"%1\"}").arg(kind).toUtf8());
        QCOMPARE(message->property(u"took"_s).toString(), took);
    }

    void switchWithoutAMatchOrDefaultGoesOn()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(u"s"_s, QStringLiteral("<switch source=\"'x'\"><case "
                                                         "regex=\"y\">%1</case></switch>\n"
                                                         "  %2")
                                              .arg(mark(u"case"_s), mark(u"after"_s)))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"s"_s, QByteArrayLiteral("{}"));
        QCOMPARE(message->property(u"took"_s).toString(), u"after"_s);
    }

    void loopbackRunsTheOutSequence()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(
            seq(u"in"_s, QStringLiteral("<loopback/>\n  %1").arg(mark(u"in-after-loopback"_s)))));
        QVERIFY(f.addArtifact(seq(u"out"_s, mark(u"out"_s) + u"\n  <respond/>"_s), u"out.xml"_s));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.newMessage(QByteArrayLiteral(R"({"a":1})"));
        message->setOutSequence(f.environment()->sequence(u"out"_s));
        f.run(u"in"_s, message);
        QCOMPARE(message->property(u"took"_s).toString(), u"out"_s);
        QCOMPARE(message->direction(), Direction::Outflow);
        QCOMPARE(f.responses().responses.size(), 1);
        QCOMPARE(f.responses().responses.first().payload, QByteArrayLiteral(R"({"a":1})"));
        QCOMPARE(f.completions(), 1);
    }

    void loopbackWithoutAnOutSequenceResponds()
    {
        MediationFixture f;
        QVERIFY(
            f.addArtifact(seq(u"in"_s, QStringLiteral("<loopback/>\n  %1").arg(mark(u"after"_s)))));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        auto message = f.run(u"in"_s, QByteArrayLiteral("{}"));
        QVERIFY(!message->hasProperty(u"took"_s));
        QCOMPARE(f.responses().responses.size(), 1);
    }

    void buildErrors_data()
    {
        QTest::addColumn<QString>("mediator");
        QTest::addColumn<QString>("expected");
        QTest::newRow("filter without a condition")
            << QStringLiteral("<filter><drop/></filter>")
            << QStringLiteral("test.xml:2:3: <filter> needs either 'xpath' or 'source' and "
                              "'regex'");
        QTest::newRow("filter with two conditions")
            << QStringLiteral("<filter xpath=\"true()\" source=\"'a'\" regex=\"a\"/>")
            << QStringLiteral("test.xml:2:3: <filter> has both 'xpath' and 'source'/'regex'; use "
                              "one condition");
        QTest::newRow("filter source without regex")
            << QStringLiteral("<filter source=\"'a'\"/>")
            << QStringLiteral("test.xml:2:3: <filter> needs the attribute 'regex' with 'source'");
        QTest::newRow("filter bad regex")
            << QStringLiteral("<filter source=\"'a'\" regex=\"a[\"/>")
            << QStringLiteral("test.xml:2:24: invalid regular expression in 'regex': missing "
                              "terminating ] for character class (at offset 2)");
        QTest::newRow("filter mediator beside then")
            << QStringLiteral("<filter xpath=\"true()\"><then/><log/></filter>")
            << QStringLiteral("test.xml:2:33: unknown element <log> in <filter>");
        QTest::newRow("filter two then")
            << QStringLiteral("<filter xpath=\"true()\"><then/><then/></filter>")
            << QStringLiteral("test.xml:2:33: <filter> has more than one <then>");
        QTest::newRow("filter bad mediator in else")
            << QStringLiteral("<filter xpath=\"true()\"><else><log level=\"x\"/></else></filter>")
            << QStringLiteral("test.xml:2:37: invalid value 'x' for 'level' on <log>; allowed: "
                              "simple, headers, full, custom");
        QTest::newRow("switch without source")
            << QStringLiteral("<switch><default/></switch>")
            << QStringLiteral("test.xml:2:3: <switch> needs the attribute 'source'");
        QTest::newRow("case without regex")
            << QStringLiteral("<switch source=\"'a'\"><case/></switch>")
            << QStringLiteral("test.xml:2:24: <case> needs the attribute 'regex'");
        QTest::newRow("two defaults")
            << QStringLiteral("<switch source=\"'a'\"><default/><default/></switch>")
            << QStringLiteral("test.xml:2:34: <switch> has more than one <default>");
        QTest::newRow("switch unknown child")
            << QStringLiteral("<switch source=\"'a'\"><when/></switch>")
            << QStringLiteral("test.xml:2:24: unknown element <when> in <switch>");
        QTest::newRow("loopback child")
            << QStringLiteral("<loopback><log/></loopback>")
            << QStringLiteral("test.xml:2:13: unknown element <log> in <loopback>");
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

QTEST_GUILESS_MAIN(TestMediatorsFlow)
#include "tst_mediators_flow.moc"
