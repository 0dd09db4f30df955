// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the studio model tests: copies of projects to work on, and snapshots of
// every file of a folder to compare byte for byte.

#include "artifacts/xml_node.h"
#include "model/project_document.h"
#include "model/xml_tree.h"
#include "sample_projects.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QString>

namespace sluice::studio::test {

inline QString sourceDir()
{
    return QStringLiteral(SLUICE_SOURCE_DIR);
}

inline QString testData()
{
    return QStringLiteral(SLUICE_TEST_DATA);
}

using sluice::test::copyTree;

// Every file below `root`: relative path -> bytes.
inline QMap<QString, QByteArray> snapshot(const QString &root)
{
    QMap<QString, QByteArray> files;
    const QDir base(root);
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        QFile input(file);
        if (input.open(QIODevice::ReadOnly))
            files.insert(base.relativeFilePath(file), input.readAll());
    }
    return files;
}

inline QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The canonical XML of every artifact of a document: id -> bytes.
inline QMap<QString, QByteArray> artifactsOf(const ProjectDocument &document)
{
    QMap<QString, QByteArray> result;
    for (const ArtifactId &id : document.artifactIds()) {
        const ArtifactState *state = document.artifact(id);
        result.insert(id.toString() + QLatin1Char('@') + state->file,
                      state->tree ? canonicalXml(*state->tree) : state->brokenText);
    }
    return result;
}

// The whole document as a test compares it: every artifact's XML and what the source view
// shows, so that "exactly as before" includes the original text of unchanged files.
inline QMap<QString, QString> documentState(const ProjectDocument &document)
{
    QMap<QString, QString> result;
    const QMap<QString, QByteArray> artifacts = artifactsOf(document);
    for (auto it = artifacts.constBegin(); it != artifacts.constEnd(); ++it)
        result.insert(it.key(), QString::fromUtf8(it.value()));
    for (const ArtifactId &id : document.artifactIds())
        result.insert(QStringLiteral("source:") + id.toString(), document.artifactSource(id));
    return result;
}

// Two trees of one artifact are the same XML, whether the artifact is a file's root (declaring
// its namespaces) or an element inside a <definitions> file (inheriting them).
inline bool sameArtifactXml(const XmlNode &a, const XmlNode &b)
{
    XmlNode left = a;
    XmlNode right = b;
    left.namespaceDeclarations.clear();
    right.namespaceDeclarations.clear();
    return left.sameAs(right);
}

inline QString sortedText(const Diagnostics &diagnostics)
{
    QStringList lines;
    for (const Diagnostic &diagnostic : diagnostics.sorted())
        lines.append(diagnostic.toString());
    return lines.join(QLatin1Char('\n'));
}

} // namespace sluice::studio::test
