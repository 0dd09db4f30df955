// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/project.h"
#include "cluster_view.h"
#include "redis_connection.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <functional>

namespace sluice {

class ClusterNode;
struct ClusterCounts;

// The Redis side of a cluster node, on the node's own thread; nothing here ever waits on the
// network. Two connections: one for commands (PUBLISH, presence), one subscribed to the
// cluster's broadcast channels. When either goes, the node is degraded: it logs that once,
// keeps serving its own clients, and reconnects with backoff (200 ms doubling to 3 s); when
// both are back it logs the rejoin once.
//
// Presence: every heartbeat the node writes "<prefix>:node:<name>" (its counts as JSON) with
// an expiry of three heartbeats, keeps its name in the set "<prefix>:nodes", and reads the
// others' keys; names whose key has expired are taken out of the set.
class ClusterLink : public QObject {
    Q_OBJECT
public:
    ClusterLink(ClusterNode &node, const ClusterConfig &config,
                std::shared_ptr<const ClientTls> tls, std::function<ClusterCounts()> counts,
                const QByteArray &instance);

    void start();
    // Removes this node's presence (best effort: when connected) and closes the connections.
    void leave();
    void publish(const QByteArray &channel, const QByteArray &envelope);

private:
    enum class State { Connecting, Connected, Degraded };

    void connectBoth();
    void connectionReady();
    void connectionLost(const QString &reason);
    void joined();
    void heartbeat();
    void readNodes(const QList<QByteArray> &names);
    void messageArrived(const RedisValue &value);
    ClusterNodeInfo selfInfo();
    QByteArray key(const QString &suffix) const;

    ClusterNode &m_node;
    const ClusterConfig m_config;
    const QByteArray m_instance;
    const QString m_address;
    std::function<ClusterCounts()> m_counts;
    RedisConnection m_commands;
    RedisConnection m_subscriber;
    QTimer m_heartbeat;
    QTimer m_retry;
    int m_backoffMs = 200;
    State m_state = State::Connecting;
    bool m_subscribed = false;
    QElapsedTimer m_degradedFor;
    // Liveness: a heartbeat whose replies have not come back for three periods means a Redis
    // that accepts but does not answer (stopped, overloaded); the node then reconnects.
    QElapsedTimer m_unanswered;
    bool m_awaitingCommands = false;
    bool m_awaitingSubscriber = false;
    bool m_nameClashLogged = false;
    ClusterNodeInfo m_lastSelf; // this node's entry of the last heartbeat
    // The last heartbeat's sample, for rates.
    QElapsedTimer m_sampleClock;
    quint64 m_lastIn = 0, m_lastOut = 0, m_lastRelayed = 0, m_lastReceived = 0;
};

} // namespace sluice
