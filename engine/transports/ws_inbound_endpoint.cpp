// SPDX-License-Identifier: Apache-2.0
#include "ws_inbound_endpoint.h"

#include "broadcast_relay.h"
#include "hand_over_server.h"
#include "runtime/logger.h"
#include "worker_pool.h"
#include "ws_endpoint_shard.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QMetaObject>
#include <QTcpServer>
#include <QThread>
#include <unistd.h>

namespace sluice {

namespace {

const QString kCategory = QStringLiteral("ws-inbound");

} // namespace

WsInboundEndpoint::WsInboundEndpoint(const WsInboundSettings &settings,
                                     std::shared_ptr<const MediationEnvironment> environment,
                                     WorkerPool &workers, ConnectionRegistry *registry)
    : m_settings(std::make_shared<const WsInboundSettings>(settings))
    , m_environment(std::move(environment))
    , m_workers(workers)
    , m_registry(registry)
{
}

WsInboundEndpoint::~WsInboundEndpoint()
{
    stop();
}

QString WsInboundEndpoint::url() const
{
    return QStringLiteral("%1://%2:%3/")
        .arg(m_settings->protocol, m_settings->host)
        .arg(m_settings->port);
}

bool WsInboundEndpoint::start(QString *error)
{
    QHostAddress address;
    if (m_settings->host == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(m_settings->host)) {
        *error = QStringLiteral("'%1' is not an IP address to listen on").arg(m_settings->host);
        return false;
    }
    for (int i = 0; i < m_workers.size(); ++i) {
        m_workers.runAndWait(i, [this] {
            m_shards.push_back(new WsEndpointShard(this, m_settings, m_environment));
        });
    }
    bool listening = false;
    QString reason;
    m_workers.runAndWait(0, [&] {
        auto *server = new HandOverServer([this](qintptr descriptor) { handOver(descriptor); });
        // Connections are handed over at once; the backlog absorbs bursts of connecting clients.
        server->setMaxPendingConnections(std::numeric_limits<int>::max());
        server->setListenBacklogSize(4096);
        listening = server->listen(address, quint16(m_settings->port));
        if (!listening) {
            reason = server->errorString();
            delete server;
            return;
        }
        m_listener = server;
    });
    if (!listening) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(m_settings->host)
                     .arg(m_settings->port)
                     .arg(reason);
        stop();
        return false;
    }
    m_running = true;
    Logger::instance().log(LogLevel::Info, kCategory,
                           QStringLiteral("inbound endpoint '%1' listening on %2 (%3 worker "
                                          "threads, broadcast level %4)")
                               .arg(m_settings->name, url())
                               .arg(m_workers.size())
                               .arg(m_settings->broadcastLevel));
    return true;
}

bool WsInboundEndpoint::sameListener(const WsInboundSettings &a, const WsInboundSettings &b)
{
    // What only steers messages may change under connected clients; the rest is baked into the
    // listening socket, the shards' handshake or the endpoint's limits. The worker thread count
    // is the runtime's pool, which a redeploy keeps.
    auto listenerPart = [](WsInboundSettings s) {
        s.broadcastLevel = 0;
        s.dispatchSequence.clear();
        s.onError.clear();
        s.outflowSequence.clear();
        s.outflowFaultSequence.clear();
        s.defaultContentType.clear();
        s.clientIdleSeconds = 0;
        s.backendIdleSeconds = 0;
        s.workerThreads = 0;
        // Read per handshake, per connection or per send: they change under connected clients.
        s.allowedOrigins.clear();
        s.pingIntervalSeconds = 0;
        s.pingTimeoutSeconds = 0;
        s.maxWriteBufferBytes = 0;
        return s;
    };
    return listenerPart(a) == listenerPart(b);
}

void WsInboundEndpoint::update(const WsInboundSettings &settings,
                               std::shared_ptr<const MediationEnvironment> environment)
{
    auto shared = std::make_shared<const WsInboundSettings>(settings);
    m_environment = environment;
    // Each shard switches on its own thread, between two messages: no lock on the hot path.
    for (int i = 0; i < int(m_shards.size()); ++i)
        m_workers.runAndWait(i, [=, this] { m_shards[size_t(i)]->update(shared, environment); });
}

bool WsInboundEndpoint::admitConnection()
{
    // Requests not read yet are bounded too (they last ws.handshake.timeout at most), so a flood
    // of idle sockets cannot exhaust descriptors; /health keeps answering when clients are at
    // ws.max.connections.
    if (m_pending.fetch_add(1) >= m_settings->maxConnections) {
        m_pending.fetch_sub(1);
        return false;
    }
    return true;
}

