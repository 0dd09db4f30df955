// SPDX-License-Identifier: Apache-2.0
// ProjectDocument's export (folder, zip archive with a manifest) and import.
#include "artifacts/car_archive.h"
#include "file_support.h"
#include "project_document.h"
#include "xml_tree.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sluice::studio {

namespace {

const QString kManifestName = QStringLiteral("sluice-manifest.json");
const QString kManifestFormat = QStringLiteral("sluice-project-archive");
constexpr int kManifestVersion = 1;
const QString kMiConfigDir = QStringLiteral("src/main/synapse-config");

QString sha256(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

std::optional<QByteArray> readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

} // namespace

QString ProjectDocument::exportPath(const ArtifactState &state, const QSet<QString> &taken) const
{
    const QString folder = kMiConfigDir + QLatin1Char('/') + artifactKindInfo(state.id.kind).folder;
    QString candidate;
    // An MI artifact file keeps its name.
    if (!isDefinitionsFile(state.file) && state.file.startsWith(folder + QLatin1Char('/')) &&
        !state.file.mid(folder.size() + 1).contains(QLatin1Char('/')))
        candidate = state.file;
    const QString name =
        state.tree ? state.tree->attribute(artifactNameAttribute(state.id.kind), state.id.name)
                   : state.id.name;
    const QString base = folder + QLatin1Char('/') + safeFileName(name);
    if (candidate.isEmpty())
        candidate = base + QStringLiteral(".xml");
    for (int n = 2; taken.contains(candidate); ++n)
        candidate = base + QStringLiteral("_%1.xml").arg(n);
    return candidate;
}

QMap<QString, QByteArray> ProjectDocument::exportFiles(Diagnostics *diagnostics) const
{
    QMap<QString, QByteArray> files;
    const QDir base(m_directory);
    auto copy = [&](const QString &from, const QString &to) {
        if (const std::optional<QByteArray> bytes = readFile(base.filePath(from)))
            files.insert(to, *bytes);
        else if (diagnostics)
            diagnostics->warning({from, 0, 0},
                                 QStringLiteral("cannot read the file; not exported"));
    };
    const QString config = m_config.sourceFile;
    if (!config.isEmpty()) {
        copy(config, config.endsWith(QLatin1String("deployment.toml"))
                         ? QStringLiteral("deployment.toml")
                         : QStringLiteral("conf/axis2/axis2.xml"));
    }
    // The trust stores the project names inside itself go along (the wss sender's and the
    // [truststore] of the https sender).
    for (const QString &store : {m_config.ws.trustStoreLocation, m_config.wss.trustStoreLocation,
                                 m_config.truststore.fileName}) {
        if (!store.isEmpty() && QDir::isRelativePath(store) &&
            !store.startsWith(QLatin1String("..")))
            copy(store, QDir::cleanPath(store));
    }
    QSet<QString> taken;
    for (const ArtifactState &entry : m_entries) {
        const QString path = exportPath(entry, taken);
        taken.insert(path);
        QByteArray bytes;
        if (!entry.tree)
            bytes = entry.brokenText;
        else if (!isDefinitionsFile(entry.file) && m_savedBytes.contains(entry.file) &&
                 !isArtifactModified(entry.id))
            bytes = m_savedBytes.value(entry.file);
        else if (isDefinitionsFile(entry.file))
            bytes = canonicalXml(*entry.tree);
        else
            bytes = artifactCanonical(entry);
        files.insert(path, bytes);
    }
    return files;
}

bool ProjectDocument::exportToFolder(const QString &directory, Diagnostics *diagnostics) const
{
    Diagnostics problems;
    if (!isAbsentOrEmptyFolder(directory)) {
        problems.error({directory, 0, 0},
                       QStringLiteral("the folder is not empty; export needs an empty one"));
    } else {
        const QMap<QString, QByteArray> files = exportFiles(&problems);
        const QDir target(directory);
        for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
            QString error;
            if (!writeFileAtomically(target.filePath(it.key()), it.value(), &error))
                problems.error({it.key(), 0, 0}, error);
        }
        QDir().mkpath(target.filePath(kMiConfigDir));
    }
    if (diagnostics)
        diagnostics->append(problems);
    return !problems.hasErrors();
}

bool ProjectDocument::exportToArchive(const QString &archivePath, Diagnostics *diagnostics) const
{
    Diagnostics problems;
    QMap<QString, QByteArray> files = exportFiles(&problems);
    QHash<QString, const ArtifactState *> artifactOf;
    QSet<QString> taken;
    for (const ArtifactState &entry : m_entries) {
        const QString path = exportPath(entry, taken);
        taken.insert(path);
        artifactOf.insert(path, &entry);
    }
    QJsonArray list;
    for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
        QJsonObject file{{QStringLiteral("path"), it.key()},
                         {QStringLiteral("size"), qint64(it.value().size())},
                         {QStringLiteral("sha256"), sha256(it.value())}};
        if (const ArtifactState *entry = artifactOf.value(it.key())) {
            file.insert(QStringLiteral("kind"), artifactKindInfo(entry->id.kind).folder);
            file.insert(QStringLiteral("name"), entry->id.name);
        }
        list.append(file);
    }
    const QJsonObject manifest{
        {QStringLiteral("format"), kManifestFormat},
        {QStringLiteral("formatVersion"), kManifestVersion},
        {QStringLiteral("generator"), QStringLiteral("sluice-studio " SLUICE_VERSION)},
        {QStringLiteral("project"), projectName()},
        {QStringLiteral("layout"), layoutName(ProjectLayout::MicroIntegrator)},
        {QStringLiteral("files"), list},
    };
    files.insert(kManifestName, QJsonDocument(manifest).toJson(QJsonDocument::Indented));
    QString error;
    if (!writeZip(archivePath, files, &error))
        problems.error({archivePath, 0, 0}, error);
    if (diagnostics)
        diagnostics->append(problems);
    return !problems.hasErrors();
}

