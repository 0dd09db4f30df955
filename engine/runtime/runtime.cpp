// SPDX-License-Identifier: Apache-2.0
#include "runtime.h"

#include "logger.h"
#include "mediation/project_compiler.h"
#include "transports/worker_pool.h"
#include "transports/ws_inbound_endpoint.h"
#include "transports/ws_sender.h"

namespace sluice {

namespace {

int workerThreadCount(const Project &project)
{
    // [server] worker_threads wins; else the largest ws.worker.thread.pool.size; else cores.
    if (project.config.server.workerThreads > 0)
        return project.config.server.workerThreads;
    int threads = 0;
    for (const InboundEndpoint &inbound : project.artifacts.inboundEndpoints)
        threads = std::max(threads, WsInboundSettings::from(inbound, project.config).workerThreads);
    return threads;
}

} // namespace

Runtime::Runtime(QObject *parent)
    : QObject(parent)
    , m_events(std::make_unique<MessageEventHub>())
{
    // Events are built only while somebody subscribes: recording every message into the ring
    // with nobody reading costs ~80% per message today (bench/message_events_bench), far over
    // the 3% budget, until the ring gets a leaner record format.
    m_events->setRecording(false);
}

Runtime::~Runtime()
{
    shutdown();
}

bool Runtime::deploy(const QString &projectPath, Diagnostics &diagnostics)
{
    Project project = loadProject(projectPath, diagnostics);
    if (diagnostics.hasErrors())
        return false;
    auto environment = compileProject(project, diagnostics);
    if (!environment)
        return false;
    auto sender = std::make_shared<WsSender>();
    environment->setSender(QStringLiteral("ws"), sender);
    environment->setObserver(m_events.get());
    environment->setEventHub(m_events.get());
    m_project = std::move(project);
    m_environment = std::move(environment);
    if (!startListeners(diagnostics)) {
        stopListeners();
        m_environment.reset();
        return false;
    }
    Logger::instance().log(LogLevel::Info, QStringLiteral("runtime"),
                           QStringLiteral("deployed %1 (%2 artifacts)")
                               .arg(projectPath)
                               .arg(m_project.artifacts.size()));
    return true;
}

bool Runtime::startListeners(Diagnostics &diagnostics)
{
    m_workers = std::make_unique<WorkerPool>(workerThreadCount(m_project));
    for (const InboundEndpoint &inbound : m_project.artifacts.inboundEndpoints) {
        const WsInboundSettings settings = WsInboundSettings::from(inbound, m_project.config);
        if (settings.suspended) {
            Logger::instance().log(LogLevel::Info, QStringLiteral("runtime"),
                                   QStringLiteral("inbound endpoint '%1' is suspended; not "
                                                  "listening")
                                       .arg(inbound.name));
            continue;
        }
        auto endpoint = std::make_unique<WsInboundEndpoint>(settings, m_environment, *m_workers);
        QString error;
        if (!endpoint->start(&error)) {
            diagnostics.error(inbound.location,
                              QStringLiteral("inbound endpoint '%1': %2").arg(inbound.name, error));
            return false;
        }
        m_listening
            << QStringLiteral("%1 (inbound endpoint %2)").arg(endpoint->url(), inbound.name);
        m_inbound.push_back(std::move(endpoint));
    }
    return true;
}

void Runtime::stopListeners()
{
    for (auto &endpoint : m_inbound)
        endpoint->stop();
    m_inbound.clear();
    if (m_workers)
        m_workers->stop();
    m_workers.reset();
    m_listening.clear();
}

void Runtime::shutdown()
{
    if (!m_environment)
        return;
    stopListeners();
    m_environment.reset();
    emit shutDown();
}

QStringList Runtime::listeningDescriptions() const
{
    return m_listening;
}

} // namespace sluice

// PLACEHOLDERS until the runtime-core helper lands its implementation (issue 5).
namespace sluice {
bool Runtime::redeploy(const QString &, Diagnostics &diagnostics)
{
    diagnostics.error(SourceLocation{}, QStringLiteral("redeploy is not implemented yet"));
    return false;
}
bool Runtime::deployArtifact(const QString &, const QByteArray &, Diagnostics &diagnostics)
{
    diagnostics.error(SourceLocation{}, QStringLiteral("deployArtifact is not implemented yet"));
    return false;
}
bool Runtime::undeployArtifact(const QString &, Diagnostics &diagnostics)
{
    diagnostics.error(SourceLocation{}, QStringLiteral("undeployArtifact is not implemented yet"));
    return false;
}
QList<ConnectionInfo> Runtime::connections() const
{
    return {};
}
RuntimeStatus Runtime::status() const
{
    RuntimeStatus status;
    status.deployed = isDeployed();
    return status;
}
bool Runtime::closeConnection(const QString &, int, const QString &)
{
    return false;
}
} // namespace sluice
