// SPDX-License-Identifier: Apache-2.0
// End to end (issue 5): the studio, offscreen, opens a temporary copy of projects/websocket-echo
// (free ports), runs it on the embedded runtime, and a python3-websockets client (a peer this
// project did not write, tests/studio_run/ws_client.py) sends messages. The test asserts the
// events that reach the log model, in order, mediator steps included; then it changes
// dispatchSeq, redeploys while the client stays connected, and checks that the same connection
// gets its next reply through the new sequence. Selecting a mediator event selects the mediator
// on the design canvas.

#include "app/artifact_editor.h"
#include "app/design_view.h"
#include "app/embedded_runtime.h"
#include "app/log_dock.h"
#include "app/main_window.h"
#include "app/problems_view.h"
#include "model/event_log_model.h"
#include "model/project_document.h"
#include "run_test_support.h"

#include <QLabel>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace sluice;
using namespace sluice::studio;

namespace {

const ArtifactId kDispatchSeq{ArtifactKind::Sequence, QStringLiteral("dispatchSeq")};
const ArtifactId kWebsocketInbound{ArtifactKind::InboundEndpoint, QStringLiteral("websocket")};

// The python client, line by line.
class PythonClient {
public:
    bool start(const QString &url)
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral("/usr/bin/python3"),
                        {QStringLiteral(SLUICE_SOURCE_DIR "/tests/studio_run/ws_client.py"), url});
        return m_process.waitForStarted(10000);
    }
    void command(const QString &line) { m_process.write((line + QLatin1Char('\n')).toUtf8()); }
    // Waits for the next line; empty when none came in time.
    QString nextLine(int ms = 15000)
    {
        QDeadlineTimer deadline(ms);
        while (!m_process.canReadLine() && !deadline.hasExpired()) {
            if (m_process.state() == QProcess::NotRunning && !m_process.canReadLine())
                break;
            QTest::qWait(20);
        }
        const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
        m_transcript << line;
        return line;
    }
    bool finish()
    {
        command(QStringLiteral("quit"));
        return m_process.waitForFinished(10000) && m_process.exitCode() == 0;
    }
    QString transcript() const { return m_transcript.join(QLatin1Char('\n')); }
    ~PythonClient()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

private:
    QProcess m_process;
    QStringList m_transcript;
};

// "kind[/peer][:mediator]" of each event, for readable comparisons.
QString step(const MessageEvent &event)
{
    QString text = messageEventKindName(event.kind);
    if (event.peer == EventPeer::Client)
        text += QStringLiteral("/client");
    else if (event.peer == EventPeer::Backend)
        text += QStringLiteral("/backend");
    if (!event.mediator.isEmpty())
        text += QLatin1Char(':') + event.mediator;
    return text;
}

// The steps of one message, in the order of the log.
QStringList messageSteps(const EventLogModel &model, quint64 messageId)
{
    QStringList steps;
    for (int row : model.rowsOfMessage(messageId))
        steps << step(model.event(row));
    return steps;
}

// Whether `expected` appears in `steps` in this order (other steps may come in between).
bool inOrder(const QStringList &steps, const QStringList &expected)
{
    qsizetype at = 0;
    for (const QString &wanted : expected) {
        at = steps.indexOf(wanted, at);
        if (at < 0)
            return false;
        ++at;
    }
    return true;
}

} // namespace

