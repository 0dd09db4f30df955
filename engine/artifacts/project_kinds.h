// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts.h"
#include "diagnostics.h"

#include <QList>
#include <QString>

namespace sluice {

// The artifact kinds a project holds, with their WSO2 MI folder and CAR type names.
enum class ArtifactKind { Sequence, InboundEndpoint, Endpoint, ProxyService, Api, LocalEntry };

struct ArtifactKindInfo {
    ArtifactKind kind;
    QString folder;      // "sequences", as under src/main/synapse-config/
    QString carType;     // "synapse/sequence", as in a CAR's artifact.xml
    QString description; // "sequence"
    QString plural;      // "sequences"
};

// In the order WSO2 MI deploys them: sequences, inbound endpoints, endpoints, proxy services,
// APIs, local entries.
const QList<ArtifactKindInfo> &artifactKinds();
const ArtifactKindInfo &artifactKindInfo(ArtifactKind kind);

// Warns about every artifact of `set` that is not of kind `expected`. `where` completes the
// message: "found in sequences/" or "found in an artifact of type synapse/sequence"; with
// folderHint the message adds the folder the artifact belongs in.
void checkArtifactKinds(const ArtifactSet &set, ArtifactKind expected, const QString &where,
                        bool folderHint, const QString &displayName, Diagnostics &diagnostics);

} // namespace sluice
