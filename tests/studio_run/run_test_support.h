// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QList>
#include <QProcess>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>

namespace sluice::studio::testing {

inline QString sourcePath(const QString &relative)
{
    return QDir(QStringLiteral(SLUICE_SOURCE_DIR)).filePath(relative);
}

// Ports the system reports free on 127.0.0.1 right now (all held until every one is chosen, so
// that they differ). Another process could take one before the runtime binds it; tests that
// start servers accept that small race instead of fixed ports that clash for certain.
inline QList<int> freePorts(int count)
{
    QList<QTcpServer *> servers;
    QList<int> ports;
    for (int i = 0; i < count; ++i) {
        auto *server = new QTcpServer;
        if (!server->listen(QHostAddress::LocalHost, 0)) {
            delete server;
            break;
        }
        ports.append(server->serverPort());
        servers.append(server);
    }
    qDeleteAll(servers);
    return ports;
}

// A copy of projects/websocket-echo in `target` whose inbound endpoints listen on `clientPort`
// (was 9092) and `backendPort` (was 8082), the send mediator pointing at the new backend port.
// False when a file cannot be copied or rewritten.
inline bool copyEchoProject(const QString &target, int clientPort, int backendPort)
{
    const QString from = sourcePath(QStringLiteral("projects/websocket-echo"));
    const QDir source(from);
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString copy = QDir(target).filePath(source.relativeFilePath(file));
        QFile in(file);
        if (!QDir().mkpath(QFileInfo(copy).absolutePath()) || !in.open(QIODevice::ReadOnly))
            return false;
        QByteArray bytes = in.readAll();
        if (file.endsWith(QLatin1String(".xml"))) {
            bytes.replace(">9092<", ">" + QByteArray::number(clientPort) + "<");
            bytes.replace(">8082<", ">" + QByteArray::number(backendPort) + "<");
            bytes.replace(":8082/", ":" + QByteArray::number(backendPort) + "/");
        }
        QFile out(copy);
        if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size())
            return false;
    }
    return true;
}

// A copy of projects/websocket-echo in `dir` on two free ports (client endpoint, then backend):
// its path, or an empty string when no ports or no copy could be had.
inline QString makeEchoCopy(const QTemporaryDir &dir, QList<int> &ports)
{
    ports = freePorts(2);
    const QString project = dir.filePath(QStringLiteral("websocket-echo"));
    if (ports.size() != 2 || !copyEchoProject(project, ports[0], ports[1]))
        return QString();
    return project;
}

// Waits until `process` accepts TCP connections on 127.0.0.1:`port`. QProcess::waitForStarted
// only means the program was executed; a client opened before the runtime has bound its port
// is refused and never retries, which a loaded CI machine makes likely. Empty on success, else
// what went wrong with the process's output so far.
inline QString waitUntilListening(QProcess &process, int port, int timeoutMs = 20000)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        if (process.state() == QProcess::NotRunning) {
            return QStringLiteral("%1 exited (%2) before listening on %3:\n%4")
                .arg(process.program())
                .arg(process.exitCode())
                .arg(port)
                .arg(QString::fromLocal8Bit(process.readAll()));
        }
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, quint16(port));
        if (probe.waitForConnected(500))
            return QString();
        process.waitForReadyRead(100);
    }
    return QStringLiteral("%1 not listening on %2 after %3 ms:\n%4")
        .arg(process.program())
        .arg(port)
        .arg(timeoutMs)
        .arg(QString::fromLocal8Bit(process.peek(64 * 1024)));
}

} // namespace sluice::studio::testing
