// SPDX-License-Identifier: Apache-2.0
// Cross-artifact validation: duplicates, references, cycles, inbound parameters, port clashes.
#include "mediation_fixture.h"

#include <QTest>

using sluice::test::MediationFixture;

namespace {

QString seq(const QString &name, const QString &body, const QString &attributes = QString())
{
    return QStringLiteral("<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"%1\"%2>\n"
                          "%3\n</sequence>\n")
        .arg(name, attributes, body);
}

QString inbound(const QString &name, const QString &parameters,
                const QString &sequence = QStringLiteral("s"))
{
    return QStringLiteral("<inboundEndpoint xmlns=\"http://ws.apache.org/ns/synapse\" "
                          "name=\"%1\" protocol=\"ws\" sequence=\"%2\">\n"
                          "  <parameters>\n%3\n  </parameters>\n</inboundEndpoint>\n")
        .arg(name, sequence, parameters);
}

QString param(const QString &name, const QString &value)
{
    return QStringLiteral("    <parameter name=\"%1\">%2</parameter>").arg(name, value);
}

} // namespace

class ProjectCompilerTest : public QObject {
    Q_OBJECT
private slots:
    void validProjectCompiles()
    {
        MediationFixture f;
        QVERIFY(f.addArtifact(seq(QStringLiteral("s"), QStringLiteral("  <drop/>")),
                              QStringLiteral("s.xml")));
        QVERIFY(f.addArtifact(inbound(QStringLiteral("in"), param(QStringLiteral("inbound.ws.port"),
                                                                  QStringLiteral("9000"))),
                              QStringLiteral("in.xml")));
        QVERIFY2(f.compile(), qPrintable(f.errors()));
        QVERIFY(f.environment()->sequence(QStringLiteral("s")));
        QVERIFY2(f.environment()->faultSequence(), "the built-in fault sequence exists");
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("expected");

        QTest::newRow("duplicate sequence")
            << QStringList{seq(QStringLiteral("a"), QStringLiteral("  <drop/>")),
                           seq(QStringLiteral("a"), QStringLiteral("  <drop/>"))}
            << QStringLiteral("f1.xml:1:1: duplicate name 'a': this sequence clashes with the "
                              "sequence at f0.xml:1:1");
        QTest::newRow("missing sequence reference")
            << QStringList{seq(QStringLiteral("a"), QStringLiteral("  <sequence key=\"b\"/>"))}
            << QStringLiteral("f0.xml:2:3: sequence 'b' does not exist");
        QTest::newRow("missing onError")
            << QStringList{seq(QStringLiteral("a"), QStringLiteral("  <drop/>"),
                               QStringLiteral(" onError=\"nope\""))}
            << QStringLiteral("f0.xml:1:1: sequence 'nope' does not exist");
        QTest::newRow("self cycle")
            << QStringList{seq(QStringLiteral("a"), QStringLiteral("  <sequence key=\"a\"/>"))}
            << QStringLiteral("f0.xml:2:3: sequence cycle: a -> a");
        QTest::newRow("three-step cycle")
            << QStringList{seq(QStringLiteral("a"), QStringLiteral("  <sequence key=\"b\"/>")),
                           seq(QStringLiteral("b"), QStringLiteral("  <filter source=\"'x'\" "
                                                                   "regex=\"x\"><then><sequence "
                                                                   "key=\"c\"/></then></filter>")),
                           seq(QStringLiteral("c"), QStringLiteral("  <sequence key=\"a\"/>"))}
            << QStringLiteral("f2.xml:2:3: sequence cycle: a -> b -> c -> a");
        QTest::newRow("missing endpoint")
            << QStringList{seq(QStringLiteral("a"),
                               QStringLiteral("  <send><endpoint key=\"ep\"/></send>"))}
            << QStringLiteral("f0.xml:2:9: endpoint 'ep' does not exist");
        QTest::newRow("unknown mediator")
            << QStringList{seq(QStringLiteral("a"), QStringLiteral("  <frobnicate/>"))}
            << QStringLiteral("f0.xml:2:3: unknown mediator <frobnicate>");
        QTest::newRow("unknown inbound parameter")
            << QStringList{seq(QStringLiteral("s"), QStringLiteral("  <drop/>")),
                           inbound(QStringLiteral("in"),
                                   param(QStringLiteral("inbound.ws.port"), QStringLiteral("1")) +
                                       QLatin1Char('\n') +
                                       param(QStringLiteral("ws.colour"), QStringLiteral("red")))}
            << QStringLiteral("f1.xml:4:5: inbound endpoint 'in': unknown parameter 'ws.colour' "
                              "for protocol ws");
        QTest::newRow("port out of range")
            << QStringList{seq(QStringLiteral("s"), QStringLiteral("  <drop/>")),
                           inbound(QStringLiteral("in"), param(QStringLiteral("inbound.ws.port"),
                                                               QStringLiteral("70000")))}
            << QStringLiteral("f1.xml:3:5: inbound endpoint 'in': bad value for "
                              "'inbound.ws.port': 70000 is outside 1..65535");
        QTest::newRow("port not a number")
            << QStringList{seq(QStringLiteral("s"), QStringLiteral("  <drop/>")),
                           inbound(QStringLiteral("in"), param(QStringLiteral("inbound.ws.port"),
                                                               QStringLiteral("http")))}
            << QStringLiteral("f1.xml:3:5: inbound endpoint 'in': bad value for "
                              "'inbound.ws.port': 'http' is not a whole number");
        QTest::newRow("missing port")
            << QStringList{seq(QStringLiteral("s"), QStringLiteral("  <drop/>")),
                           inbound(QStringLiteral("in"),
                                   param(QStringLiteral("ws.client.side.broadcast.level"),
                                         QStringLiteral("1")))}
            << QStringLiteral("f1.xml:1:1: inbound endpoint 'in' needs the parameter "
                              "'inbound.ws.port'");
        QTest::newRow("boolean parameter")
            << QStringList{seq(QStringLiteral("s"), QStringLiteral("  <drop/>")),
                           inbound(QStringLiteral("in"),
                                   param(QStringLiteral("inbound.ws.port"), QStringLiteral("1")) +
                                       QLatin1Char('\n') +
                                       param(QStringLiteral("ws.use.port.offset"),
                                             QStringLiteral("yes")))}
            << QStringLiteral("f1.xml:4:5: inbound endpoint 'in': bad value for "
                              "'ws.use.port.offset': 'yes' is not true or false");
        QTest::newRow("missing outflow sequence")
            << QStringList{seq(QStringLiteral("s"), QStringLiteral("  <drop/>")),
                           inbound(QStringLiteral("in"),
                                   param(QStringLiteral("inbound.ws.port"), QStringLiteral("1")) +
                                       QLatin1Char('\n') +
                                       param(QStringLiteral("ws.outflow.dispatch.sequence"),
                                             QStringLiteral("out")))}
            << QStringLiteral("f1.xml:4:5: sequence 'out' does not exist");
        QTest::newRow("missing dispatch sequence")
            << QStringList{inbound(QStringLiteral("in"),
                                   param(QStringLiteral("inbound.ws.port"), QStringLiteral("1")),
                                   QStringLiteral("nowhere"))}
            << QStringLiteral("f0.xml:1:1: sequence 'nowhere' does not exist");
        QTest::newRow("port clash")
            << QStringList{seq(QStringLiteral("s"), QStringLiteral("  <drop/>")),
                           inbound(QStringLiteral("a"), param(QStringLiteral("inbound.ws.port"),
                                                              QStringLiteral("9000"))),
                           inbound(QStringLiteral("b"), param(QStringLiteral("inbound.ws.port"),
                                                              QStringLiteral("9000")))}
            << QStringLiteral("f2.xml:3:5: inbound endpoint 'b': port 9000 is already used by "
                              "inbound endpoint 'a'");
        QTest::newRow("unsupported protocol")
            << QStringList{seq(QStringLiteral("s"), QStringLiteral("  <drop/>")),
                           QStringLiteral("<inboundEndpoint xmlns=\"http://ws.apache.org/ns/"
                                          "synapse\" name=\"j\" protocol=\"jms\" sequence=\"s\"/>")}
            << QStringLiteral("f1.xml:1:1: inbound endpoint 'j': protocol 'jms' is not supported "
                              "(supported: ws, wss)");
    }

    void errors()
    {
        QFETCH(QStringList, files);
        QFETCH(QString, expected);
        MediationFixture f;
        for (int i = 0; i < files.size(); ++i)
            f.addArtifact(files[i], QStringLiteral("f%1.xml").arg(i));
        QVERIFY(!f.compile());
        QVERIFY2(f.errors().split(QLatin1Char('\n')).contains(expected),
                 qPrintable(QStringLiteral("expected:\n%1\ngot:\n%2").arg(expected, f.errors())));
        QVERIFY2(!f.environment(), "nothing is deployed when there is an error");
    }

    void everyProblemIsReportedAtOnce()
    {
        MediationFixture f;
        f.addArtifact(seq(QStringLiteral("a"), QStringLiteral("  <sequence key=\"x\"/>\n"
                                                              "  <sequence key=\"y\"/>\n"
                                                              "  <nonsense/>")),
                      QStringLiteral("a.xml"));
        QVERIFY(!f.compile());
        QCOMPARE(f.diagnostics().errorCount(), 3);
    }
};

QTEST_GUILESS_MAIN(ProjectCompilerTest)
#include "tst_project_compiler.moc"
