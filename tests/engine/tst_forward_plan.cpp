// SPDX-License-Identifier: Apache-2.0
// Which sequences compile to a forward plan (constants, logs, then one forward) and which must
// not: anything whose effect the plan would leave out keeps a sequence on the executor.
#include "mediation/forward_plan.h"
#include "mediation_fixture.h"

#include <QTest>

using sluice::CompiledSequence;
using sluice::ForwardPlan;
using sluice::test::MediationFixture;

namespace {

const QString kSend = QStringLiteral(
    "<send><endpoint><address uri=\"ws://127.0.0.1:8082/websocket\"/></endpoint></send>");

QString seq(const QString &body)
{
    return QStringLiteral("<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"s\">\n"
                          "%1\n</sequence>\n")
        .arg(body);
}

std::shared_ptr<const CompiledSequence> compiled(MediationFixture &f, const QString &body)
{
    if (!f.addArtifact(seq(body), QStringLiteral("s.xml")) || !f.compile())
        return nullptr;
    return f.environment()->sequence(QStringLiteral("s"));
}

} // namespace

class ForwardPlanTest : public QObject {
    Q_OBJECT
private slots:
    void theSeedsSequencesArePlanned()
    {
        MediationFixture in;
        const auto dispatch = compiled(
            in, QStringLiteral("<property name=\"OUT_ONLY\" value=\"true\"/>\n"
                               "<property name=\"FORCE_SC_ACCEPTED\" scope=\"axis2\" "
                               "type=\"STRING\" value=\"true\"/>\n"
                               "<property name=\"websocket.accept.contenType\" scope=\"axis2\" "
                               "value=\"application/json\"/>\n") +
                    kSend);
        QVERIFY2(dispatch, qPrintable(in.errors()));
        QVERIFY(dispatch->forward);
        QCOMPARE(dispatch->forward->ending, ForwardPlan::Ending::Send);
        QVERIFY(dispatch->forward->endpoint);
        QCOMPARE(dispatch->forward->endpoint->uri, QStringLiteral("ws://127.0.0.1:8082/websocket"));
        QVERIFY(dispatch->forward->logLevels.empty());

        MediationFixture out;
        const auto outflow = compiled(out, QStringLiteral("<log level=\"full\"/>\n<respond/>"));
        QVERIFY2(outflow, qPrintable(out.errors()));
        QVERIFY(outflow->forward);
        QCOMPARE(outflow->forward->ending, ForwardPlan::Ending::Respond);
        QCOMPARE(outflow->forward->logLevels.size(), size_t(1));
        QVERIFY(!outflow->forward->endpoint);
        // What one hop's record stands for: the frames, each mediator entered, the log line.
        QCOMPARE(outflow->forward->hopEvents, 5);
        QCOMPARE(dispatch->forward->hopEvents, 2 + 3 * 2 + 1);
        QVERIFY(outflow->forward->logsShowPayload);
        QVERIFY(!dispatch->forward->logsShowPayload);
        MediationFixture longest;
        const auto most = compiled(
            longest, QStringLiteral("<property name=\"p\" value=\"v\"/>\n").repeated(126) + kSend);
        QVERIFY2(most && most->forward, qPrintable(longest.errors()));
        QCOMPARE(most->forward->hopEvents, ForwardPlan::kMaxHopEvents);
        // Every plan has its own serial: routes remembered for one are never used for another.
        QVERIFY(outflow->forward->serial != dispatch->forward->serial);
    }

    void sequencesThatDoMoreAreNotPlanned_data()
    {
        QTest::addColumn<QString>("body");
        // Properties the sending path reads: they change what the forward does.
        QTest::newRow("messageType")
            << QStringLiteral("<property name=\"messageType\" scope=\"axis2\" "
                              "value=\"application/xml\"/>") +
                   kSend;
        QTest::newRow("ContentType")
            << QStringLiteral("<property name=\"ContentType\" scope=\"axis2\" "
                              "value=\"application/xml\"/>\n<respond/>");
        QTest::newRow("connection.terminate")
            << QStringLiteral("<property name=\"connection.terminate\" value=\"true\"/>") + kSend;
        // Values that are not constants, or not plain stores.
        QTest::newRow("expression")
            << QStringLiteral("<property name=\"p\" expression=\"$ctx:OUT_ONLY\"/>") + kSend;
        QTest::newRow("pattern") << QStringLiteral("<property name=\"p\" value=\"abc\" "
                                                   "pattern=\"a(b)c\" group=\"1\"/>") +
                                        kSend;
        QTest::newRow("remove") << QStringLiteral("<property name=\"p\" action=\"remove\"/>") +
                                       kSend;
        QTest::newRow("transport scope")
            << QStringLiteral("<property name=\"h\" scope=\"transport\" value=\"v\"/>") + kSend;
        QTest::newRow("operation scope")
            << QStringLiteral("<property name=\"p\" scope=\"operation\" value=\"v\"/>") + kSend;
        // A log whose properties could fail to evaluate.
        QTest::newRow("log with a property")
            << QStringLiteral("<log><property name=\"x\" expression=\"json-eval($.a)\"/></log>"
                              "<respond/>");
        // Sends the plan does not make.
        QTest::newRow("send with receive")
            << QStringLiteral("<send receive=\"s2\"><endpoint><address "
                              "uri=\"ws://127.0.0.1:8082/\"/></endpoint></send>");
        QTest::newRow("send to http") << QStringLiteral(
            "<send><endpoint><address uri=\"http://127.0.0.1:8082/\"/></endpoint></send>");
        QTest::newRow("send to a named endpoint")
            << QStringLiteral("<send><endpoint key=\"e\"/></send>");
        QTest::newRow("send without endpoint") << QStringLiteral("<send/>");
        // Something after the forward, something else before it, or no forward at all.
        QTest::newRow("log after send") << kSend + QStringLiteral("<log/>");
        QTest::newRow("payloadFactory")
            << QStringLiteral("<payloadFactory media-type=\"json\"><format>{}</format><args/>"
                              "</payloadFactory><respond/>");
        QTest::newRow("no forward") << QStringLiteral("<property name=\"p\" value=\"v\"/>");
        // More events than one hop's record counts (ForwardPlan::kMaxHopEvents): 2 frames and
        // 127 properties set, two events each.
        QTest::newRow("too many steps")
            << QStringLiteral("<property name=\"p\" value=\"v\"/>\n").repeated(127) + kSend;
        QTest::newRow("drop") << QStringLiteral("<drop/>");
    }

    void sequencesThatDoMoreAreNotPlanned()
    {
        QFETCH(QString, body);
        MediationFixture f;
        if (body.contains(QLatin1String("key=\"e\""))) {
            QVERIFY(
                f.addArtifact(QStringLiteral("<endpoint xmlns=\"http://ws.apache.org/ns/synapse\""
                                             " name=\"e\"><address "
                                             "uri=\"ws://127.0.0.1:8082/\"/></endpoint>"),
                              QStringLiteral("e.xml")));
        }
        if (body.contains(QLatin1String("receive=\"s2\""))) {
            QVERIFY(f.addArtifact(QStringLiteral("<sequence xmlns=\"http://ws.apache.org/ns/"
                                                 "synapse\" name=\"s2\"><drop/></sequence>"),
                                  QStringLiteral("s2.xml")));
        }
        const auto sequence = compiled(f, body);
        QVERIFY2(sequence, qPrintable(f.errors()));
        QVERIFY(!sequence->forward);
    }
};

QTEST_GUILESS_MAIN(ForwardPlanTest)
#include "tst_forward_plan.moc"
