// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/message_context.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace sluice {

// One broadcast as it travels between runtimes on a Redis channel: everything a receiving node
// needs to deliver it as the origin did, the payload bytes exactly as they were.
struct ClusterEnvelope {
    QByteArray originInstance; // random per runtime start: a node skips its own messages
    QString originNode;        // the node name, for logs and the studio
    QString endpoint;          // inbound endpoint name
    QString path;              // request path of the clients it is for
    FrameKind kind = FrameKind::Text;
    // Level 2: the sender's connection id on the origin node (ids are per node, so it excludes
    // no client elsewhere; it is carried for tracing).
    QString exceptId;
    QByteArray payload;

    // "SLB1", the kind, then each field as a 32-bit big-endian length and its bytes.
    QByteArray encode() const;
    // nullopt for anything that is not a whole envelope of this version.
    static std::optional<ClusterEnvelope> decode(const QByteArray &bytes);
};

// The Redis channel of the broadcasts of one endpoint and path: "<prefix>:bc:<endpoint>:<path>".
QByteArray broadcastChannel(const QString &prefix, const QString &endpoint, const QString &path);
// The pattern that matches every such channel of a cluster.
QByteArray broadcastPattern(const QString &prefix);

} // namespace sluice
