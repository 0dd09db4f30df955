// SPDX-License-Identifier: Apache-2.0
#include "file_support.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace sluice::studio {

bool writeFileAtomically(const QString &path, const QByteArray &bytes, QString *error)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        if (error)
            *error = QStringLiteral("cannot create the folder %1").arg(info.absolutePath());
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool isAbsentOrEmptyFolder(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return true;
    return info.isDir() &&
           QDir(path).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

QString safeFileName(const QString &name)
{
    QString result = name;
    for (QChar &c : result) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\') || c == QLatin1Char(':') ||
            c.isSpace() || c == QLatin1Char('*') || c == QLatin1Char('?'))
            c = QLatin1Char('_');
    }
    return result.isEmpty() ? QStringLiteral("artifact") : result;
}

} // namespace sluice::studio
