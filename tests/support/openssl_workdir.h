// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

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

// The base of the QtTest classes that make their certificates with openssl.
class OpenSslTestCase : public QObject {
protected:
    QString path(const QString &name) const { return m_dir.path(name); }
    void openssl(const QStringList &arguments)
    {
        QVERIFY2(m_dir.run(arguments), qPrintable(m_dir.lastError()));
    }
    void concatenate(const QString &target, const QStringList &parts)
    {
        QVERIFY2(m_dir.concatenate(target, parts), qPrintable(m_dir.lastError()));
    }
    // For initTestCase(): fails the test when openssl is missing or the directory is not made.
    void requireOpenSsl()
    {
        QVERIFY2(OpenSslWorkDir::available(), "openssl is needed (scripts/bootstrap installs it)");
        QVERIFY(m_dir.isValid());
    }

    OpenSslWorkDir m_dir;
};

} // namespace sluice::test
