// SPDX-License-Identifier: Apache-2.0
#include "artifact_id.h"

#include <QStringList>

namespace sluice::studio {

QString ArtifactId::toString() const
{
    return artifactKindInfo(kind).description + QLatin1Char(' ') + name;
}

size_t qHash(const ArtifactId &id, size_t seed) noexcept
{
    return qHashMulti(seed, int(id.kind), id.name);
}

MediatorPath MediatorPath::parent() const
{
    MediatorPath result = *this;
    if (!result.indices.isEmpty())
        result.indices.removeLast();
    return result;
}

MediatorPath MediatorPath::child(int index) const
{
    MediatorPath result = *this;
    result.indices.append(index);
    return result;
}

bool MediatorPath::startsWith(const MediatorPath &other) const
{
    if (other.indices.size() > indices.size())
        return false;
    for (qsizetype i = 0; i < other.indices.size(); ++i) {
        if (indices.at(i) != other.indices.at(i))
            return false;
    }
    return true;
}

QString MediatorPath::toString() const
{
    QStringList parts;
    for (int index : indices)
        parts.append(QString::number(index));
    return parts.join(QLatin1Char('/'));
}

namespace {

struct KindElement {
    ArtifactKind kind;
    const char *element;
};

constexpr KindElement kKindElements[] = {
    {ArtifactKind::Sequence, "sequence"}, {ArtifactKind::InboundEndpoint, "inboundEndpoint"},
    {ArtifactKind::Endpoint, "endpoint"}, {ArtifactKind::ProxyService, "proxy"},
    {ArtifactKind::Api, "api"},           {ArtifactKind::LocalEntry, "localEntry"},
};

} // namespace

std::optional<ArtifactKind> artifactKindOfElement(const QString &elementName)
{
    for (const KindElement &entry : kKindElements) {
        if (elementName == QLatin1String(entry.element))
            return entry.kind;
    }
    return std::nullopt;
}

QString artifactElementName(ArtifactKind kind)
{
    for (const KindElement &entry : kKindElements) {
        if (entry.kind == kind)
            return QString::fromLatin1(entry.element);
    }
    return QString();
}

QString artifactNameAttribute(ArtifactKind kind)
{
    return kind == ArtifactKind::LocalEntry ? QStringLiteral("key") : QStringLiteral("name");
}

} // namespace sluice::studio
