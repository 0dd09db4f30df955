// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/project_kinds.h"
#include "artifacts/xml_node.h"

#include <QHashFunctions>
#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

namespace sluice::studio {

// Names one artifact of a project: its kind and its name (the key of a local entry). Two
// artifacts of one kind with the same name (a validation error) are told apart by a suffix
// " #2", " #3" on the later ones' ids; their XML keeps the name as written.
struct ArtifactId {
    ArtifactKind kind = ArtifactKind::Sequence;
    QString name;

    bool isValid() const { return !name.isEmpty(); }
    QString toString() const; // "sequence dispatchSeq"
    bool operator==(const ArtifactId &) const = default;
};

size_t qHash(const ArtifactId &id, size_t seed = 0) noexcept;

// Addresses an element inside an artifact: the indices of child *elements* (text and comments
// do not count) from the artifact's root element down, branch elements included. In
// <sequence><log/><filter><then><drop/></then></filter></sequence> the drop is {1, 0, 0};
// the root itself is {}.
struct MediatorPath {
    QList<int> indices;

    MediatorPath() = default;
    MediatorPath(std::initializer_list<int> list)
        : indices(list)
    {
    }
    explicit MediatorPath(const QList<int> &list)
        : indices(list)
    {
    }

    bool isRoot() const { return indices.isEmpty(); }
    int depth() const { return int(indices.size()); }
    int last() const { return indices.isEmpty() ? -1 : indices.last(); }
    MediatorPath parent() const;
    MediatorPath child(int index) const;
    // Whether this path is `other` or lies below it.
    bool startsWith(const MediatorPath &other) const;
    QString toString() const; // "1/0/0", "" for the root
    bool operator==(const MediatorPath &) const = default;
};

// The artifact kind an element name stands for ("sequence" -> Sequence, "proxy" ->
// ProxyService, ...); nullopt for anything else.
std::optional<ArtifactKind> artifactKindOfElement(const QString &elementName);
QString artifactElementName(ArtifactKind kind); // "inboundEndpoint"
// The attribute that holds an artifact's name: "key" for a local entry, else "name".
QString artifactNameAttribute(ArtifactKind kind);

} // namespace sluice::studio

Q_DECLARE_METATYPE(sluice::studio::ArtifactId)
Q_DECLARE_METATYPE(sluice::studio::MediatorPath)
