// SPDX-License-Identifier: Apache-2.0
#include "car_archive.h"

#include "artifact_io.h"
#include "project_kinds.h"
#include "xml_node.h"

#include <QFile>
#include <QSet>
#include <zip.h>

namespace sluice {

namespace {

QString zipErrorText(int code)
{
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    const QString text = QString::fromUtf8(zip_error_strerror(&error));
    zip_error_fini(&error);
    return text;
}

QString sizeText(qint64 bytes)
{
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

} // namespace

ZipReader::~ZipReader()
{
    close();
}

void ZipReader::close()
{
    if (m_zip)
        zip_discard(m_zip);
    m_zip = nullptr;
    m_names.clear();
    m_index.clear();
    m_sizes.clear();
}

bool ZipReader::isSafeEntryName(const QString &name)
{
    if (name.isEmpty())
        return false;
    QString path = name;
    path.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (path.startsWith(QLatin1Char('/')))
        return false;
    if (path.size() >= 2 && path.at(1) == QLatin1Char(':') && path.at(0).isLetter())
        return false; // C:foo, C:/foo
    const QStringList parts = path.split(QLatin1Char('/'));
    return !parts.contains(QStringLiteral(".."));
}

bool ZipReader::open(const QString &path, const QString &displayName, Diagnostics &diagnostics,
                     qint64 maxTotalSize)
{
    close();
    m_displayName = displayName;
    const SourceLocation where{displayName, 0, 0};
    int code = 0;
    zip_t *archive = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &code);
    if (!archive) {
        diagnostics.error(where,
                          QStringLiteral("cannot open the archive: %1").arg(zipErrorText(code)));
        return false;
    }
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    qint64 total = 0;
    bool ok = true;
    QStringList names;
    QHash<QString, qint64> index;
    QHash<QString, qint64> sizes;
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat_index(archive, zip_uint64_t(i), ZIP_FL_ENC_GUESS, &stat) != 0 ||
            !(stat.valid & ZIP_STAT_NAME) || !(stat.valid & ZIP_STAT_SIZE)) {
            diagnostics.error(where, QStringLiteral("cannot read entry %1 of the archive: %2")
                                         .arg(i)
                                         .arg(QString::fromUtf8(zip_strerror(archive))));
            ok = false;
            continue;
        }
        const QString name = QString::fromUtf8(stat.name);
        if (!isSafeEntryName(name)) {
            diagnostics.error(where, QStringLiteral("refused: the archive entry '%1' has an "
                                                    "absolute path or a '..' component and "
                                                    "would point outside the archive")
                                         .arg(name));
            ok = false;
            continue;
        }
        // Sizes are checked one by one too, so that a huge declared size cannot overflow total.
        const qint64 size =
            stat.size > zip_uint64_t(maxTotalSize) ? maxTotalSize + 1 : qint64(stat.size);
        total += size;
        names.append(name);
        index.insert(name, qint64(i));
        sizes.insert(name, size);
        if (total > maxTotalSize)
            break;
    }
    if (ok && total > maxTotalSize) {
        diagnostics.error(where, QStringLiteral("refused: the archive expands to more than %1 "
                                                "(the limit for a CAR file)")
                                     .arg(sizeText(maxTotalSize)));
        ok = false;
    }
    if (!ok) {
        zip_discard(archive);
        return false;
    }
    m_zip = archive;
    m_names = names;
    m_index = index;
    m_sizes = sizes;
    return true;
}

std::optional<QByteArray> ZipReader::read(const QString &name, Diagnostics &diagnostics) const
{
    const SourceLocation where{m_displayName + QStringLiteral("!/") + name, 0, 0};
    if (!m_zip || !m_index.contains(name)) {
        diagnostics.error(where, QStringLiteral("no such entry in the archive"));
        return std::nullopt;
    }
    zip_file_t *file = zip_fopen_index(m_zip, zip_uint64_t(m_index.value(name)), 0);
    if (!file) {
        diagnostics.error(where, QStringLiteral("cannot read the archive entry: %1")
                                     .arg(QString::fromUtf8(zip_strerror(m_zip))));
        return std::nullopt;
    }
    const qint64 size = m_sizes.value(name);
    QByteArray data(size, Qt::Uninitialized);
    qint64 done = 0;
    while (done < size) {
        const zip_int64_t n = zip_fread(file, data.data() + done, zip_uint64_t(size - done));
        if (n <= 0)
            break;
        done += n;
    }
    const bool failed = done != size;
    QString message;
    if (failed)
        message = QString::fromUtf8(zip_file_strerror(file));
    zip_fclose(file);
    if (failed) {
        diagnostics.error(where, QStringLiteral("cannot read the archive entry: %1").arg(message));
        return std::nullopt;
    }
    return data;
}

