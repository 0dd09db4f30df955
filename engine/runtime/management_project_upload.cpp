// SPDX-License-Identifier: Apache-2.0
#include "management_project_upload.h"

#include "artifacts/car_archive.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>

namespace sluice {

namespace {

const QString kUploadName = QStringLiteral("upload.zip");

// A new, empty, private directory for one upload.
QString makeUploadDirectory(const QString &dataDirectory, Diagnostics &diagnostics)
{
    const QString name = QStringLiteral("deployments/%1-%2")
                             .arg(QDateTime::currentMSecsSinceEpoch())
                             .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
    const QString path = QDir(dataDirectory).filePath(name);
    if (!QDir().mkpath(path)) {
        diagnostics.error({kUploadName, 0, 0},
                          QStringLiteral("cannot create the directory %1").arg(path));
        return QString();
    }
    QFile::setPermissions(path,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return path;
}

bool writeFile(const QString &path, const QByteArray &bytes, Diagnostics &diagnostics)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
        diagnostics.error({kUploadName, 0, 0},
                          QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

// When every entry sits under one top folder ("myproject/deployment.toml", ...), the project is
// that folder, as when a directory is zipped from its parent.
QString commonTopFolder(const QStringList &names)
{
    QString top;
    for (const QString &name : names) {
        const qsizetype slash = name.indexOf(QLatin1Char('/'));
        if (slash <= 0)
            return QString();
        const QString first = name.left(slash);
        if (!top.isEmpty() && top != first)
            return QString();
        top = first;
    }
    // "src/main/synapse-config/..." alone is a project without deployment.toml, not a folder.
    return top == QLatin1String("src") ? QString() : top;
}

} // namespace

QString defaultDataDirectory()
{
    const QString overridden = qEnvironmentVariable("SLUICE_DATA_DIR");
    if (!overridden.isEmpty())
        return overridden;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/sluice");
}

QString unpackUploadedProject(const QByteArray &archive, const QString &dataDirectory,
                              Diagnostics &diagnostics)
{
    if (archive.isEmpty()) {
        diagnostics.error({kUploadName, 0, 0},
                          QStringLiteral("the request body is empty; send a zip of the project "
                                         "or a .car file"));
        return QString();
    }
    const QString directory = makeUploadDirectory(dataDirectory, diagnostics);
    if (directory.isEmpty())
        return QString();
    QDir dir(directory);
    const QString zipPath = dir.filePath(kUploadName);
    bool ok = writeFile(zipPath, archive, diagnostics);
    ZipReader zip;
    ok = ok && zip.open(zipPath, kUploadName, diagnostics); // refuses zip slip and zip bombs
    if (ok && zip.contains(QStringLiteral("artifacts.xml"))) {
        zip.close();
        const QString carPath = dir.filePath(QStringLiteral("project.car"));
        if (QFile::rename(zipPath, carPath))
            return carPath;
        diagnostics.error({kUploadName, 0, 0}, QStringLiteral("cannot keep the uploaded .car"));
        ok = false;
    }
    const QString projectDir = dir.filePath(QStringLiteral("project"));
    if (ok) {
        for (const QString &name : zip.entryNames()) {
            if (!ZipReader::isSafeEntryName(name)) { // open() checked it; never write outside
                diagnostics.error({kUploadName, 0, 0},
                                  QStringLiteral("unsafe entry name '%1'").arg(name));
                ok = false;
                break;
            }
            const QString target = QDir(projectDir).filePath(name);
            if (name.endsWith(QLatin1Char('/'))) {
                ok = QDir().mkpath(target);
            } else {
                const std::optional<QByteArray> bytes = zip.read(name, diagnostics);
                ok = bytes && QDir().mkpath(QFileInfo(target).path()) &&
                     writeFile(target, *bytes, diagnostics);
            }
            if (!ok)
                break;
        }
    }
    const QString top = ok ? commonTopFolder(zip.entryNames()) : QString();
    zip.close();
    QFile::remove(zipPath);
    if (!ok) {
        dir.removeRecursively();
        return QString();
    }
    return top.isEmpty() ? projectDir : QDir(projectDir).filePath(top);
}

} // namespace sluice
