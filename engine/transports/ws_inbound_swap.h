// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/project.h"
#include "ws_inbound_settings.h"

#include <memory>
#include <vector>

namespace sluice {

class ConnectionRegistry;
class MediationEnvironment;
class WorkerPool;
class WsInboundEndpoint;

// The listener side of a deploy or hot redeploy, all or nothing:
// 1. Running inbound endpoints whose listener did not change (same name, and
//    WsInboundEndpoint::sameListener) are kept with their listening socket and their clients.
// 2. prepare() starts the new and changed endpoints, first those whose port is free; those that
//    need the port of an endpoint going away start after it stopped. On any failure it stops
//    what it started, lets the endpoints it stopped listen again with the old environment
//    (their clients are lost in that rare case) and returns false with the problem.
// 3. commit() switches the kept endpoints to the new environment (on every worker thread,
//    between two messages) and stops the endpoints that went away (their clients get
//    ws.shutdown.status.code).
class WsInboundSwap {
public:
    using Endpoints = std::vector<std::unique_ptr<WsInboundEndpoint>>;

    WsInboundSwap(Endpoints &running, std::shared_ptr<const MediationEnvironment> oldEnvironment,
                  WorkerPool &workers, ConnectionRegistry *registry);
    ~WsInboundSwap();
    WsInboundSwap(const WsInboundSwap &) = delete;
    WsInboundSwap &operator=(const WsInboundSwap &) = delete;

    bool prepare(const Project &project, std::shared_ptr<const MediationEnvironment> environment,
                 Diagnostics &diagnostics);
    void commit();

private:
    struct Wanted {
        WsInboundSettings settings;
        const InboundEndpoint *inbound = nullptr;
        WsInboundEndpoint *kept = nullptr;
        std::unique_ptr<WsInboundEndpoint> started;
    };
    bool plan(const Project &project, Diagnostics &diagnostics);
    WsInboundEndpoint *holdingPort(int port) const;
    bool start(Wanted &wanted, Diagnostics &diagnostics);
    void rollBack();

    Endpoints &m_running;
    std::shared_ptr<const MediationEnvironment> m_oldEnvironment;
    std::shared_ptr<const MediationEnvironment> m_environment;
    WorkerPool &m_workers;
    ConnectionRegistry *m_registry;
    std::vector<Wanted> m_wanted;
    std::vector<WsInboundEndpoint *> m_retiring;     // running, not kept
    std::vector<WsInboundEndpoint *> m_stoppedEarly; // retiring, stopped to free their port
};

} // namespace sluice
