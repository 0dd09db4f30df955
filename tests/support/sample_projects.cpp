// SPDX-License-Identifier: Apache-2.0
#include "sample_projects.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

namespace sluice::test {

bool copyTree(const QString &from, const QString &to)
{
    const QDir source(from);
    if (!QDir().mkpath(to))
        return false;
    QDirIterator it(from, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString target = QDir(to).filePath(source.relativeFilePath(file));
        if (!QDir().mkpath(QFileInfo(target).absolutePath()) || !QFile::copy(file, target))
            return false;
    }
    return true;
}

bool prepareSampleSecrets(const QString &projectDir, QString *error)
{
    // Copies may carry a prefix ("p3-secure-websocket").
    if (!QFileInfo(projectDir).fileName().endsWith(QLatin1String("secure-websocket")))
        return true;
    // A password of the test's own; the script uses it for the PKCS#12 store.
    const char *variable = "SECURE_WEBSOCKET_KEYSTORE_PASSWORD";
    if (!qEnvironmentVariableIsSet(variable))
        qputenv(variable, "test-only-keystore-password");
    QProcess script;
    script.start(QStringLiteral("bash"),
                 {QStringLiteral(SLUICE_SOURCE_DIR "/scripts/make-test-certs"),
                  QStringLiteral("--force"), projectDir + QStringLiteral("/certs")});
    if (!script.waitForFinished(120000) || script.exitStatus() != QProcess::NormalExit ||
        script.exitCode() != 0) {
        *error = QStringLiteral("scripts/make-test-certs failed: ") +
                 QString::fromLocal8Bit(script.readAllStandardError());
        return false;
    }
    return true;
}

} // namespace sluice::test
