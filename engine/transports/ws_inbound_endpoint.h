// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/message_context.h"
#include "ws_inbound_settings.h"

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <atomic>
#include <memory>
#include <vector>

class QTcpServer;

namespace sluice {

class BroadcastRelay;
class ConnectionRegistry;
class MediationEnvironment;
class WorkerPool;
class WsEndpointShard;

// A WebSocket inbound endpoint (protocol ws): one listening socket, accepted connections handed
// round robin to the worker threads, where a shard per worker serves them.
class WsInboundEndpoint : public QObject {
    Q_OBJECT
public:
    WsInboundEndpoint(const WsInboundSettings &settings,
                      std::shared_ptr<const MediationEnvironment> environment, WorkerPool &workers,
                      ConnectionRegistry *registry = nullptr);
    ~WsInboundEndpoint() override;

    // Listens; false with a reason (port in use, bad address) and nothing listening.
    bool start(QString *error);
    // Closes every client with ws.shutdown.status.code / message and stops listening.
    void stop();

    // The settings it listens with (a redeploy that changes them restarts the endpoint).
    const WsInboundSettings &settings() const { return *m_settings; }
    QString url() const;
    // Where its client connections register (null: nowhere).
    ConnectionRegistry *registry() const { return m_registry; }

    // Hot redeploy: the next messages of every client (connected or still to come) run through
    // `environment`, with the routing settings of `settings` (sequences, broadcast level,
    // content type, idle times). Listener settings must be unchanged (see
    // sameListener()). Waits until every worker has switched; messages in flight finish on the
    // environment they started with.
    void update(const WsInboundSettings &settings,
                std::shared_ptr<const MediationEnvironment> environment);
    // Whether an endpoint listening with `a` can go on serving with `b` without a restart.
    static bool sameListener(const WsInboundSettings &a, const WsInboundSettings &b);
    // WebSocket clients connected or in their opening handshake (what /health reports and
    // ws.max.connections bounds).
    int connectionCount() const { return m_clients.load(); }
    // Accepted sockets whose request has not been read yet.
    int pendingCount() const { return m_pending.load(); }

    // Thread-safe: delivers a payload to the clients on `path` on every worker, and hands it
    // to the relay when one is set.
    void broadcast(const QString &path, const QByteArray &payload, FrameKind kind,
                   const QString &exceptId, WsEndpointShard *callerShard);
    // A broadcast of another runtime of the cluster: to the clients on `path` here, not relayed.
    void deliverRelayed(const QString &path, const QByteArray &payload, FrameKind kind);
    // The cluster's relay (null: broadcasts stay on this runtime). It must outlive the endpoint.
    void setBroadcastRelay(BroadcastRelay *relay) { m_relay.store(relay); }

    // Called by shards (any thread). An accepted socket is pending until its request is read;
    // a WebSocket upgrade then reserves a client slot (refused when ws.max.connections are
    // taken), held until the handshake fails or the client connection closes.
    void pendingClosed();
    enum class Admission { Admitted, EndpointFull, AddressFull };
    // A client slot, and one of the slots of its address when ws.max.connections.per.address
    // is set: give both back with clientClosed(address).
    Admission reserveClient(const QHostAddress &address);
    void clientClosed(const QHostAddress &address);

private:
    void handOver(qintptr descriptor);
    bool admitConnection();
    void deliverToShards(const QString &path, const QByteArray &payload, FrameKind kind,
                         const QString &exceptId, WsEndpointShard *callerShard);

    std::shared_ptr<const WsInboundSettings> m_settings;
    std::shared_ptr<const MediationEnvironment> m_environment;
    WorkerPool &m_workers;
    ConnectionRegistry *m_registry;
    QTcpServer *m_listener = nullptr;        // lives on worker 0
    std::vector<WsEndpointShard *> m_shards; // one per worker, each on its thread
    std::atomic<int> m_clients{0};
    std::atomic<int> m_pending{0};
    // Clients per address, only counted when ws.max.connections.per.address is set; touched
    // when clients come and go, never per message.
    QMutex m_addressesMutex;
    QHash<QHostAddress, int> m_clientsByAddress;
    bool m_running = false;
    std::atomic<BroadcastRelay *> m_relay{nullptr};
};

} // namespace sluice