bool writeZip(const QString &path, const QMap<QString, QByteArray> &entries, QString *errorMessage)
{
    auto fail = [&](const QString &message) {
        if (errorMessage)
            *errorMessage = message;
        return false;
    };
    int code = 0;
    zip_t *archive =
        zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!archive)
        return fail(QStringLiteral("cannot create %1: %2").arg(path, zipErrorText(code)));
    for (auto it = entries.constBegin(); it != entries.constEnd(); ++it) {
        const QByteArray name = it.key().toUtf8();
        if (it.key().endsWith(QLatin1Char('/'))) {
            if (zip_dir_add(archive, name.constData(), ZIP_FL_ENC_UTF_8) < 0) {
                const QString message = QString::fromUtf8(zip_strerror(archive));
                zip_discard(archive);
                return fail(QStringLiteral("cannot add %1: %2").arg(it.key(), message));
            }
            continue;
        }
        // The map outlives zip_close, so libzip may use the bytes in place.
        zip_source_t *source =
            zip_source_buffer(archive, it.value().constData(), zip_uint64_t(it.value().size()), 0);
        if (!source || zip_file_add(archive, name.constData(), source,
                                    ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
            const QString message = QString::fromUtf8(zip_strerror(archive));
            if (source)
                zip_source_free(source);
            zip_discard(archive);
            return fail(QStringLiteral("cannot add %1: %2").arg(it.key(), message));
        }
    }
    if (zip_close(archive) != 0) {
        const QString message = QString::fromUtf8(zip_strerror(archive));
        zip_discard(archive);
        return fail(QStringLiteral("cannot write %1: %2").arg(path, message));
    }
    return true;
}

namespace {

struct CarReference {
    QString name;
    QString version;
    SourceLocation location; // in artifacts.xml
    QString folder() const { return version.isEmpty() ? name : name + QLatin1Char('_') + version; }
};

const QSet<QString> &unsupportedSynapseTypes()
{
    static const QSet<QString> types = {
        QStringLiteral("synapse/message-store"),    QStringLiteral("synapse/message-processors"),
        QStringLiteral("synapse/template"),         QStringLiteral("synapse/sequenceTemplate"),
        QStringLiteral("synapse/endpointTemplate"), QStringLiteral("synapse/task"),
        QStringLiteral("synapse/event-source"),     QStringLiteral("synapse/priority-executor"),
    };
    return types;
}

class CarReader {
public:
    CarReader(const QString &displayName, QStringList &files, Diagnostics &diagnostics)
        : m_displayName(displayName)
        , m_files(files)
        , m_diagnostics(diagnostics)
    {
    }

    ArtifactSet read(const QString &path, qint64 maxTotalSize)
    {
        if (!m_zip.open(path, m_displayName, m_diagnostics, maxTotalSize))
            return {};
        const QString descriptor = QStringLiteral("artifacts.xml");
        if (!m_zip.contains(descriptor)) {
            m_diagnostics.error({m_displayName, 0, 0},
                                QStringLiteral("not a Carbon application: there is no "
                                               "artifacts.xml at the top of the archive"));
            return {};
        }
        const std::optional<XmlNode> root = parseEntry(descriptor);
        if (!root)
            return {};
        if (root->name != QLatin1String("artifacts")) {
            m_diagnostics.error(root->location,
                                QStringLiteral("expected <artifacts> as the root of "
                                               "artifacts.xml, found <%1>")
                                    .arg(root->name));
            return {};
        }
        QList<CarReference> references;
        QSet<QString> seen;
        auto add = [&](const CarReference &reference) {
            if (!reference.name.isEmpty() && !seen.contains(reference.folder())) {
                seen.insert(reference.folder());
                references.append(reference);
            }
        };
        for (const XmlNode *artifact : root->childElements(QStringLiteral("artifact"))) {
            const QString type = artifact->attribute(QStringLiteral("type"));
            const CarReference self{artifact->attribute(QStringLiteral("name")),
                                    artifact->attribute(QStringLiteral("version")),
                                    artifact->location};
            if (type != QLatin1String("carbon/application") &&
                m_zip.contains(self.folder() + QStringLiteral("/artifact.xml")))
                add(self);
            for (const XmlNode *dependency :
                 artifact->childElements(QStringLiteral("dependency"))) {
                add({dependency->attribute(QStringLiteral("artifact")),
                     dependency->attribute(QStringLiteral("version")), dependency->location});
            }
        }
        ArtifactSet artifacts;
        for (const CarReference &reference : references)
            readArtifact(reference, artifacts);
        return artifacts;
    }

private:
    QString entryDisplayName(const QString &entry) const
    {
        return m_displayName + QStringLiteral("!/") + entry;
    }

