// SPDX-License-Identifier: Apache-2.0
#include "project_kinds.h"

#include <type_traits>

namespace sluice {

const QList<ArtifactKindInfo> &artifactKinds()
{
    static const QList<ArtifactKindInfo> kinds = {
        {ArtifactKind::Sequence, QStringLiteral("sequences"), QStringLiteral("synapse/sequence"),
         QStringLiteral("sequence"), QStringLiteral("sequences")},
        {ArtifactKind::InboundEndpoint, QStringLiteral("inbound-endpoints"),
         QStringLiteral("synapse/inbound-endpoint"), QStringLiteral("inbound endpoint"),
         QStringLiteral("inbound endpoints")},
        {ArtifactKind::Endpoint, QStringLiteral("endpoints"), QStringLiteral("synapse/endpoint"),
         QStringLiteral("endpoint"), QStringLiteral("endpoints")},
        {ArtifactKind::ProxyService, QStringLiteral("proxy-services"),
         QStringLiteral("synapse/proxy-service"), QStringLiteral("proxy service"),
         QStringLiteral("proxy services")},
        {ArtifactKind::Api, QStringLiteral("api"), QStringLiteral("synapse/api"),
         QStringLiteral("API"), QStringLiteral("APIs")},
        {ArtifactKind::LocalEntry, QStringLiteral("local-entries"),
         QStringLiteral("synapse/local-entry"), QStringLiteral("local entry"),
         QStringLiteral("local entries")},
    };
    return kinds;
}

const ArtifactKindInfo &artifactKindInfo(ArtifactKind kind)
{
    for (const ArtifactKindInfo &info : artifactKinds()) {
        if (info.kind == kind)
            return info;
    }
    return artifactKinds().front();
}

namespace {

template <typename T>
void warnAbout(const std::vector<T> &items, ArtifactKind kind, ArtifactKind expected,
               const QString &where, bool folderHint, const QString &displayName,
               Diagnostics &diagnostics)
{
    if (kind == expected)
        return;
    const ArtifactKindInfo &info = artifactKindInfo(kind);
    for (const T &item : items) {
        QString name;
        if constexpr (std::is_same_v<T, LocalEntry>)
            name = item.key;
        else
            name = item.name;
        QString message = QStringLiteral("%1 '%2' %3").arg(info.description, name, where);
        if (folderHint)
            message += QStringLiteral(" (%1 belong in %2/)").arg(info.plural, info.folder);
        const SourceLocation location =
            item.location.isValid() ? item.location : SourceLocation{displayName, 0, 0};
        diagnostics.warning(location, message);
    }
}

} // namespace

void checkArtifactKinds(const ArtifactSet &set, ArtifactKind expected, const QString &where,
                        bool folderHint, const QString &displayName, Diagnostics &diagnostics)
{
    warnAbout(set.sequences, ArtifactKind::Sequence, expected, where, folderHint, displayName,
              diagnostics);
    warnAbout(set.inboundEndpoints, ArtifactKind::InboundEndpoint, expected, where, folderHint,
              displayName, diagnostics);
    warnAbout(set.endpoints, ArtifactKind::Endpoint, expected, where, folderHint, displayName,
              diagnostics);
    warnAbout(set.proxyServices, ArtifactKind::ProxyService, expected, where, folderHint,
              displayName, diagnostics);
    warnAbout(set.apis, ArtifactKind::Api, expected, where, folderHint, displayName, diagnostics);
    warnAbout(set.localEntries, ArtifactKind::LocalEntry, expected, where, folderHint, displayName,
              diagnostics);
}

} // namespace sluice
