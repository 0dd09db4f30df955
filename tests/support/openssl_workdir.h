// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace sluice::test {

// A temporary directory where the openssl command makes certificates, keys and stores at test
// time (no key is committed). Steps return false with lastError() when openssl fails.
class OpenSslWorkDir {
public:
    // Whether the openssl command is on PATH (scripts/bootstrap installs it).
    static bool available();

    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    // `openssl arguments...` run in the directory.
    bool run(const QStringList &arguments);
    // Writes `target` as the files `parts` one after the other (a PEM key store).
    bool concatenate(const QString &target, const QStringList &parts);
    const QString &lastError() const { return m_error; }

private:
    QTemporaryDir m_dir;
    QString m_error;
};

} // namespace sluice::test
