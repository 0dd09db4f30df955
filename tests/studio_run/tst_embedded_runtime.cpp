// SPDX-License-Identifier: Apache-2.0
// The studio's embedded runtime controller: runs a temporary copy of projects/websocket-echo on
// free ports on its own thread, carries message events to the GUI thread in batches, reports a
// port in use as a problem of the inbound endpoint's file, and stops.

#include "app/embedded_runtime.h"
#include "run_test_support.h"

#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>

using namespace sluice;
using namespace sluice::studio;

class TestEmbeddedRuntime : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_ports = testing::freePorts(2);
        QCOMPARE(m_ports.size(), 2);
        m_project = m_dir.filePath(QStringLiteral("echo-%1").arg(m_ports[0]));
        QVERIFY(testing::copyEchoProject(m_project, m_ports[0], m_ports[1]));
    }

    void runsEchoesAndReportsEvents()
    {
        EmbeddedRuntime runtime;
        runtime.setPollInterval(100);
        QList<MessageEvent> events;
        int batches = 0;
        connect(&runtime, &RuntimeController::eventsArrived, this,
                [&](const QList<MessageEvent> &batch) {
                    // Batches come out on the GUI thread, never on a worker.
                    QCOMPARE(QThread::currentThread(), thread());
                    events.append(batch);
                    ++batches;
                });
        runtime.run(m_project);
        QCOMPARE(runtime.state(), RuntimeState::Starting); // run() returns at once
        QTRY_COMPARE_WITH_TIMEOUT(runtime.state(), RuntimeState::Running, 10000);
        QList<int> ports;
        for (const ListenerInfo &listener : runtime.status().listeners)
            ports.append(listener.port);
        std::sort(ports.begin(), ports.end());
        QList<int> expected = m_ports;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(ports, expected);

        QWebSocket client;
        QStringList replies;
        connect(&client, &QWebSocket::textMessageReceived, this,
                [&replies](const QString &text) { replies.append(text); });
        client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_ports[0])));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::ConnectedState, 10000);
        client.sendTextMessage(QStringLiteral(R"({"hello":"studio"})"));
        QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 1, 10000);
        QCOMPARE(replies.first(), QStringLiteral(R"({"hello":"studio"})"));

        // The log mediator of outDispatchSeq ran on the reply: its event reaches the GUI.
        const auto hasLog = [&events] {
            for (const MessageEvent &event : events) {
                if (event.kind == MessageEventKind::Log)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(hasLog(), 5000);
        QVERIFY(batches >= 1);
        QVERIFY(batches < events.size()); // batched, not one signal per event
        for (qsizetype i = 1; i < events.size(); ++i)
            QVERIFY2(events[i - 1].id < events[i].id, "events arrive in the order emitted");

        // Connections are polled: the client and its backend connection are listed.
        QTRY_VERIFY_WITH_TIMEOUT(runtime.connections().size() >= 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(runtime.status().clientConnections >= 1, 5000);

        client.close();
        runtime.stop();
        QTRY_COMPARE_WITH_TIMEOUT(runtime.state(), RuntimeState::Stopped, 10000);
        QCOMPARE(runtime.status().listeners.size(), 0);
        // The port is free again.
        QTcpServer again;
        QTRY_VERIFY_WITH_TIMEOUT(again.isListening() ||
                                     again.listen(QHostAddress::LocalHost, quint16(m_ports[0])),
                                 5000);
    }

    void portInUseIsAProblemNotACrash()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, quint16(m_ports[0])));
        EmbeddedRuntime runtime;
        QString what;
        Diagnostics problems;
        connect(&runtime, &RuntimeController::problemsReported, this,
                [&](const QString &text, const Diagnostics &reported) {
                    what = text;
                    problems = reported;
                });
        runtime.run(m_project);
        QTRY_COMPARE_WITH_TIMEOUT(runtime.state(), RuntimeState::Failed, 10000);
        QVERIFY(!what.isEmpty());
        QVERIFY(problems.hasErrors());
        const Diagnostic problem = problems.items().first();
        QVERIFY2(problem.location.file.endsWith(QStringLiteral("inbound-endpoints/websocket.xml")),
                 qPrintable(problem.toString()));
        QVERIFY2(problem.message.contains(QStringLiteral("websocket")),
                 qPrintable(problem.toString()));

        // Once the port is free, Run works.
        squatter.close();
        runtime.run(m_project);
        QTRY_COMPARE_WITH_TIMEOUT(runtime.state(), RuntimeState::Running, 10000);
    }

    void invalidProjectIsAProblem()
    {
        QFile broken(m_project +
                     QStringLiteral("/src/main/synapse-config/sequences/dispatchSeq.xml"));
        QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
        broken.write("<sequence name=\"dispatchSeq\" xmlns=\"http://ws.apache.org/ns/synapse\">\n"
                     "  <send>\n</sequence>\n");
        broken.close();
        EmbeddedRuntime runtime;
        Diagnostics problems;
        connect(&runtime, &RuntimeController::problemsReported, this,
                [&](const QString &, const Diagnostics &reported) { problems = reported; });
        runtime.run(m_project);
        QTRY_COMPARE_WITH_TIMEOUT(runtime.state(), RuntimeState::Failed, 10000);
        QVERIFY(problems.hasErrors());
        const Diagnostic problem = problems.items().first();
        QVERIFY2(problem.location.file.endsWith(QStringLiteral("dispatchSeq.xml")),
                 qPrintable(problem.toString()));
        QVERIFY(problem.location.line > 0);
    }

private:
    QTemporaryDir m_dir;
    QList<int> m_ports;
    QString m_project;
};

QTEST_GUILESS_MAIN(TestEmbeddedRuntime)
#include "tst_embedded_runtime.moc"