void WsInboundEndpoint::pendingClosed()
{
    m_pending.fetch_sub(1);
}

WsInboundEndpoint::Admission WsInboundEndpoint::reserveClient(const QHostAddress &address)
{
    int clients = m_clients.load();
    do {
        if (clients >= m_settings->maxConnections)
            return Admission::EndpointFull;
    } while (!m_clients.compare_exchange_weak(clients, clients + 1));
    if (m_settings->maxConnectionsPerAddress > 0) {
        QMutexLocker lock(&m_addressesMutex);
        int &count = m_clientsByAddress[address];
        if (count >= m_settings->maxConnectionsPerAddress) {
            lock.unlock();
            m_clients.fetch_sub(1);
            return Admission::AddressFull;
        }
        ++count;
    }
    return Admission::Admitted;
}

void WsInboundEndpoint::clientClosed(const QHostAddress &address)
{
    m_clients.fetch_sub(1);
    if (m_settings->maxConnectionsPerAddress > 0) {
        QMutexLocker lock(&m_addressesMutex);
        const auto it = m_clientsByAddress.find(address);
        if (it != m_clientsByAddress.end() && --it.value() <= 0)
            m_clientsByAddress.erase(it);
    }
}

void WsInboundEndpoint::handOver(qintptr descriptor)
{
    if (!admitConnection()) {
        Logger::instance().log(LogLevel::Warn, kCategory,
                               QStringLiteral("inbound endpoint '%1': connection refused, "
                                              "already %2 requests waiting to be read")
                                   .arg(m_settings->name)
                                   .arg(m_settings->maxConnections));
        ::close(int(descriptor));
        return;
    }
    WsEndpointShard *shard = m_shards[size_t(m_workers.nextIndex())];
    QMetaObject::invokeMethod(
        shard, [shard, descriptor] { shard->acceptSocket(descriptor); }, Qt::QueuedConnection);
}

void WsInboundEndpoint::broadcast(const QString &path, const QByteArray &payload, FrameKind kind,
                                  const QString &exceptId, WsEndpointShard *callerShard)
{
    deliverToShards(path, payload, kind, exceptId, callerShard);
    // Local clients first: they do not wait for, nor depend on, the cluster.
    if (BroadcastRelay *relay = m_relay.load(std::memory_order_acquire))
        relay->relay(m_settings->name, path, payload, kind, exceptId);
}

void WsInboundEndpoint::deliverRelayed(const QString &path, const QByteArray &payload,
                                       FrameKind kind)
{
    deliverToShards(path, payload, kind, QString(), nullptr);
}

void WsInboundEndpoint::deliverToShards(const QString &path, const QByteArray &payload,
                                        FrameKind kind, const QString &exceptId,
                                        WsEndpointShard *callerShard)
{
    for (WsEndpointShard *shard : m_shards) {
        if (shard == callerShard) {
            shard->deliverToPath(path, payload, kind, exceptId);
            continue;
        }
        QMetaObject::invokeMethod(
            shard, [=] { shard->deliverToPath(path, payload, kind, exceptId); },
            Qt::QueuedConnection);
    }
}

void WsInboundEndpoint::stop()
{
    if (m_listener) {
        m_workers.runAndWait(0, [this] {
            m_listener->close();
            delete m_listener;
        });
        m_listener = nullptr;
    }
    if (m_shards.empty())
        return;
    const int code = m_settings->shutdownCode;
    const QString message = m_settings->shutdownMessage;
    for (int i = 0; i < int(m_shards.size()); ++i)
        m_workers.runAndWait(i, [=, this] { m_shards[size_t(i)]->closeAll(code, message); });
    // Give clients a moment to answer the close frames before the sockets go away.
    QDeadlineTimer deadline(2000);
    while (m_clients.load() > 0 && !deadline.hasExpired())
        QThread::msleep(10);
    for (int i = 0; i < int(m_shards.size()); ++i)
        m_workers.runAndWait(i, [=, this] { delete m_shards[size_t(i)]; });
    m_shards.clear();
    if (m_running) {
        Logger::instance().log(
            LogLevel::Info, kCategory,
            QStringLiteral("inbound endpoint '%1' stopped").arg(m_settings->name));
    }
    m_running = false;
}

} // namespace sluice
