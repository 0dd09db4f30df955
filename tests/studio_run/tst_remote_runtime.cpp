// SPDX-License-Identifier: Apache-2.0
// The studio's remote runtime against a real `sluice run` and its management API: a wrong
// token is refused (401) and shown as a failed run; with the token the studio's project is
// zipped and deployed, the client's frames come back through the WebSocket event stream; a
// broken sequence is refused with its problems (422) and the deployed one keeps serving;
// a connection is closed through DELETE /management/connections/{id}.

#include "app/remote_runtime.h"
#include "run_test_support.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace sluice;
using namespace sluice::studio;

class TestRemoteRuntime : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QList<int> ports = testing::freePorts(2);
        QCOMPARE(ports.size(), 2);
        const QString served = m_dir.filePath(QStringLiteral("served"));
        QVERIFY(testing::copyEchoProject(served, ports[0], ports[1]));
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                           m_dir.filePath(QStringLiteral("config")));
        m_sluice.setProcessEnvironment(environment);
        m_sluice.setProcessChannelMode(QProcess::MergedChannels);
        const QString tokenFile = m_dir.filePath(QStringLiteral("token/management-token"));
        m_sluice.start(QStringLiteral(SLUICE_BIN),
                       {QStringLiteral("run"), QStringLiteral("--management-port"),
                        QStringLiteral("0"), QStringLiteral("--management-token-file"), tokenFile,
                        served});
        QVERIFY(m_sluice.waitForStarted(10000));
        // "management API listening on http://127.0.0.1:PORT (token in FILE)"
        const QRegularExpression announced(
            QStringLiteral("management API listening on (http://127\\.0\\.0\\.1:\\d+)"));
        QString output;
        QRegularExpressionMatch match;
        QTRY_VERIFY2_WITH_TIMEOUT((output += QString::fromUtf8(m_sluice.readAll()),
                                   (match = announced.match(output)).hasMatch()),
                                  qPrintable(output), 15000);
        m_url = QUrl(match.captured(1));
        QFile token(tokenFile);
        QVERIFY(token.open(QIODevice::ReadOnly));
        m_token = QString::fromUtf8(token.readAll()).trimmed();
        QVERIFY(!m_token.isEmpty());
    }

    void cleanupTestCase()
    {
        if (m_sluice.state() != QProcess::NotRunning) {
            m_sluice.terminate();
            if (!m_sluice.waitForFinished(10000))
                m_sluice.kill();
        }
    }

    void wrongTokenIsRefused()
    {
        const QString project = newProject();
        RemoteRuntime runtime(m_url, QStringLiteral("not-the-token"));
        QString what;
        connect(&runtime, &RuntimeController::problemsReported, this,
                [&what](const QString &text, const Diagnostics &) { what = text; });
        runtime.run(project);
        QTRY_COMPARE_WITH_TIMEOUT(runtime.state(), RuntimeState::Failed, 10000);
        QVERIFY2(what.contains(QStringLiteral("401")), qPrintable(what));
    }

    void deploysWatchesAndRefusesABrokenRedeploy()
    {
        const QList<int> ports = testing::freePorts(2);
        QCOMPARE(ports.size(), 2);
        const QString project = m_dir.filePath(QStringLiteral("studio-%1").arg(ports[0]));
        QVERIFY(testing::copyEchoProject(project, ports[0], ports[1]));
        RemoteRuntime runtime(m_url, m_token);
        runtime.setPollInterval(100);
        QList<MessageEvent> events;
        connect(&runtime, &RuntimeController::eventsArrived, this,
                [&events](const QList<MessageEvent> &batch) { events.append(batch); });
        QString what;
        Diagnostics problems;
        connect(&runtime, &RuntimeController::problemsReported, this,
                [&](const QString &text, const Diagnostics &reported) {
                    what = text;
                    problems = reported;
                });
        runtime.run(project);
        QTRY_COMPARE_WITH_TIMEOUT(runtime.state(), RuntimeState::Running, 15000);
        QVERIFY2(what.isEmpty(), qPrintable(what));
        const auto listensOn = [&runtime](int port) {
            for (const ListenerInfo &listener : runtime.status().listeners) {
                if (listener.port == port)
                    return true;
            }
            return false;
        };
        QVERIFY(listensOn(ports[0]));

        // Once the event stream is open, a client talks.
        QWebSocket client;
        QStringList replies;
        connect(&client, &QWebSocket::textMessageReceived, this,
                [&replies](const QString &text) { replies.append(text); });
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(ports[0])));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::ConnectedState, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(runtime.isWatching(), 10000);
        // The stream's subscription may start a moment after the handshake the studio saw:
        // a frame sent in that moment is not streamed, so a few messages are tried.
        const auto sawFrame = [&events] {
            for (const MessageEvent &event : events) {
                if (event.kind == MessageEventKind::FrameIn && event.peer == EventPeer::Client &&
                    event.payload.startsWith("remote one"))
                    return true;
            }
            return false;
        };
        for (int attempt = 1; attempt <= 5 && !sawFrame(); ++attempt) {
            client.sendTextMessage(QStringLiteral("remote one #%1").arg(attempt));
            QTRY_COMPARE_WITH_TIMEOUT(replies.size(), attempt, 10000);
            if (QTest::qWaitFor(sawFrame, 2000))
                break;
        }
        QVERIFY2(sawFrame(), "the client's frame came through the event stream");
        const qsizetype repliesBefore = replies.size();
        QTRY_VERIFY_WITH_TIMEOUT(!runtime.connections().isEmpty(), 5000);

        // A broken sequence: refused with its problems, the running one keeps serving.
        QFile sequence(project +
                       QStringLiteral("/src/main/synapse-config/sequences/dispatchSeq.xml"));
        QVERIFY(sequence.open(QIODevice::WriteOnly | QIODevice::Truncate));
        sequence.write("<sequence name=\"dispatchSeq\" xmlns=\"http://ws.apache.org/ns/synapse\">\n"
                       "  <send>\n</sequence>\n");
        sequence.close();
        what.clear();
        runtime.redeploy(project);
        QTRY_VERIFY_WITH_TIMEOUT(!what.isEmpty(), 10000);
        QVERIFY2(what.contains(QStringLiteral("refused")), qPrintable(what));
        QVERIFY(problems.hasErrors());
        QVERIFY2(problems.items().first().location.file.endsWith(QStringLiteral("dispatchSeq.xml")),
                 qPrintable(problems.toString()));
        QCOMPARE(runtime.state(), RuntimeState::Running);
        client.sendTextMessage(QStringLiteral("remote two"));
        QTRY_COMPARE_WITH_TIMEOUT(replies.size(), repliesBefore + 1, 10000);
        QCOMPARE(replies.last(), QStringLiteral("remote two"));

        // Close the client's connection from the studio.
        QString clientId;
        for (const ConnectionInfo &connection : runtime.connections()) {
            if (connection.peer == EventPeer::Client &&
                connection.artifact == QLatin1String("websocket"))
                clientId = connection.id;
        }
        QVERIFY(!clientId.isEmpty());
        runtime.closeConnection(clientId, 4000, QStringLiteral("closed from the studio"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 10000);
        QCOMPARE(int(client.closeCode()), 4000);
        runtime.stop();
        QCOMPARE(runtime.state(), RuntimeState::Stopped);
    }

private:
    QString newProject()
    {
        const QList<int> ports = testing::freePorts(2);
        const QString project = m_dir.filePath(QStringLiteral("p-%1").arg(ports.value(0)));
        if (!testing::copyEchoProject(project, ports.value(0), ports.value(1)))
            return QString();
        return project;
    }

    QTemporaryDir m_dir;
    QProcess m_sluice;
    QUrl m_url;
    QString m_token;
};

QTEST_GUILESS_MAIN(TestRemoteRuntime)
#include "tst_remote_runtime.moc"
