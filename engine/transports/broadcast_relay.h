// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/message_context.h"

#include <QByteArray>
#include <QString>

namespace sluice {

// Where an inbound endpoint hands its level 1 and 2 broadcasts, besides its own clients, so that
// clients of the same endpoint on other runtimes get them too (cluster/cluster_node.h). Called on
// worker threads, after local delivery; must not block.
class BroadcastRelay {
public:
    virtual ~BroadcastRelay() = default;
    virtual void relay(const QString &endpoint, const QString &path, const QByteArray &payload,
                       FrameKind kind, const QString &exceptId) = 0;
};

} // namespace sluice
