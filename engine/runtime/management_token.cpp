// SPDX-License-Identifier: Apache-2.0
#include "management_token.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStandardPaths>

namespace sluice {

namespace {

constexpr int kTokenBytes = 32;
constexpr QFileDevice::Permissions kGroupOrOthers =
    QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
    QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;

bool createFile(const QString &path, QByteArray &token, QString &error)
{
    const QFileInfo info(path);
    QDir directory = info.absoluteDir();
    if (!directory.exists()) {
        if (!directory.mkpath(QStringLiteral("."))) {
            error = QStringLiteral("%1: cannot create the directory").arg(directory.path());
            return false;
        }
        QFile::setPermissions(directory.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                    QFileDevice::ExeOwner);
    }
    token = ManagementToken::generate();
    QSaveFile file(path);
    // The permissions are set before any byte of the token is written.
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        error =
            QStringLiteral("%1: cannot create the token file: %2").arg(path, file.errorString());
        return false;
    }
    file.write(token + '\n');
    if (!file.commit()) {
        error = QStringLiteral("%1: cannot write the token file: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

QString ManagementToken::defaultFile()
{
    const QString overridden = qEnvironmentVariable("SLUICE_MANAGEMENT_TOKEN_FILE");
    if (!overridden.isEmpty())
        return overridden;
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/sluice/management-token");
}

QByteArray ManagementToken::generate()
{
    QByteArray bytes(kTokenBytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return bytes.toHex();
}

bool ManagementToken::load(const QString &path, QByteArray &token, QString &error)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        error = QStringLiteral("%1: no such token file").arg(path);
        return false;
    }
    if (info.permissions() & kGroupOrOthers) {
        error = QStringLiteral("%1: token file is accessible by group or others; make it "
                               "private with: chmod 600 %1")
                    .arg(path);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("%1: cannot read the token file: %2").arg(path, file.errorString());
        return false;
    }
    token = file.readAll().trimmed();
    if (token.isEmpty()) {
        error = QStringLiteral("%1: the token file is empty").arg(path);
        return false;
    }
    return true;
}

bool ManagementToken::loadOrCreate(const QString &path, QByteArray &token, QString &error)
{
    if (!QFileInfo::exists(path))
        return createFile(path, token, error);
    return load(path, token, error);
}

bool ManagementToken::equals(const QByteArray &expected, const QByteArray &given)
{
    // Every byte of `expected` is looked at, whatever `given` holds.
    unsigned char difference = expected.size() == given.size() ? 0 : 1;
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const char other = i < given.size() ? given.at(i) : char(0);
        difference |= static_cast<unsigned char>(expected.at(i) ^ other);
    }
    return difference == 0 && !expected.isEmpty();
}

} // namespace sluice
