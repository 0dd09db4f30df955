// SPDX-License-Identifier: Apache-2.0
// Does the studio's GUI keep responding while the message log takes thousands of events per
// second? Worker threads push synthetic message events into a RuntimeController's queue at a
// set rate (as the embedded runtime's subscription does), the controller hands them to the
// LogDock (table shown offscreen, following the tail) every 50 ms, and a 10 ms QTimer on the GUI
// thread measures how late the event loop serves it. Prints, per rate: events offered, shown and
// dropped, and the timer's lateness (mean, p99, max); without a filter and with a regular
// expression over every column.
// Then the same probe with a real load: the embedded runtime runs projects/websocket-echo (a
// temporary copy on free ports) while 8 WebSocket clients on another thread send as fast as the
// replies come back; the table shows every event of every round trip.
//   QT_QPA_PLATFORM=offscreen studio_log_bench [seconds per rate] [rates...]
//   (default: 3 s at 1000 5000 20000 50000 events/s)

#include "../tests/studio_run/run_test_support.h"
#include "app/embedded_runtime.h"
#include "app/log_dock.h"
#include "app/runtime_controller.h"
#include "model/event_log_model.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

using namespace sluice;
using namespace sluice::studio;

namespace {

// A controller with nothing behind it: only its queue and batching are exercised.
class QueueOnlyController : public RuntimeController {
public:
    QString description() const override { return QStringLiteral("bench"); }
    void run(const QString &) override {}
    void stop() override {}
    void redeploy(const QString &) override {}
    void closeConnection(const QString &, int, const QString &) override {}
};

// A message through the echo sample: client frame, four mediators, backend frame out and in,
// log, respond, client frame out; ten events per message.
void pushMessage(EventLogQueue &queue, quint64 message, std::atomic<quint64> &nextId)
{
    static const QByteArray payload = R"({"order":1041,"item":"valve","qty":2})";
    static const MessageEventKind kinds[] = {
        MessageEventKind::FrameIn,         MessageEventKind::MediatorEntered,
        MessageEventKind::MediatorEntered, MessageEventKind::MediatorEntered,
        MessageEventKind::MediatorEntered, MessageEventKind::FrameOut,
        MessageEventKind::FrameIn,         MessageEventKind::Log,
        MessageEventKind::MediatorEntered, MessageEventKind::FrameOut};
    const QString connection = QStringLiteral("ws-%1").arg(message % 50);
    for (MessageEventKind kind : kinds) {
        MessageEvent event;
        event.id = nextId.fetch_add(1);
        event.timestampMs = QDateTime::currentMSecsSinceEpoch();
        event.kind = kind;
        event.connectionId = connection;
        event.messageId = message;
        event.artifact = QStringLiteral("websocket");
        if (kind == MessageEventKind::MediatorEntered)
            event.mediator = QStringLiteral("property");
        if (kind == MessageEventKind::FrameIn || kind == MessageEventKind::FrameOut) {
            event.peer = EventPeer::Client;
            event.payload = payload;
            event.size = payload.size();
        }
        if (kind == MessageEventKind::Log)
            event.text = QString::fromUtf8(payload);
        queue.push(event);
    }
}

struct Figures {
    quint64 offered = 0;
    quint64 shown = 0;
    quint64 dropped = 0;
    double meanLateMs = 0;
    double p99LateMs = 0;
    double maxLateMs = 0;
};

// Runs the event loop for `seconds` with a 10 ms timer; returns how late each tick came (ms),
// which is how long the GUI thread was busy with something else.
std::vector<double> probeGui(int seconds)
{
    std::vector<double> late;
    QElapsedTimer clock;
    clock.start();
    qint64 expectedUs = 10000;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 nowUs = clock.nsecsElapsed() / 1000;
        late.push_back(double(std::max<qint64>(0, nowUs - expectedUs)) / 1000.0);
        expectedUs = nowUs + 10000;
    });
    probe.start();
    QTimer::singleShot(seconds * 1000, [] { QCoreApplication::exit(); });
    QApplication::exec();
    return late;
}

