// SPDX-License-Identifier: Apache-2.0
#include "ws_inbound_swap.h"

#include "runtime/logger.h"
#include "ws_inbound_endpoint.h"
#include "ws_inbound_tls.h"

#include <algorithm>

namespace sluice {

namespace {

const QString kCategory = QStringLiteral("runtime");

template <typename T> bool contains(const std::vector<T> &items, const T &item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

} // namespace

WsInboundSwap::WsInboundSwap(Endpoints &running,
                             std::shared_ptr<const MediationEnvironment> oldEnvironment,
                             WorkerPool &workers, ConnectionRegistry *registry)
    : m_running(running)
    , m_oldEnvironment(std::move(oldEnvironment))
    , m_workers(workers)
    , m_registry(registry)
{
}

WsInboundSwap::~WsInboundSwap() = default;

bool WsInboundSwap::plan(const Project &project, Diagnostics &diagnostics)
{
    for (const InboundEndpoint &inbound : project.artifacts.inboundEndpoints) {
        WsInboundSettings settings = WsInboundSettings::from(inbound, project.config);
        if (settings.secure()) {
            // Read again at each deployment: a renewed certificate is picked up by a redeploy.
            auto tls = wssInboundTls(inbound, projectDirectoryOf(project.rootPath), diagnostics);
            if (!tls)
                return false;
            settings.tls = *tls;
        }
        if (settings.suspended) {
            Logger::instance().log(LogLevel::Info, kCategory,
                                   QStringLiteral("inbound endpoint '%1' is suspended; not "
                                                  "listening")
                                       .arg(inbound.name));
            continue;
        }
        m_wanted.push_back(Wanted{std::move(settings), &inbound, nullptr, nullptr});
    }
    for (const auto &old : m_running) {
        auto same = std::find_if(m_wanted.begin(), m_wanted.end(), [&](const Wanted &w) {
            return !w.kept && w.settings.name == old->settings().name &&
                   WsInboundEndpoint::sameListener(old->settings(), w.settings);
        });
        if (same != m_wanted.end())
            same->kept = old.get();
        else
            m_retiring.push_back(old.get());
    }
    return true;
}

WsInboundEndpoint *WsInboundSwap::holdingPort(int port) const
{
    for (WsInboundEndpoint *old : m_retiring) {
        if (old->settings().port == port)
            return old;
    }
    return nullptr;
}

bool WsInboundSwap::start(Wanted &wanted, Diagnostics &diagnostics)
{
    auto endpoint =
        std::make_unique<WsInboundEndpoint>(wanted.settings, m_environment, m_workers, m_registry);
    QString error;
    if (!endpoint->start(&error)) {
        diagnostics.error(
            wanted.inbound->location,
            QStringLiteral("inbound endpoint '%1': %2").arg(wanted.inbound->name, error));
        return false;
    }
    wanted.started = std::move(endpoint);
    return true;
}

bool WsInboundSwap::prepare(const Project &project,
                            std::shared_ptr<const MediationEnvironment> environment,
                            Diagnostics &diagnostics)
{
    m_environment = std::move(environment);
    if (!plan(project, diagnostics))
        return false;
    // Pass 0: endpoints whose port is free; pass 1: those that need a retiring one's port.
    for (int pass = 0; pass < 2; ++pass) {
        for (Wanted &w : m_wanted) {
            if (w.kept)
                continue;
            WsInboundEndpoint *old = holdingPort(w.settings.port);
            if ((pass == 0) != (old == nullptr))
                continue;
            if (old && !contains(m_stoppedEarly, old)) {
                old->stop();
                m_stoppedEarly.push_back(old);
            }
            if (!start(w, diagnostics)) {
                rollBack();
                return false;
            }
        }
    }
    return true;
}

void WsInboundSwap::rollBack()
{
    for (Wanted &w : m_wanted) {
        if (w.started)
            w.started->stop();
        w.started.reset();
    }
    for (auto &old : m_running) {
        if (!contains(m_stoppedEarly, old.get()))
            continue;
        auto again = std::make_unique<WsInboundEndpoint>(old->settings(), m_oldEnvironment,
                                                         m_workers, m_registry);
        QString error;
        if (!again->start(&error)) {
            Logger::instance().log(LogLevel::Error, kCategory,
                                   QStringLiteral("inbound endpoint '%1' cannot listen again "
                                                  "after a failed redeploy: %2")
                                       .arg(old->settings().name, error));
            again.reset();
        }
        old = std::move(again);
    }
    m_running.erase(std::remove(m_running.begin(), m_running.end(), nullptr), m_running.end());
}

void WsInboundSwap::commit()
{
    Endpoints next;
    for (Wanted &w : m_wanted) {
        if (w.kept) {
            w.kept->update(w.settings, m_environment);
            auto owner = std::find_if(m_running.begin(), m_running.end(),
                                      [&](const auto &e) { return e.get() == w.kept; });
            next.push_back(std::move(*owner));
        } else {
            next.push_back(std::move(w.started));
        }
    }
    // What is left is retiring (endpoints stopped early stop again as a no-op).
    for (auto &old : m_running) {
        if (old)
            old->stop();
    }
    m_running = std::move(next);
}

} // namespace sluice
