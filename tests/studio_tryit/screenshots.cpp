// SPDX-License-Identifier: Apache-2.0
// The try-it panel in use, for docs/images: connected to a python3-websockets echo peer with a
// few text, JSON and binary frames in the transcript, a JSON reply selected; and the HTTP tab
// with the answer of Python's http.server; and the connections view of a runtime running a copy
// of projects/websocket-echo with two try-it clients.
//   studio-try-it.png, studio-try-it-http.png, studio-connections.png
// Usage: studio_tryit_screenshots [output dir] [--narrow] [--dark]   (default dir: docs/images)

#include "../studio_run/run_test_support.h"
#include "app/connections_view.h"
#include "app/http_try_it_tab.h"
#include "app/theme.h"
#include "app/try_it_panel.h"
#include "app/ws_try_it_tab.h"
#include "app/ws_try_it_transcript.h"
#include "model/connections_model.h"
#include "runtime/runtime.h"
#include "tryit_test_support.h"

#include <QApplication>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTextStream>
#include <QTreeWidget>

using namespace sluice::studio;

namespace {

// Runs the event loop until `done` or the deadline; false on timeout.
template <typename Done> bool waitFor(Done done, int ms = 10000)
{
    const QDeadlineTimer deadline(ms);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    return true;
}

int receivedCount(const WsTryItTab &tab)
{
    int count = 0;
    for (const TranscriptEntry &entry : tab.transcript()->entries())
        count += entry.direction == TranscriptEntry::Direction::Received ? 1 : 0;
    return count;
}

bool send(WsTryItTab &tab, MessageMode mode, const QString &text)
{
    const int before = receivedCount(tab);
    tab.setMode(mode);
    tab.editor()->setPlainText(text);
    return tab.sendMessage() && waitFor([&] { return receivedCount(tab) > before; });
}

bool save(QWidget &widget, const QString &path)
{
    const bool ok = widget.grab().save(path, "PNG");
    QTextStream(stdout) << (ok ? "wrote " : "FAILED ") << QDir::toNativeSeparators(path) << '\n';
    return ok;
}

// The HTTP tab after a GET of a JSON document from Python's http.server.
bool shootHttp(TryItPanel &panel, const QString &path)
{
    QTemporaryDir site;
    QFile order(site.filePath(QStringLiteral("orders.json")));
    if (!order.open(QIODevice::WriteOnly) ||
        order.write("{\"orders\":[{\"id\":7,\"items\":[\"tea\",\"cake\"],\"total\":9.5},"
                    "{\"id\":8,\"items\":[\"coffee\"],\"total\":3.2}]}") < 0)
        return false;
    order.close();
    testing::PythonPeer peer;
    if (!testing::startHttpPeer(peer, site.path()))
        return false;
    HttpTryItTab &tab = *panel.httpTab();
    panel.tabs()->setCurrentWidget(&tab);
    tab.urlCombo()->setEditText(QStringLiteral("http://127.0.0.1:%1/orders.json").arg(peer.port()));
    tab.setHeader(QStringLiteral("Accept"), QStringLiteral("application/json"));
    QSignalSpy finished(&tab, &HttpTryItTab::finished);
    if (!tab.send() || !finished.wait(10000) || tab.lastResponse().status != 200)
        return false;
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    return save(panel, path);
}

// Two clients of the runtime (one with a subprotocol) after a few messages, in the view.
bool shootConnections(const QString &path)
{
    QTemporaryDir directory;
    const QList<int> ports = testing::freePorts(2);
    const QString project = directory.filePath(QStringLiteral("websocket-echo"));
    if (ports.size() != 2 || !testing::copyEchoProject(project, ports.at(0), ports.at(1)))
        return false;
    sluice::Runtime runtime;
    sluice::Diagnostics problems;
    if (!runtime.deploy(project, problems)) {
        QTextStream(stderr) << problems.toString() << '\n';
        return false;
    }
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(ports.at(0));
    WsTryItTab first;
    WsTryItTab second;
    for (WsTryItTab *tab : {&first, &second}) {
        tab->urlCombo()->setEditText(
            url + (tab == &first ? QStringLiteral("orders") : QStringLiteral("prices")));
        tab->connectToUrl();
        if (!waitFor([tab] { return tab->state() == QAbstractSocket::ConnectedState; }))
            return false;
    }
    for (int i = 0; i < 3; ++i) {
        if (!send(first, MessageMode::Text, QStringLiteral("order %1").arg(i)))
            return false;
    }
    if (!send(second, MessageMode::Json, QStringLiteral("{\"symbol\": \"SLC\"}")))
        return false;
    ConnectionsView view;
    view.resize(1000, 220);
    view.show();
    // Until the runtime has counted every frame of both clients (workers report on their own).
    const bool counted = waitFor([&] {
        view.setConnections(runtime.connections());
        quint64 framesIn = 0;
        for (const sluice::ConnectionInfo &info : view.model()->connections())
            framesIn += info.peer == sluice::EventPeer::Client ? info.framesIn : 0;
        return view.model()->rowCount() >= 4 && framesIn >= 4;
    });
    if (!counted)
        return false;
    view.table()->selectRow(0);
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    const bool ok = save(view, path);
    first.disconnectFromUrl();
    second.disconnectFromUrl();
    runtime.shutdown();
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QTemporaryDir settings;
    testing::isolateSettings(settings, QStringLiteral("studio_tryit_screenshots"));
    applyTheme(Theme::Light);

    QStringList arguments = QCoreApplication::arguments().mid(1);
    // --narrow: the width of a side dock; --dark: the dark theme (for looking at, not the docs).
    const bool narrow = arguments.removeAll(QStringLiteral("--narrow")) > 0;
    if (arguments.removeAll(QStringLiteral("--dark")) > 0)
        applyTheme(Theme::Dark);
    const QString output =
        arguments.isEmpty() ? QStringLiteral(SLUICE_DOCS_IMAGES) : arguments.constFirst();
    if (!QDir().mkpath(output))
        return 1;

    testing::PythonPeer peer;
    if (!testing::startWebSocketPeer(
            peer, {QStringLiteral("--subprotocol"), QStringLiteral("orders.v1")})) {
        QTextStream(stderr) << "cannot start the echo peer: " << peer.error() << '\n';
        return 1;
    }
    const QString url = QStringLiteral("ws://127.0.0.1:%1/orders").arg(peer.port());

    TryItPanel panel;
    panel.resize(narrow ? 420 : 980, narrow ? 820 : 700);
    panel.setEndpoints({url}, {QStringLiteral("http://127.0.0.1:8290/orders")});
    WsTryItTab &tab = *panel.webSocketTab();
    tab.subprotocolEdit()->setText(QStringLiteral("orders.v1"));
    tab.headersEdit()->setPlainText(QStringLiteral("X-Client: studio"));
    panel.show();
    tab.connectToUrl();
    if (!waitFor([&] { return tab.state() == QAbstractSocket::ConnectedState; }))
        return 1;
    tab.setMode(MessageMode::Json);
    tab.editor()->setPlainText(QStringLiteral("{\"op\": \"subscribe\", \"topic\": \"orders\"}"));
    tab.saveMessage(QStringLiteral("subscribe"));
    const bool sent = send(tab, MessageMode::Json,
                           QStringLiteral("{\"op\": \"subscribe\", \"topic\": \"orders\"}")) &&
                      send(tab, MessageMode::Text, QStringLiteral("hello from the studio")) &&
                      send(tab, MessageMode::Hex, QStringLiteral("de ad be ef 00 2a")) &&
                      send(tab, MessageMode::Json,
                           QStringLiteral("{\"order\": {\"id\": 7, \"items\": [\"tea\", \"cake\"], "
                                          "\"total\": 9.5}}"));
    if (!sent)
        return 1;
    // A JSON reply selected, and the next message half written in the editor.
    QTreeWidget *table = tab.transcript()->table();
    table->setCurrentItem(table->topLevelItem(table->topLevelItemCount() - 1));
    tab.setMode(MessageMode::Json);
    tab.editor()->setPlainText(QStringLiteral("{\n    \"op\": \"cancel\",\n    \"id\": 7\n}"));
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();

    const QDir dir(QDir::cleanPath(output));
    const bool ok = save(panel, dir.filePath(QStringLiteral("studio-try-it.png")));
    tab.disconnectFromUrl();
    const bool http = shootHttp(panel, dir.filePath(QStringLiteral("studio-try-it-http.png")));
    const bool connections =
        shootConnections(dir.filePath(QStringLiteral("studio-connections.png")));
    return ok && http && connections ? 0 : 1;
}
