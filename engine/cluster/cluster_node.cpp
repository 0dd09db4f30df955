// SPDX-License-Identifier: Apache-2.0
#include "cluster_node.h"

#include "cluster_envelope.h"
#include "cluster_link.h"
#include "transports/ws_inbound_endpoint.h"

#include <QDateTime>
#include <QMetaObject>
#include <QRandomGenerator>
#include <QSysInfo>

namespace sluice {

namespace {

QByteArray randomInstance()
{
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return bytes.toHex();
}

// Without a `node` name a runtime is known by its machine's name.
ClusterConfig withDefaults(ClusterConfig config)
{
    if (config.node.isEmpty())
        config.node = QSysInfo::machineHostName();
    return config;
}

} // namespace

ClusterNode::ClusterNode(const ClusterConfig &config, std::shared_ptr<const ClientTls> tls,
                         std::function<ClusterCounts()> counts)
    : m_config(withDefaults(config))
    , m_instance(randomInstance())
{
    m_stateSinceMs = QDateTime::currentMSecsSinceEpoch();
    m_thread.setObjectName(QStringLiteral("sluice-cluster"));
    m_link = new ClusterLink(*this, m_config, std::move(tls), std::move(counts), m_instance);
    m_link->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(m_link, &ClusterLink::start, Qt::QueuedConnection);
}

ClusterNode::~ClusterNode()
{
    setEndpoints({});
    ClusterLink *link = m_link;
    QMetaObject::invokeMethod(
        link,
        [link] {
            link->leave();
            delete link;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void ClusterNode::setEndpoints(const std::vector<WsInboundEndpoint *> &endpoints)
{
    QHash<QString, WsInboundEndpoint *> byName;
    for (WsInboundEndpoint *endpoint : endpoints)
        byName.insert(endpoint->settings().name, endpoint);
    QMutexLocker lock(&m_mutex);
    m_endpoints = byName;
}

void ClusterNode::relay(const QString &endpoint, const QString &path, const QByteArray &payload,
                        FrameKind kind, const QString &exceptId)
{
    if (!m_connected.load(std::memory_order_relaxed)) {
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    // Encoded here, on the worker thread: the cluster thread only writes bytes.
    const ClusterEnvelope envelope{m_instance, m_config.node, endpoint, path,
                                   kind,       exceptId,      payload};
    const QByteArray channel = broadcastChannel(m_config.keyPrefix, endpoint, path);
    const QByteArray bytes = envelope.encode();
    ClusterLink *link = m_link;
    QMetaObject::invokeMethod(
        link, [link, channel, bytes] { link->publish(channel, bytes); }, Qt::QueuedConnection);
}

void ClusterNode::deliver(const ClusterEnvelope &envelope)
{
    QMutexLocker lock(&m_mutex);
    WsInboundEndpoint *endpoint = m_endpoints.value(envelope.endpoint);
    if (!endpoint)
        return; // not deployed here (or being redeployed): no client to reach
    endpoint->deliverRelayed(envelope.path, envelope.payload, envelope.kind);
    m_received.fetch_add(1, std::memory_order_relaxed);
}

void ClusterNode::setState(const QString &state, bool connected)
{
    m_connected.store(connected, std::memory_order_relaxed);
    QMutexLocker lock(&m_mutex);
    if (m_state != state)
        m_stateSinceMs = QDateTime::currentMSecsSinceEpoch();
    m_state = state;
}

void ClusterNode::setNodes(const QList<ClusterNodeInfo> &nodes)
{
    QMutexLocker lock(&m_mutex);
    m_nodes = nodes;
}

ClusterView ClusterNode::view() const
{
    ClusterView view;
    view.enabled = true;
    view.node = m_config.node;
    view.redis = QStringLiteral("%1:%2").arg(m_config.host).arg(m_config.port);
    view.tls = m_config.tls;
    view.relayed = m_relayed.load(std::memory_order_relaxed);
    view.received = m_received.load(std::memory_order_relaxed);
    view.dropped = m_dropped.load(std::memory_order_relaxed);
    view.malformed = m_malformed.load(std::memory_order_relaxed);
    QMutexLocker lock(&m_mutex);
    view.state = m_state;
    view.stateSinceMs = m_stateSinceMs;
    view.nodes = m_nodes;
    return view;
}

} // namespace sluice
