// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace sluice {

// One runtime of the cluster as its presence key in Redis says (refreshed every heartbeat).
struct ClusterNodeInfo {
    QString name;
    bool self = false;
    int connections = 0;          // WebSocket clients
    double inPerSecond = 0;       // frames received (clients and backends), last heartbeat
    double outPerSecond = 0;      // frames sent
    double relayedPerSecond = 0;  // broadcasts published to the cluster
    double receivedPerSecond = 0; // broadcasts of other nodes delivered here
    qint64 updatedMs = 0;         // when the node wrote it (its clock)
};

// What a runtime knows of its cluster: thread-safe copy for the management API and the studio.
struct ClusterView {
    bool enabled = false;
    QString node;
    QString redis; // "host:port"
    bool tls = false;
    QString state; // "connecting", "connected", "degraded"
    qint64 stateSinceMs = 0;
    quint64 relayed = 0;          // broadcasts published to Redis
    quint64 received = 0;         // broadcasts of other nodes delivered here
    quint64 dropped = 0;          // broadcasts not relayed while Redis was unreachable or too slow
    quint64 malformed = 0;        // messages on the channels that were not envelopes
    QList<ClusterNodeInfo> nodes; // this node first, then by name; only this one when degraded
};

// The same fields are a node's presence value in Redis and its entry in GET /management/cluster.
QJsonObject clusterNodeToJson(const ClusterNodeInfo &node);
ClusterNodeInfo clusterNodeFromJson(const QJsonObject &object);
QJsonObject clusterViewToJson(const ClusterView &view);
ClusterView clusterViewFromJson(const QJsonObject &object);

} // namespace sluice
