// SPDX-License-Identifier: Apache-2.0
// The try-it panel and the connections view with a real Sluice runtime: the panel's WebSocket
// client talks to a copy of projects/websocket-echo (its echo backend is a Sluice inbound
// endpoint too), the connections view lists the client and its backend connection as the
// runtime reports them, and closing the client from the view reaches the panel with the code
// and reason chosen.

#include "../studio_run/run_test_support.h"
#include "app/connections_view.h"
#include "app/try_it_panel.h"
#include "app/ws_try_it_tab.h"
#include "app/ws_try_it_transcript.h"
#include "model/connections_model.h"
#include "runtime/runtime.h"
#include "tryit_test_support.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableView>
#include <QtTest>

using namespace sluice;
using namespace sluice::studio;

namespace {

int received(const WsTryItTab &tab)
{
    int count = 0;
    for (const TranscriptEntry &entry : tab.transcript()->entries())
        count += entry.direction == TranscriptEntry::Direction::Received ? 1 : 0;
    return count;
}

bool hasPeer(const QList<ConnectionInfo> &connections, EventPeer peer)
{
    return std::any_of(connections.cbegin(), connections.cend(),
                       [peer](const ConnectionInfo &info) { return info.peer == peer; });
}

} // namespace

class TestTryItRuntime : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        testing::isolateSettings(m_settingsDir, QStringLiteral("tst_try_it_runtime"));
    }

    void echoThroughTheRuntimeAndCloseFromTheView()
    {
        QTemporaryDir projectDir;
        const QList<int> ports = testing::freePorts(2);
        QCOMPARE(ports.size(), 2);
        const QString project = projectDir.filePath(QStringLiteral("websocket-echo"));
        QVERIFY(testing::copyEchoProject(project, ports.at(0), ports.at(1)));
        Runtime runtime;
        Diagnostics problems;
        QVERIFY2(runtime.deploy(project, problems), qPrintable(problems.toString()));

        // The panel is offered the runtime's endpoints, as the main window does.
        QStringList wsUrls;
        for (const ListenerInfo &listener : runtime.status().listeners) {
            if (listener.artifact == QLatin1String("websocket"))
                wsUrls.append(listener.url);
        }
        QCOMPARE(wsUrls.size(), 1);
        TryItPanel panel;
        panel.setEndpoints(wsUrls, {});
        WsTryItTab &tab = *panel.webSocketTab();
        QCOMPARE(tab.urlCombo()->currentText(), wsUrls.first());
        tab.connectToUrl();
        QTRY_COMPARE_WITH_TIMEOUT(tab.state(), QAbstractSocket::ConnectedState, 10000);

        tab.setMode(MessageMode::Json);
        tab.editor()->setPlainText(QStringLiteral("{\"hello\": \"sluice\"}"));
        QVERIFY(tab.sendMessage());
        QTRY_COMPARE_WITH_TIMEOUT(received(tab), 1, 10000);
        QCOMPARE(tab.transcript()->entries().last().data, QByteArray("{\"hello\": \"sluice\"}"));
        tab.setMode(MessageMode::Hex);
        tab.editor()->setPlainText(QStringLiteral("01 02 03"));
        QVERIFY(tab.sendMessage());
        QTRY_COMPARE_WITH_TIMEOUT(received(tab), 2, 10000);
        QVERIFY(tab.transcript()->entries().last().binary);
        QCOMPARE(tab.transcript()->entries().last().data, QByteArray::fromHex("010203"));

        // The connections view, fed the runtime's reports: the panel's client on the
        // "websocket" endpoint with its two frames in, and the backend connection opened for it.
        ConnectionsView view;
        QTRY_VERIFY_WITH_TIMEOUT((view.setConnections(runtime.connections()),
                                  hasPeer(view.model()->connections(), EventPeer::Backend) &&
                                      hasPeer(view.model()->connections(), EventPeer::Client)),
                                 10000);
        QString clientId;
        for (const ConnectionInfo &info : view.model()->connections()) {
            if (info.peer == EventPeer::Client && info.artifact == QLatin1String("websocket"))
                clientId = info.id;
        }
        QVERIFY(!clientId.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            (view.setConnections(runtime.connections()),
             view.model()->connections().at(view.model()->rowOf(clientId)).framesIn >= 2),
            10000);

        view.setCloseDialog([](const QString &, int *code, QString *reason) {
            *code = 4000;
            *reason = QStringLiteral("closed from the connections view");
            return true;
        });
        connect(&view, &ConnectionsView::closeRequested, &runtime,
                [&runtime](const QString &id, int code, const QString &reason) {
                    QVERIFY(runtime.closeConnection(id, code, reason));
                });
        view.table()->selectRow(view.model()->rowOf(clientId));
        view.closeSelected();
        QTRY_COMPARE_WITH_TIMEOUT(tab.state(), QAbstractSocket::UnconnectedState, 10000);
        const QString state = tab.stateLabel()->text();
        QVERIFY2(state.contains(QStringLiteral("4000")) &&
                     state.contains(QStringLiteral("closed from the connections view")),
                 qPrintable(state));
        // The runtime stops reporting it and the view drops the row.
        QTRY_VERIFY_WITH_TIMEOUT(
            (view.setConnections(runtime.connections()), view.model()->rowOf(clientId) < 0), 10000);
        runtime.shutdown();
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestTryItRuntime)
#include "tst_try_it_runtime.moc"
