// SPDX-License-Identifier: Apache-2.0
// The studio's cluster dock with real processes: redis-server on a free port, one `sluice run`
// node ("edge-2") and the studio's embedded runtime ("studio") in the same cluster. The dock
// lists both nodes with their connections once the presence keys are there, and says
// "degraded" when Redis goes away. With SLUICE_CLUSTER_SCREENSHOT=/path.png it saves the main
// window with the dock raised (docs/images/studio-cluster.png).

#include "app/cluster_panel.h"
#include "app/main_window.h"
#include "app/runtime_controller.h"
#include "app/theme.h"
#include "run_test_support.h"

#include <QDockWidget>
#include <QLabel>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QWebSocket>

using namespace sluice;
using namespace sluice::studio;

namespace {

bool appendCluster(const QString &project, int redisPort, const QString &node)
{
    QFile toml(project + QStringLiteral("/deployment.toml"));
    if (!toml.open(QIODevice::Append))
        return false;
    toml.write(QStringLiteral("\n[cluster]\nredis = \"127.0.0.1:%1\"\nnode = \"%2\"\n"
                              "heartbeat_ms = 200\n")
                   .arg(redisPort)
                   .arg(node)
                   .toUtf8());
    return true;
}

void stop(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(10000))
        process.kill();
    process.waitForFinished(5000);
}

} // namespace

class TestClusterDock : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QList<int> ports = testing::freePorts(3);
        QCOMPARE(ports.size(), 3);
        m_redisPort = ports[0];
        m_redis.setProcessChannelMode(QProcess::MergedChannels);
        m_redis.start(QStringLiteral("redis-server"),
                      {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                       QStringLiteral("--port"), QString::number(m_redisPort),
                       QStringLiteral("--save"), QString(), QStringLiteral("--appendonly"),
                       QStringLiteral("no"), QStringLiteral("--dir"), m_dir.path()});
        QVERIFY2(m_redis.waitForStarted(10000), "redis-server (apt-get install redis-server)");

        const QString edge = m_dir.filePath(QStringLiteral("edge"));
        QVERIFY(testing::copyEchoProject(edge, ports[1], ports[2]));
        QVERIFY(appendCluster(edge, m_redisPort, QStringLiteral("edge-2")));
        m_edge.setProcessChannelMode(QProcess::MergedChannels);
        m_edge.start(QStringLiteral(SLUICE_BIN),
                     {QStringLiteral("run"), QStringLiteral("--no-management"), edge});
        QVERIFY(m_edge.waitForStarted(10000));
        m_edgeClientPort = ports[1];
        const QString notListening = testing::waitUntilListening(m_edge, m_edgeClientPort);
        QVERIFY2(notListening.isEmpty(), qPrintable(notListening));
    }

    void cleanupTestCase()
    {
        stop(m_edge);
        stop(m_redis);
    }

    void dockListsTheNodesThenSaysDegraded()
    {
        const QList<int> ports = testing::freePorts(2);
        QCOMPARE(ports.size(), 2);
        const QString project = m_dir.filePath(QStringLiteral("studio"));
        QVERIFY(testing::copyEchoProject(project, ports[0], ports[1]));
        QVERIFY(appendCluster(project, m_redisPort, QStringLiteral("studio")));

        MainWindow window;
        window.setConfirmHandler(
            [](const QString &) { return MainWindow::UnsavedChoice::Discard; });
        window.setTheme(Theme::Light);
        window.resize(1400, 860);
        window.show();
        ClusterPanel *panel = window.clusterPanel();
        QVERIFY(panel->summary()->text().contains(QStringLiteral("Not in a cluster")));
        QVERIFY(window.openProject(project));
        QVERIFY(window.runProject());
        QTRY_COMPARE_WITH_TIMEOUT(window.runtime()->state(), RuntimeState::Running, 15000);

        // Clients on both nodes: the dock shows each node's count from its presence key.
        QWebSocket local;
        QWebSocket remote1;
        QWebSocket remote2;
        local.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(ports[0])));
        remote1.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_edgeClientPort)));
        remote2.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_edgeClientPort)));
        const auto edgeStory = [&] {
            return remote2.errorString() + QStringLiteral("\nedge-2 said:\n") +
                   QString::fromLocal8Bit(m_edge.peek(64 * 1024));
        };
        QTRY_VERIFY2_WITH_TIMEOUT(remote1.state() == QAbstractSocket::ConnectedState &&
                                      remote2.state() == QAbstractSocket::ConnectedState,
                                  qPrintable(edgeStory()), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(local.state(), QAbstractSocket::ConnectedState, 10000);

        QTreeWidget *nodes = panel->nodes();
        const auto row = [nodes](const QString &prefix) -> QTreeWidgetItem * {
            for (int i = 0; i < nodes->topLevelItemCount(); ++i) {
                if (nodes->topLevelItem(i)->text(0).startsWith(prefix))
                    return nodes->topLevelItem(i);
            }
            return nullptr;
        };
        QTRY_VERIFY_WITH_TIMEOUT(row(QStringLiteral("edge-2")) &&
                                     row(QStringLiteral("edge-2"))->text(1) == QLatin1String("2"),
                                 15000);
        QTRY_VERIFY_WITH_TIMEOUT(row(QStringLiteral("studio (this runtime)")) &&
                                     row(QStringLiteral("studio"))->text(1) == QLatin1String("1"),
                                 10000);
        QCOMPARE(nodes->topLevelItemCount(), 2);
        QVERIFY2(panel->summary()->text().contains(QStringLiteral("connected")),
                 qPrintable(panel->summary()->text()));
        QVERIFY(panel->summary()->text().contains(QStringLiteral("127.0.0.1:%1").arg(m_redisPort)));

        const QString screenshot = qEnvironmentVariable("SLUICE_CLUSTER_SCREENSHOT");
        if (!screenshot.isEmpty()) {
            // Traffic on both nodes while the picture is taken, so that the rates show.
            QTimer traffic;
            int tick = 0;
            connect(&traffic, &QTimer::timeout, this, [&] {
                local.sendTextMessage(QStringLiteral("{\"tick\":%1}").arg(++tick));
                remote1.sendTextMessage(QStringLiteral("{\"tick\":%1}").arg(tick));
            });
            traffic.start(10);
            QTRY_VERIFY_WITH_TIMEOUT(
                row(QStringLiteral("edge-2"))->text(2) != QLatin1String("0.0") &&
                    row(QStringLiteral("studio"))->text(2) != QLatin1String("0.0"),
                10000);
            window.clusterDockWidget()->raise();
            QTest::qWait(200);
            QVERIFY(window.grab().save(screenshot, "PNG"));
            traffic.stop();
        }

        // Redis goes: the studio's node serves on and says so; only itself is listed.
        stop(m_redis);
        QTRY_VERIFY_WITH_TIMEOUT(panel->summary()->text().contains(QStringLiteral("degraded")),
                                 10000);
        QCOMPARE(nodes->topLevelItemCount(), 1);
        window.stopProject();
    }

private:
    QTemporaryDir m_dir;
    QProcess m_redis;
    QProcess m_edge;
    int m_redisPort = 0;
    int m_edgeClientPort = 0;
};

QTEST_MAIN(TestClusterDock)
#include "tst_cluster_dock.moc"
