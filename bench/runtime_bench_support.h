// SPDX-License-Identifier: Apache-2.0
// Shared by the runtime benchmarks: a copy of a project with its inbound endpoints moved to
// ports picked free at run time (projects/websocket-echo uses 9092 and 8082).
#pragma once

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QTcpServer>

namespace sluice::bench {

inline quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// A copy of the project with the client (9092) and backend (8082) endpoints on the given ports.
inline bool copyProject(const QString &from, const QString &to, quint16 clientPort,
                        quint16 backendPort)
{
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = to + QDir(from).relativeFilePath(source).prepend(u'/');
        QDir().mkpath(QFileInfo(target).path());
        QFile in(source);
        QFile out(target);
        if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly))
            return false;
        QByteArray text = in.readAll();
        text.replace("9092", QByteArray::number(clientPort));
        text.replace("8082", QByteArray::number(backendPort));
        out.write(text);
    }
    return true;
}

} // namespace sluice::bench
