// SPDX-License-Identifier: Apache-2.0
#include "openssl_workdir.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>

namespace sluice::test {

bool OpenSslWorkDir::available()
{
    return !QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty();
}

bool OpenSslWorkDir::run(const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(QStringLiteral("openssl"), arguments);
    if (!process.waitForFinished(30000)) {
        m_error = QStringLiteral("openssl %1 did not finish").arg(arguments.value(0));
        return false;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error =
            QStringLiteral("openssl %1 failed: %2")
                .arg(arguments.value(0), QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    return true;
}

bool OpenSslWorkDir::concatenate(const QString &target, const QStringList &parts)
{
    QFile out(path(target));
    if (!out.open(QIODevice::WriteOnly)) {
        m_error = QStringLiteral("cannot write %1").arg(out.fileName());
        return false;
    }
    for (const QString &part : parts) {
        QFile in(path(part));
        if (!in.open(QIODevice::ReadOnly)) {
            m_error = QStringLiteral("cannot read %1").arg(in.fileName());
            return false;
        }
        out.write(in.readAll());
    }
    return true;
}

} // namespace sluice::test
