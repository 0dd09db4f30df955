// SPDX-License-Identifier: Apache-2.0
// The studio during a real run of projects/websocket-echo (a temporary copy on free ports), for
// docs/images:
//   studio-log-dock.png  the main window with the message log after three messages: the
//                        second message's path highlighted and its JSON in the detail pane
// Usage: studio_run_screenshots [output dir]   (default: docs/images)

#include "app/embedded_runtime.h"
#include "app/log_dock.h"
#include "app/main_window.h"
#include "app/theme.h"
#include "model/event_log_model.h"
#include "run_test_support.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDockWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>
#include <QWebSocket>

using namespace sluice;
using namespace sluice::studio;

namespace {

bool waitFor(const std::function<bool()> &condition, int ms = 10000)
{
    QDeadlineTimer deadline(ms);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

bool fail(const QString &why)
{
    QTextStream(stderr) << "studio_run_screenshots: " << why << '\n';
    return false;
}

bool shoot(const QDir &out)
{
    QTemporaryDir dir;
    const QList<int> ports = testing::freePorts(2);
    if (!dir.isValid() || ports.size() != 2)
        return fail(QStringLiteral("no temporary directory or free ports"));
    const QString project = dir.filePath(QStringLiteral("websocket-echo"));
    if (!testing::copyEchoProject(project, ports[0], ports[1]))
        return fail(QStringLiteral("cannot copy the sample"));

    MainWindow window;
    window.setConfirmHandler([](const QString &) { return MainWindow::UnsavedChoice::Discard; });
    window.setTheme(Theme::Light);
    window.resize(1600, 960);
    window.show();
    if (!window.openProject(project) || !window.runProject())
        return fail(QStringLiteral("cannot open or run the project"));
    if (!waitFor([&] { return window.runtime()->state() == RuntimeState::Running; }))
        return fail(QStringLiteral("the project did not start"));

    // A client sends three JSON messages and gets the echoes back through the backend.
    QWebSocket client;
    int replies = 0;
    QObject::connect(&client, &QWebSocket::textMessageReceived, [&replies] { ++replies; });
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(ports[0])));
    if (!waitFor([&] { return client.state() == QAbstractSocket::ConnectedState; }))
        return fail(QStringLiteral("the client did not connect"));
    const QStringList messages = {
        QStringLiteral(R"({"order":1041,"item":"valve","qty":2})"),
        QStringLiteral(R"({"order":1042,"item":"gasket","qty":12,"rush":true})"),
        QStringLiteral(R"({"order":1043,"item":"pump","qty":1})")};
    for (const QString &message : messages) {
        client.sendTextMessage(message);
        const int expected = replies + 1;
        if (!waitFor([&] { return replies >= expected; }))
            return fail(QStringLiteral("no echo came back"));
    }
    EventLogModel *model = window.logDock()->model();
    waitFor([&] { return model->rowCount() > 30; }, 2000);
    // The status bar counts the client once the runtime has been polled.
    waitFor([&] { return window.runtime()->status().clientConnections > 0; }, 3000);

    // The second message's client frame: its path is highlighted, the detail shows its JSON.
    window.logDock()->setFollowTail(false);
    window.logDock()->table()->scrollToTop();
    quint64 frameId = 0;
    int frames = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const MessageEvent &event = model->event(row);
        if (event.kind == MessageEventKind::FrameIn && event.peer == EventPeer::Client &&
            event.artifact == QLatin1String("websocket") && ++frames == 2) {
            frameId = event.id;
            break;
        }
    }
    window.logDockWidget()->raise();
    if (frameId == 0 || !window.logDock()->selectEvent(frameId))
        return fail(QStringLiteral("the second client frame is not in the log"));
    window.resizeDocks({window.logDockWidget()}, {400}, Qt::Vertical);
    // The selected frame at the top, so that its way to the backend and back shows below it.
    QTableView *table = window.logDock()->table();
    table->scrollTo(table->currentIndex(), QAbstractItemView::PositionAtTop);
    if (auto *projectDock = window.findChild<QDockWidget *>(QStringLiteral("ProjectDock")))
        window.resizeDocks({projectDock, window.propertiesDock()}, {220, 280}, Qt::Horizontal);
    for (int i = 0; i < 10; ++i)
        QApplication::processEvents();
    const bool ok = window.grab().save(out.filePath(QStringLiteral("studio-log-dock.png")), "PNG");

    client.close();
    window.stopProject();
    waitFor([&] { return window.runtime()->state() == RuntimeState::Stopped; });
    QTextStream(stdout) << (ok ? "wrote " : "FAILED ") << QDir::toNativeSeparators(out.path())
                        << "/studio-log-dock.png\n";
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("sluice-screenshots"));
    const QString dir =
        argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(SLUICE_DOCS_IMAGES);
    QDir().mkpath(dir);
    return shoot(QDir(dir)) ? 0 : 1;
}