void summarize(std::vector<double> late, Figures &figures)
{
    std::sort(late.begin(), late.end());
    if (late.empty())
        return;
    double sum = 0;
    for (double value : late)
        sum += value;
    figures.meanLateMs = sum / double(late.size());
    figures.p99LateMs = late[size_t(double(late.size() - 1) * 0.99)];
    figures.maxLateMs = late.back();
}

Figures measure(int eventsPerSecond, int seconds, bool filtered)
{
    QueueOnlyController controller;
    LogDock dock;
    dock.resize(1200, 500);
    dock.show();
    // The costliest filter: a regular expression over every column of every row.
    if (filtered)
        dock.setTextFilter(QStringLiteral("gask|valve.*2"), true);
    QObject::connect(&controller, &RuntimeController::eventsArrived, &dock, &LogDock::appendEvents);
    QObject::connect(&controller, &RuntimeController::eventsDropped, &dock, &LogDock::addDropped);

    // Producers: two threads, each half the rate, in 1 ms steps.
    std::atomic<bool> running{true};
    std::atomic<quint64> nextId{1};
    std::atomic<quint64> offered{0};
    std::atomic<quint64> nextMessage{1};
    std::vector<std::thread> producers;
    for (int t = 0; t < 2; ++t) {
        producers.emplace_back([&] {
            const double messagesPerMs = eventsPerSecond / 10.0 / 1000.0 / 2.0;
            double owed = 0;
            while (running.load()) {
                owed += messagesPerMs;
                while (owed >= 1.0) {
                    pushMessage(controller.eventQueue(), nextMessage.fetch_add(1), nextId);
                    offered.fetch_add(10);
                    owed -= 1.0;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        });
    }

    std::vector<double> late = probeGui(seconds);
    running = false;
    for (std::thread &producer : producers)
        producer.join();
    controller.drainEvents();

    Figures figures;
    figures.offered = offered.load();
    figures.shown = dock.model()->totalReceived() - dock.model()->droppedCount();
    figures.dropped = dock.model()->droppedCount();
    summarize(late, figures);
    return figures;
}

// WebSocket clients that live on their own thread: each sends the next message as soon as its
// reply arrives, so the runtime is as busy as it can be.
class LoadClients : public QObject {
public:
    LoadClients(const QUrl &url, int count)
        : m_url(url)
        , m_count(count)
    {
    }
    void start()
    {
        for (int i = 0; i < m_count; ++i) {
            auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
            connect(socket, &QWebSocket::connected, socket,
                    [socket] { socket->sendTextMessage(QStringLiteral(R"({"n":0})")); });
            connect(socket, &QWebSocket::textMessageReceived, socket, [this, socket] {
                m_roundTrips.fetch_add(1, std::memory_order_relaxed);
                if (m_running.load())
                    socket->sendTextMessage(QStringLiteral(R"({"order":1041,"item":"valve"})"));
            });
            socket->open(m_url);
        }
    }
    void stop() { m_running = false; }
    quint64 roundTrips() const { return m_roundTrips.load(); }

private:
    QUrl m_url;
    int m_count;
    std::atomic<bool> m_running{true};
    std::atomic<quint64> m_roundTrips{0};
};

struct LoadFigures {
    Figures gui;
    double roundTripsPerSecond = 0;
};

std::optional<LoadFigures> measureUnderLoad(int seconds)
{
    QTemporaryDir dir;
    const QList<int> ports = testing::freePorts(2);
    const QString project = dir.filePath(QStringLiteral("websocket-echo"));
    if (!dir.isValid() || ports.size() != 2 ||
        !testing::copyEchoProject(project, ports[0], ports[1]))
        return std::nullopt;
    EmbeddedRuntime runtime;
    LogDock dock;
    dock.resize(1200, 500);
    dock.show();
    QObject::connect(&runtime, &RuntimeController::eventsArrived, &dock, &LogDock::appendEvents);
    QObject::connect(&runtime, &RuntimeController::eventsDropped, &dock, &LogDock::addDropped);
    runtime.run(project);
    QElapsedTimer wait;
    wait.start();
    while (runtime.state() == RuntimeState::Starting && wait.elapsed() < 10000)
        QApplication::processEvents(QEventLoop::AllEvents, 20);
    if (runtime.state() != RuntimeState::Running)
        return std::nullopt;

    QThread clientThread;
    clientThread.start();
    auto *clients = new LoadClients(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(ports[0])), 8);
    clients->moveToThread(&clientThread);
    QMetaObject::invokeMethod(
        clients, [clients] { clients->start(); }, Qt::QueuedConnection);
    // Measure from the first reply on, so that connecting is not counted.
    while (clients->roundTrips() == 0 && wait.elapsed() < 20000)
        QApplication::processEvents(QEventLoop::AllEvents, 20);
    const quint64 before = clients->roundTrips();
    LoadFigures figures;
    summarize(probeGui(seconds), figures.gui);
    figures.roundTripsPerSecond = double(clients->roundTrips() - before) / seconds;
    clients->stop();
    QMetaObject::invokeMethod(
        clients, [clients] { delete clients; }, Qt::BlockingQueuedConnection);
    clientThread.quit();
    clientThread.wait();
    runtime.drainEvents();
    figures.gui.offered = dock.model()->totalReceived();
    figures.gui.dropped = dock.model()->droppedCount();
    figures.gui.shown = figures.gui.offered - figures.gui.dropped;
    return figures;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments().mid(1);
    const int seconds = args.isEmpty() ? 3 : std::max(1, args.first().toInt());
    QList<int> rates;
    for (const QString &arg : args.mid(1))
        rates.append(arg.toInt());
    if (rates.isEmpty())
        rates = {1000, 5000, 20000, 50000};

    QTextStream out(stdout);
    out << "studio log: events pushed from 2 threads -> queue -> 50 ms batches -> LogDock "
           "(offscreen, following the tail); GUI timer lateness (10 ms probe)\n";
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(QStringLiteral("events/s"), 9)
               .arg(QStringLiteral("offered"), 9)
               .arg(QStringLiteral("shown"), 9)
               .arg(QStringLiteral("dropped"), 9)
               .arg(QStringLiteral("mean ms"), 8)
               .arg(QStringLiteral("p99 ms"), 8)
               .arg(QStringLiteral("max ms"), 8);
    for (bool filtered : {false, true}) {
        out << (filtered ? "with a regular-expression text filter:\n" : "no filter:\n");
        for (int rate : std::as_const(rates)) {
            const Figures f = measure(rate, seconds, filtered);
            out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                       .arg(rate, 9)
                       .arg(f.offered, 9)
                       .arg(f.shown, 9)
                       .arg(f.dropped, 9)
                       .arg(f.meanLateMs, 8, 'f', 2)
                       .arg(f.p99LateMs, 8, 'f', 2)
                       .arg(f.maxLateMs, 8, 'f', 2);
            out.flush();
        }
    }
    out << "with a load: embedded runtime (projects/websocket-echo), 8 clients sending as fast as "
           "replies come back\n";
    if (const std::optional<LoadFigures> load = measureUnderLoad(seconds)) {
        out << QStringLiteral("round trips/s %1, events %2 (shown %3, dropped %4), GUI timer late "
                              "mean %5 ms, p99 %6 ms, max %7 ms\n")
                   .arg(load->roundTripsPerSecond, 0, 'f', 0)
                   .arg(load->gui.offered)
                   .arg(load->gui.shown)
                   .arg(load->gui.dropped)
                   .arg(load->gui.meanLateMs, 0, 'f', 2)
                   .arg(load->gui.p99LateMs, 0, 'f', 2)
                   .arg(load->gui.maxLateMs, 0, 'f', 2);
    } else {
        out << "the sample did not start (no free ports?)\n";
        return 1;
    }
    return 0;
}
