// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts.h"
#include "diagnostics.h"

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

struct zip; // libzip's zip_t, kept out of this header

namespace sluice {

// A CAR bigger than this (the sum of its entries' uncompressed sizes) is refused.
inline constexpr qint64 kMaxCarUncompressedSize = qint64(256) * 1024 * 1024;

// Read-only access to a zip archive, entry by entry, in memory: nothing is ever extracted to disk.
class ZipReader {
public:
    ZipReader() = default;
    ~ZipReader();
    ZipReader(const ZipReader &) = delete;
    ZipReader &operator=(const ZipReader &) = delete;

    // Opens the archive and checks every entry before anything is read: an entry with an absolute
    // path or a ".." component (zip slip), or a total uncompressed size above maxTotalSize,
    // refuses the whole archive. Messages name the archive by displayName.
    bool open(const QString &path, const QString &displayName, Diagnostics &diagnostics,
              qint64 maxTotalSize = kMaxCarUncompressedSize);
    void close();
    bool isOpen() const { return m_zip != nullptr; }

    QStringList entryNames() const { return m_names; } // in archive order
    bool contains(const QString &name) const { return m_index.contains(name); }
    // The entry's bytes; nullopt (and an error naming "archive!/name") if it cannot be read.
    std::optional<QByteArray> read(const QString &name, Diagnostics &diagnostics) const;

    // True if `name` is a safe relative entry name: not absolute (no leading '/' or '\', no
    // drive letter), no ".." component, not empty.
    static bool isSafeEntryName(const QString &name);

private:
    zip *m_zip = nullptr;
    QString m_displayName;
    QStringList m_names;
    QHash<QString, qint64> m_index; // name -> libzip index
    QHash<QString, qint64> m_sizes; // name -> uncompressed size
};

// Writes a zip archive holding `entries` (name -> bytes; a name ending in '/' is a directory),
// replacing any file at `path`. Names are written as given. Used by the export command and by
// tests that build CAR files at run time. On failure returns false and sets *errorMessage.
bool writeZip(const QString &path, const QMap<QString, QByteArray> &entries,
              QString *errorMessage = nullptr);

// Reads the synapse/* artifacts of a Carbon application archive (.car): artifacts.xml at the top
// lists the artifacts (directly or as <dependency artifact version> of a carbon/application), each
// in a folder "name_version/" with an artifact.xml naming its <file>. Unsupported synapse/* types
// are errors, other types (registry resources, libraries, ...) warnings. Display names are
// "<displayName>!/x_1.0.0/x-1.0.0.xml"; each artifact file read is appended to files.
ArtifactSet readCarArchive(const QString &path, const QString &displayName, QStringList &files,
                           Diagnostics &diagnostics, qint64 maxTotalSize = kMaxCarUncompressedSize);

} // namespace sluice
