// SPDX-License-Identifier: Apache-2.0
// Message events on the real path: an in-process Runtime runs projects/websocket-echo (client ->
// dispatch sequence -> WebSocket backend -> outflow sequence -> client) and a QWebSocket client
// makes round trips one after the other, with events off and recorded (nobody watching). Prints
// µs per round trip and the overhead of recording. Ports are picked free at run time.
//   runtime_events_bench [round trips] [rounds] [project dir]

#include "runtime/logger.h"
#include "runtime/runtime.h"
#include "runtime_bench_support.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <QWebSocket>
#include <algorithm>

using namespace sluice;
using sluice::bench::copyProject;
using sluice::bench::freePort;

namespace {

// Round trips one after the other; returns µs per round trip, or a negative value on failure.
double microsPerRoundTrip(QWebSocket &client, int roundTrips)
{
    const QString payload = QStringLiteral("{\"symbol\":\"ACME\",\"price\":42.5,\"qty\":100}");
    int received = 0;
    QEventLoop loop;
    const auto connection =
        QObject::connect(&client, &QWebSocket::textMessageReceived, &loop, [&](const QString &) {
            if (++received == roundTrips)
                loop.quit();
            else
                client.sendTextMessage(payload);
        });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit); // never hang on a broken flow
    QElapsedTimer timer;
    timer.start();
    client.sendTextMessage(payload);
    loop.exec();
    QObject::disconnect(connection);
    if (received != roundTrips)
        return -1;
    return double(timer.nsecsElapsed()) / 1000.0 / roundTrips;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int roundTrips = args.size() > 1 ? args.at(1).toInt() : 5000;
    const int rounds = args.size() > 2 ? args.at(2).toInt() : 5;
    const QString projectDir =
        args.size() > 3 ? args.at(3) : QStringLiteral(SLUICE_SOURCE_DIR "/projects/websocket-echo");
    QTextStream out(stdout);
    // The outflow sequence logs every message in full: keep the log itself out of the figures.
    Logger::instance().setLevel(LogLevel::Error);

    QTemporaryDir dir;
    const quint16 clientPort = freePort();
    const quint16 backendPort = freePort();
    if (!dir.isValid() || !copyProject(projectDir, dir.path(), clientPort, backendPort)) {
        out << "cannot copy " << projectDir << Qt::endl;
        return 1;
    }
    Runtime runtime;
    Diagnostics diagnostics;
    if (!runtime.deploy(dir.path(), diagnostics)) {
        out << "cannot deploy: " << diagnostics.toString() << Qt::endl;
        return 1;
    }
    QWebSocket client;
    QEventLoop connected;
    QObject::connect(&client, &QWebSocket::connected, &connected, &QEventLoop::quit);
    QTimer::singleShot(10000, &connected, &QEventLoop::quit);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(clientPort)));
    connected.exec();
    if (client.state() != QAbstractSocket::ConnectedState) {
        out << "cannot connect: " << client.errorString() << Qt::endl;
        return 1;
    }

    microsPerRoundTrip(client, roundTrips / 10 + 1); // warm up (backend connection, caches)
    double off = 1e18;
    double on = 1e18;
    for (int round = 0; round < rounds; ++round) {
        runtime.setMessageEventsEnabled(false);
        const double offNow = microsPerRoundTrip(client, roundTrips);
        runtime.setMessageEventsEnabled(true);
        const double onNow = microsPerRoundTrip(client, roundTrips);
        if (offNow < 0 || onNow < 0) {
            out << "round trips did not complete" << Qt::endl;
            return 1;
        }
        off = std::min(off, offNow);
        on = std::min(on, onNow);
    }
    const double overhead = (on - off) / off * 100.0;
    out << "round trips per run: " << roundTrips << ", best of " << rounds
        << " rounds, events per round trip: frames in/out on both connections, mediators, "
           "properties set, log\n";
    out << QStringLiteral("events off:             %1 µs/round trip\n").arg(off, 0, 'f', 2);
    out << QStringLiteral("on, unwatched (ring):   %1 µs/round trip (%2 %) -> %3\n")
               .arg(on, 0, 'f', 2)
               .arg(overhead, 0, 'f', 1)
               .arg(overhead <= 3.0 ? QStringLiteral("within the 3 % budget")
                                    : QStringLiteral("OVER the 3 % budget"));
    out << "events recorded: " << runtime.events().lastId()
        << ", dropped from the ring: " << runtime.events().droppedCount() << Qt::endl;
    client.close();
    runtime.shutdown();
    return 0;
}
