// SPDX-License-Identifier: Apache-2.0
#pragma once

// Peers for the try-it tests: programs this project did not write (python3-websockets, Python's
// http.server), started on a free port of 127.0.0.1 and stopped with the test (and by
// themselves after a lifetime, should the test die first).

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace sluice::studio::testing {

inline QString repoPath(const QString &relative)
{
    return QDir(QStringLiteral(SLUICE_SOURCE_DIR)).filePath(relative);
}

// Settings and saved messages of the test go to a temporary directory, never to the user's.
inline void isolateSettings(const QTemporaryDir &directory, const QString &application)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("sluice-tests"));
    QCoreApplication::setApplicationName(application);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, directory.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, directory.path());
}

// A Python script that prints JSON records, one a line; the first is
// {"event": "listening", "port": N}.
class PythonPeer {
public:
    PythonPeer() = default;
    PythonPeer(const PythonPeer &) = delete;
    PythonPeer &operator=(const PythonPeer &) = delete;
    ~PythonPeer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    // Starts `script` with `arguments`; false (see error()) when it does not report a port.
    bool start(const QString &script, const QStringList &arguments)
    {
        m_process.setProgram(QStringLiteral(SLUICE_TEST_PYTHON));
        m_process.setArguments(QStringList{QStringLiteral("-u"), script} + arguments);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        const QDeadlineTimer deadline(20000);
        while (m_port == 0 && !deadline.hasExpired()) {
            if (!m_process.waitForReadyRead(int(deadline.remainingTime())))
                break;
            readRecords();
        }
        if (m_port == 0)
            m_error = QString::fromUtf8(m_process.readAllStandardError());
        return m_port != 0;
    }

    int port() const { return m_port; }
    QString error() const { return m_error; }

    // Every record printed so far (including the listening one).
    QList<QJsonObject> records()
    {
        readRecords();
        return m_records;
    }
    // The records with "event" == `event`.
    QList<QJsonObject> records(const QString &event)
    {
        QList<QJsonObject> matching;
        for (const QJsonObject &record : records()) {
            if (record.value(QStringLiteral("event")).toString() == event)
                matching.append(record);
        }
        return matching;
    }

private:
    void readRecords()
    {
        m_pending += m_process.readAllStandardOutput();
        qsizetype end = 0;
        while ((end = m_pending.indexOf('\n')) >= 0) {
            const QJsonObject record = QJsonDocument::fromJson(m_pending.left(end)).object();
            m_pending.remove(0, end + 1);
            if (record.isEmpty())
                continue;
            m_records.append(record);
            if (record.value(QStringLiteral("event")).toString() == QLatin1String("listening"))
                m_port = record.value(QStringLiteral("port")).toInt();
        }
    }

    QProcess m_process;
    QByteArray m_pending;
    QList<QJsonObject> m_records;
    QString m_error;
    int m_port = 0;
};

// python3-websockets echo server (tests/e2e/peers/ws_backend.py) with extra options.
inline bool startWebSocketPeer(PythonPeer &peer, const QStringList &options = {})
{
    return peer.start(repoPath(QStringLiteral("tests/e2e/peers/ws_backend.py")),
                      QStringList{QStringLiteral("--lifetime"), QStringLiteral("120")} + options);
}

// Python's http.server on `directory`.
inline bool startHttpPeer(PythonPeer &peer, const QString &directory)
{
    return peer.start(repoPath(QStringLiteral("tests/studio_tryit/http_peer.py")),
                      {QStringLiteral("--directory"), directory, QStringLiteral("--lifetime"),
                       QStringLiteral("120")});
}

} // namespace sluice::studio::testing