    std::optional<XmlNode> parseEntry(const QString &entry)
    {
        const std::optional<QByteArray> data = m_zip.read(entry, m_diagnostics);
        if (!data)
            return std::nullopt;
        XmlDocumentOptions options;
        options.allowDoctype = false;
        return parseXml(*data, entryDisplayName(entry), m_diagnostics, options);
    }

    void readArtifact(const CarReference &reference, ArtifactSet &artifacts)
    {
        const QString descriptor = reference.folder() + QStringLiteral("/artifact.xml");
        if (!m_zip.contains(descriptor)) {
            m_diagnostics.error(reference.location,
                                QStringLiteral("artifact '%1' is listed but %2 is missing from "
                                               "the archive")
                                    .arg(reference.name, descriptor));
            return;
        }
        const std::optional<XmlNode> artifact = parseEntry(descriptor);
        if (!artifact)
            return;
        const QString type = artifact->attribute(QStringLiteral("type"));
        const QString name = artifact->attribute(QStringLiteral("name"), reference.name);
        const ArtifactKindInfo *kind = nullptr;
        for (const ArtifactKindInfo &info : artifactKinds()) {
            if (info.carType == type)
                kind = &info;
        }
        if (!kind) {
            if (type.startsWith(QLatin1String("synapse/"))) {
                const QString what = unsupportedSynapseTypes().contains(type)
                                         ? QStringLiteral("is not supported by Sluice")
                                         : QStringLiteral("is unknown");
                m_diagnostics.error(
                    artifact->attributeLocation(QStringLiteral("type")),
                    QStringLiteral("artifact '%1': the artifact type %2 %3").arg(name, type, what));
            } else {
                m_diagnostics.warning(
                    artifact->attributeLocation(QStringLiteral("type")),
                    QStringLiteral("not read: artifact '%1' of type %2 (Sluice "
                                   "reads synapse/* artifacts only)")
                        .arg(name, type.isEmpty() ? QStringLiteral("(none)") : type));
            }
            return;
        }
        const XmlNode *fileElement = artifact->firstChildElement(QStringLiteral("file"));
        const QString fileName = fileElement ? fileElement->textContent().trimmed() : QString();
        if (fileName.isEmpty()) {
            m_diagnostics.error(artifact->location,
                                QStringLiteral("artifact '%1' names no <file>").arg(name));
            return;
        }
        const QString entry = reference.folder() + QLatin1Char('/') + fileName;
        if (!m_zip.contains(entry)) {
            m_diagnostics.error(
                fileElement->location,
                QStringLiteral("artifact '%1': %2 is missing from the archive").arg(name, entry));
            return;
        }
        const std::optional<QByteArray> data = m_zip.read(entry, m_diagnostics);
        if (!data)
            return;
        const QString display = entryDisplayName(entry);
        ArtifactSet set = readArtifactData(*data, display, m_diagnostics);
        m_files.append(display);
        checkArtifactKinds(set, kind->kind,
                           QStringLiteral("found in an artifact of type %1").arg(type), false,
                           display, m_diagnostics);
        artifacts.append(std::move(set));
    }

    QString m_displayName;
    QStringList &m_files;
    Diagnostics &m_diagnostics;
    ZipReader m_zip;
};

} // namespace

ArtifactSet readCarArchive(const QString &path, const QString &displayName, QStringList &files,
                           Diagnostics &diagnostics, qint64 maxTotalSize)
{
    return CarReader(displayName, files, diagnostics).read(path, maxTotalSize);
}

} // namespace sluice
