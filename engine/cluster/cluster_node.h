// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/project.h"
#include "cluster_view.h"
#include "transports/broadcast_relay.h"

#include <QHash>
#include <QMutex>
#include <QThread>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace sluice {

class ClusterLink;
struct ClusterEnvelope;
struct ClientTls;
class WsInboundEndpoint;

// What a node reports of itself in its presence key (read on the cluster thread).
struct ClusterCounts {
    int connections = 0;
    quint64 framesIn = 0;
    quint64 framesOut = 0;
};

// This runtime as a node of a cluster ([cluster] in deployment.toml, docs/cluster.md). Exists
// only when the cluster is on: a runtime without [cluster] runs no Redis code at all.
//
// Broadcasts of level 1 and 2 are delivered to the local clients first (always, Redis or not),
// then relayed to the other nodes through Redis pub/sub on one channel per endpoint and path;
// each node delivers the others' messages and skips its own, so every client gets each
// broadcast exactly once. The Redis side (connections, presence, reconnects) runs on a thread
// of its own (ClusterLink); this class is the thread-safe face the runtime and endpoints use.
class ClusterNode final : public BroadcastRelay {
public:
    ClusterNode(const ClusterConfig &config, std::shared_ptr<const ClientTls> tls,
                std::function<ClusterCounts()> counts);
    // Leaves the cluster (removes its presence when Redis is reachable) and stops its thread.
    ~ClusterNode() override;
    ClusterNode(const ClusterNode &) = delete;
    ClusterNode &operator=(const ClusterNode &) = delete;

    const ClusterConfig &config() const { return m_config; }
    // The endpoints that relayed broadcasts are delivered to, by name (thread-safe; an endpoint
    // must be taken out before it stops).
    void setEndpoints(const std::vector<WsInboundEndpoint *> &endpoints);
    ClusterView view() const;

    // BroadcastRelay, on worker threads: encodes and hands over to the cluster thread; dropped
    // (and counted) while Redis is unreachable.
    void relay(const QString &endpoint, const QString &path, const QByteArray &payload,
               FrameKind kind, const QString &exceptId) override;

private:
    friend class ClusterLink;
    // Called by the link on the cluster thread.
    void deliver(const ClusterEnvelope &envelope);
    void setState(const QString &state, bool connected);
    void setNodes(const QList<ClusterNodeInfo> &nodes);

    const ClusterConfig m_config;
    const QByteArray m_instance; // random: tells this run's messages from any other node's
    QThread m_thread;
    ClusterLink *m_link = nullptr; // lives on m_thread

    std::atomic<bool> m_connected{false};
    std::atomic<quint64> m_relayed{0};
    std::atomic<quint64> m_received{0};
    std::atomic<quint64> m_dropped{0};
    std::atomic<quint64> m_malformed{0};

    mutable QMutex m_mutex; // guards what follows
    QHash<QString, WsInboundEndpoint *> m_endpoints;
    QString m_state = QStringLiteral("connecting");
    qint64 m_stateSinceMs = 0;
    QList<ClusterNodeInfo> m_nodes;
};

} // namespace sluice
