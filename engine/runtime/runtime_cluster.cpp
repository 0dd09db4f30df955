// SPDX-License-Identifier: Apache-2.0
// The cluster's part of a deployment ([cluster], docs/cluster.md), beside the listeners'.
#include "runtime.h"

#include "cluster/cluster_node.h"
#include "cluster/cluster_tls.h"
#include "transports/worker_pool.h"
#include "transports/ws_inbound_endpoint.h"

namespace sluice {

namespace {

bool sameCluster(const ClusterConfig &a, const ClusterConfig &b)
{
    return a.enabled == b.enabled && a.host == b.host && a.port == b.port && a.node == b.node &&
           a.keyPrefix == b.keyPrefix && a.username == b.username && a.password == b.password &&
           a.tls == b.tls && a.tlsCaFile == b.tlsCaFile && a.tlsCertFile == b.tlsCertFile &&
           a.tlsKeyFile == b.tlsKeyFile && a.tlsVerifyHostname == b.tlsVerifyHostname &&
           a.heartbeatMs == b.heartbeatMs;
}

} // namespace

bool Runtime::prepareCluster(const Project &project, Diagnostics &diagnostics)
{
    m_clusterTls.reset();
    const ClusterConfig &config = project.config.cluster;
    if (!config.enabled || !config.tls)
        return true;
    m_clusterTls = loadClusterTls(config, project.rootPath, diagnostics);
    return m_clusterTls != nullptr;
}

void Runtime::commitCluster()
{
    const ClusterConfig &config = m_project.config.cluster;
    // The node stays through redeploys that keep [cluster] as it was (its Redis connections,
    // presence and counters too).
    if (m_cluster && !sameCluster(m_clusterConfig, config))
        retireCluster();
    if (config.enabled && !m_cluster) {
        auto node = std::make_unique<ClusterNode>(config, m_clusterTls, [this] {
            const RuntimeStatus now = status();
            return ClusterCounts{now.clientConnections, now.counters.framesIn,
                                 now.counters.framesOut};
        });
        m_clusterConfig = config;
        std::lock_guard lock(m_clusterMutex);
        m_cluster = std::move(node);
    }
    if (!m_cluster)
        return;
    std::vector<WsInboundEndpoint *> endpoints;
    for (const auto &endpoint : m_inbound) {
        endpoint->setBroadcastRelay(m_cluster.get());
        endpoints.push_back(endpoint.get());
    }
    m_cluster->setEndpoints(endpoints);
}

void Runtime::detachClusterEndpoints()
{
    if (m_cluster)
        m_cluster->setEndpoints({});
}

void Runtime::retireCluster()
{
    if (!m_cluster)
        return;
    for (const auto &endpoint : m_inbound)
        endpoint->setBroadcastRelay(nullptr);
    // Broadcasts run on the worker threads: once each has finished what it was doing, none can
    // still be inside the node's relay().
    if (m_workers) {
        for (int i = 0; i < m_workers->size(); ++i)
            m_workers->runAndWait(i, [] {});
    }
    std::unique_ptr<ClusterNode> retired;
    {
        std::lock_guard lock(m_clusterMutex);
        retired = std::move(m_cluster);
    }
}

ClusterView Runtime::clusterView() const
{
    std::lock_guard lock(m_clusterMutex);
    return m_cluster ? m_cluster->view() : ClusterView{};
}

} // namespace sluice