bool ProjectDocument::importArchive(const QString &archivePath, const QString &directory,
                                    Diagnostics &diagnostics)
{
    const QString display = QFileInfo(archivePath).fileName();
    const SourceLocation where{display, 0, 0};
    if (!isAbsentOrEmptyFolder(directory)) {
        diagnostics.error({directory, 0, 0},
                          QStringLiteral("the folder is not empty; import needs an empty one"));
        return false;
    }
    ZipReader zip;
    if (!zip.open(archivePath, display, diagnostics))
        return false;
    if (!zip.contains(kManifestName)) {
        diagnostics.error(where, QStringLiteral("no %1: not a project archive exported by "
                                                "Sluice")
                                     .arg(kManifestName));
        return false;
    }
    const std::optional<QByteArray> manifestBytes = zip.read(kManifestName, diagnostics);
    if (!manifestBytes)
        return false;
    QJsonParseError parseError;
    const QJsonDocument manifest = QJsonDocument::fromJson(*manifestBytes, &parseError);
    const SourceLocation manifestWhere{display + QStringLiteral("!/") + kManifestName, 0, 0};
    if (!manifest.isObject()) {
        diagnostics.error(
            manifestWhere,
            QStringLiteral("the manifest is not JSON: %1").arg(parseError.errorString()));
        return false;
    }
    const QJsonObject object = manifest.object();
    if (object.value(QStringLiteral("format")).toString() != kManifestFormat) {
        diagnostics.error(manifestWhere,
                          QStringLiteral("the manifest's format is not '%1'").arg(kManifestFormat));
        return false;
    }
    const int version = object.value(QStringLiteral("formatVersion")).toInt();
    if (version < 1 || version > kManifestVersion) {
        diagnostics.error(manifestWhere,
                          QStringLiteral("format version %1 is not supported (this Sluice reads "
                                         "version %2)")
                              .arg(version)
                              .arg(kManifestVersion));
        return false;
    }
    QMap<QString, QByteArray> files;
    QSet<QString> listed{kManifestName};
    bool ok = true;
    for (const QJsonValue &value : object.value(QStringLiteral("files")).toArray()) {
        const QJsonObject file = value.toObject();
        const QString path = file.value(QStringLiteral("path")).toString();
        listed.insert(path);
        const SourceLocation entryWhere{display + QStringLiteral("!/") + path, 0, 0};
        if (!ZipReader::isSafeEntryName(path) || !zip.contains(path)) {
            diagnostics.error(entryWhere, QStringLiteral("listed in the manifest but not in the "
                                                         "archive"));
            ok = false;
            continue;
        }
        const std::optional<QByteArray> bytes = zip.read(path, diagnostics);
        if (!bytes) {
            ok = false;
            continue;
        }
        if (sha256(*bytes) != file.value(QStringLiteral("sha256")).toString() ||
            bytes->size() != file.value(QStringLiteral("size")).toInteger(-1)) {
            diagnostics.error(entryWhere, QStringLiteral("the file does not match its checksum in "
                                                         "the manifest (damaged archive?)"));
            ok = false;
            continue;
        }
        files.insert(path, *bytes);
    }
    for (const QString &name : zip.entryNames()) {
        if (!listed.contains(name) && !name.endsWith(QLatin1Char('/')))
            diagnostics.warning({display + QStringLiteral("!/") + name, 0, 0},
                                QStringLiteral("not listed in the manifest; not imported"));
    }
    if (!ok)
        return false;
    const QDir target(directory);
    if (!QDir().mkpath(target.filePath(kMiConfigDir))) {
        diagnostics.error({directory, 0, 0}, QStringLiteral("cannot create the folder"));
        return false;
    }
    for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
        QString error;
        if (!writeFileAtomically(target.filePath(it.key()), it.value(), &error)) {
            diagnostics.error({it.key(), 0, 0}, error);
            ok = false;
        }
    }
    return ok;
}

bool ProjectDocument::openArchive(const QString &archivePath, const QString &directory,
                                  Diagnostics *diagnostics)
{
    Diagnostics problems;
    const bool ok = importArchive(archivePath, directory, problems) && open(directory, &problems);
    if (diagnostics)
        diagnostics->append(problems);
    return ok;
}

} // namespace sluice::studio