class TestStudioRunE2e : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFileInfo::exists(QStringLiteral("/usr/bin/python3")),
                 "the end-to-end test needs Debian's /usr/bin/python3 with python3-websockets");
    }

    void runWatchRedeploy()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QList<int> ports = testing::freePorts(2);
        QCOMPARE(ports.size(), 2);
        const QString project = dir.filePath(QStringLiteral("websocket-echo"));
        QVERIFY(testing::copyEchoProject(project, ports[0], ports[1]));

        MainWindow window;
        window.setConfirmHandler(
            [](const QString &) { return MainWindow::UnsavedChoice::Discard; });
        window.show();
        QVERIFY(window.openProject(project));
        QVERIFY(window.runProject());
        QTRY_VERIFY_WITH_TIMEOUT(window.runtime()->state() == RuntimeState::Running, 10000);
        // The status bar names both listening ports.
        QTRY_VERIFY(window.runtimeStatusLabel()->text().contains(QString::number(ports[0])));
        QVERIFY(window.runtimeStatusLabel()->text().contains(QString::number(ports[1])));

        PythonClient client;
        QVERIFY(client.start(QStringLiteral("ws://127.0.0.1:%1/").arg(ports[0])));
        QCOMPARE(client.nextLine(), QStringLiteral("connected"));
        const QString first = QStringLiteral(R"({"order":1})");
        client.command(QStringLiteral("send ") + first);
        QCOMPARE(client.nextLine(), QStringLiteral("reply ") + first);
        QCOMPARE(client.nextLine(), QStringLiteral("ok"));

        // The log: the client's connection opened, then its message through dispatchSeq to
        // the backend and the reply through outDispatchSeq back to the client.
        EventLogModel *model = window.logDock()->model();
        QString clientId;
        quint64 firstMessage = 0;
        const auto findFirst = [&] {
            for (int row = 0; row < model->rowCount(); ++row) {
                const MessageEvent &event = model->event(row);
                if (event.kind == MessageEventKind::ConnectionOpened && clientId.isEmpty() &&
                    event.artifact == QLatin1String("websocket"))
                    clientId = event.connectionId;
                if (!clientId.isEmpty() && event.kind == MessageEventKind::FrameIn &&
                    event.peer == EventPeer::Client && event.connectionId == clientId) {
                    firstMessage = event.messageId;
                    return true;
                }
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(findFirst(), 5000);
        QVERIFY(firstMessage != 0);
        // Each property mediator is entered and then reports the properties it set.
        const QStringList expectedFirst = {
            QStringLiteral("frame-in/client"),         QStringLiteral("mediator:property"),
            QStringLiteral("properties-set:property"), QStringLiteral("mediator:property"),
            QStringLiteral("properties-set:property"), QStringLiteral("mediator:property"),
            QStringLiteral("properties-set:property"), QStringLiteral("mediator:send"),
            QStringLiteral("frame-out/backend"),
        };
        QTRY_VERIFY2_WITH_TIMEOUT(inOrder(messageSteps(*model, firstMessage), expectedFirst),
                                  qPrintable(messageSteps(*model, firstMessage).join(u' ')), 5000);
        // The reply: from the backend through outDispatchSeq's log and respond to the client.
        const QStringList expectedReply = {QStringLiteral("frame-in/backend"),
                                           QStringLiteral("mediator:log"), QStringLiteral("log"),
                                           QStringLiteral("mediator:respond"),
                                           QStringLiteral("frame-out/client")};
        QStringList clientSteps;
        const auto collectClientSteps = [&] {
            clientSteps.clear();
            for (int row : model->rowsOfConnection(clientId))
                clientSteps << step(model->event(row));
            return inOrder(clientSteps, QStringList{QStringLiteral("connection-opened/client")} +
                                            expectedFirst + expectedReply);
        };
        QTRY_VERIFY2_WITH_TIMEOUT(collectClientSteps(), qPrintable(clientSteps.join(u' ')), 5000);
        // The logged line carries the payload (log level="full").
        bool logged = false;
        for (int row : model->rowsOfConnection(clientId)) {
            const MessageEvent &event = model->event(row);
            logged = logged || (event.kind == MessageEventKind::Log &&
                                event.text.contains(QStringLiteral("order")));
        }
        QVERIFY2(logged, "the log mediator's line is in the log");

        // Change dispatchSeq while the client stays connected, then Redeploy (saves first).
        ProjectDocument *document = window.document();
        QVERIFY(
            document->insertMediator(kDispatchSeq, MediatorPath(), 0, QStringLiteral("property")));
        QVERIFY(document->setAttribute(kDispatchSeq, {0}, QStringLiteral("name"),
                                       QStringLiteral("redeployed")));
        QVERIFY(document->setAttribute(kDispatchSeq, {0}, QStringLiteral("value"),
                                       QStringLiteral("yes")));
        QString redeployed;
        QString refused;
        connect(window.runtime(), &RuntimeController::message, this,
                [&](const QString &text) { redeployed = text; });
        connect(window.runtime(), &RuntimeController::problemsReported, this,
                [&](const QString &text, const Diagnostics &problems) {
                    if (!text.isEmpty())
                        refused = text + QLatin1Char('\n') + problems.toString();
                });
        QVERIFY(window.redeployProject());
        QVERIFY(!document->isDirty());
        QTRY_VERIFY2_WITH_TIMEOUT(!redeployed.isEmpty() || !refused.isEmpty(), "no answer", 10000);
        QVERIFY2(refused.isEmpty(), qPrintable(refused));
        QCOMPARE(window.runtime()->state(), RuntimeState::Running);

        // The same connection: the next message goes through the new dispatchSeq.
        const QString second = QStringLiteral(R"({"order":2})");
        client.command(QStringLiteral("send ") + second);
        QCOMPARE(client.nextLine(), QStringLiteral("reply ") + second);
        QCOMPARE(client.nextLine(), QStringLiteral("ok"));
        quint64 secondMessage = 0;
        const auto findSecond = [&] {
            for (int row : model->rowsOfConnection(clientId)) {
                const MessageEvent &event = model->event(row);
                if (event.kind == MessageEventKind::FrameIn && event.peer == EventPeer::Client &&
                    event.messageId != firstMessage)
                    secondMessage = event.messageId;
            }
            if (secondMessage == 0)
                return false;
            for (int row : model->rowsOfMessage(secondMessage)) {
                for (const EventProperty &property : model->event(row).properties) {
                    if (property.name == QLatin1String("redeployed"))
                        return property.value.toString() == QLatin1String("yes");
                }
            }
            return false;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(findSecond(),
                                  qPrintable(messageSteps(*model, secondMessage).join(u' ')), 5000);
        for (int row : model->rowsOfConnection(clientId))
            QVERIFY2(model->event(row).kind != MessageEventKind::ConnectionClosed,
                     "the client stayed connected through the redeploy");

        // Selecting the send mediator's event selects the send on dispatchSeq's canvas (now
        // the fifth mediator, after the inserted property).
        quint64 sendEvent = 0;
        for (int row : model->rowsOfMessage(secondMessage)) {
            const MessageEvent &event = model->event(row);
            if (event.kind == MessageEventKind::MediatorEntered &&
                event.mediator == QLatin1String("send"))
                sendEvent = event.id;
        }
        QVERIFY(sendEvent != 0);
        // The reply's frame to the client: the client may have it before the log's next batch
        // (a CI run under load selected the path with that row still on its way).
        const auto replyRow = [&] {
            for (int row : model->rowsOfConnection(clientId)) {
                const MessageEvent &event = model->event(row);
                if (event.kind == MessageEventKind::FrameOut && event.peer == EventPeer::Client &&
                    event.payload == second.toUtf8())
                    return row;
            }
            return -1;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(replyRow() >= 0, "the reply's frame to the client is logged",
                                  5000);
        QVERIFY(window.logDock()->selectEvent(sendEvent));
        QCOMPARE(model->highlightedMessage(), secondMessage);
        // The whole round trip is highlighted: the reply's way back to the client too.
        QVERIFY2(model->index(replyRow(), 0).data(EventLogModel::HighlightRole).toBool(),
                 "the reply's frame to the client is part of the path");
        QVERIFY(window.currentEditor());
        QCOMPARE(window.currentEditor()->artifact(), kDispatchSeq);
        QCOMPARE(window.currentEditor()->designView()->selectedPath(), MediatorPath({4}));

        QVERIFY2(client.finish(), qPrintable(client.transcript()));
        QVERIFY2(!client.transcript().contains(QStringLiteral("closed")),
                 qPrintable(client.transcript()));
        window.stopProject();
        QTRY_VERIFY_WITH_TIMEOUT(window.runtime()->state() == RuntimeState::Stopped, 10000);
        QVERIFY(window.runtimeStatusLabel()->text().contains(QStringLiteral("stopped")));
    }

    // A port in use: Run fails, the problem is listed with the inbound endpoint's file, and a
    // double click on it opens that endpoint.
    void portConflictIsAProblem()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QList<int> ports = testing::freePorts(2);
        QCOMPARE(ports.size(), 2);
        const QString project = dir.filePath(QStringLiteral("websocket-echo"));
        QVERIFY(testing::copyEchoProject(project, ports[0], ports[1]));
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, quint16(ports[0])));

        MainWindow window;
        window.setConfirmHandler(
            [](const QString &) { return MainWindow::UnsavedChoice::Discard; });
        window.show();
        QVERIFY(window.openProject(project));
        const int before = window.problemsView()->problemCount();
        QVERIFY(window.runProject());
        QTRY_VERIFY_WITH_TIMEOUT(window.runtime()->state() == RuntimeState::Failed, 10000);
        QCOMPARE(window.problemsView()->problemCount(), before + 1);
        QTreeWidget *tree = window.problemsView()->tree();
        QTreeWidgetItem *problem = nullptr;
        for (int row = 0; row < tree->topLevelItemCount(); ++row) {
            if (tree->topLevelItem(row)->text(1).endsWith(QStringLiteral("websocket.xml")))
                problem = tree->topLevelItem(row);
        }
        QVERIFY(problem);
        QVERIFY2(problem->text(0).contains(QStringLiteral("websocket")),
                 qPrintable(problem->text(0)));
        window.problemsView()->activate(tree->indexOfTopLevelItem(problem));
        QVERIFY(window.currentEditor());
        QCOMPARE(window.currentEditor()->artifact(), kWebsocketInbound);
        QVERIFY(window.runtimeStatusLabel()->text().contains(QStringLiteral("failed")));

        // Free the port: Run works and the problem goes away.
        squatter.close();
        QVERIFY(window.runProject());
        QTRY_VERIFY_WITH_TIMEOUT(window.runtime()->state() == RuntimeState::Running, 10000);
        QCOMPARE(window.problemsView()->problemCount(), before);
        window.stopProject();
        QTRY_VERIFY_WITH_TIMEOUT(window.runtime()->state() == RuntimeState::Stopped, 10000);
    }
};

QTEST_MAIN(TestStudioRunE2e)
#include "tst_studio_run_e2e.moc"
