// SPDX-License-Identifier: Apache-2.0
#include "runtime.h"

#include "artifacts/artifact_io.h"
#include "cluster/cluster_node.h"
#include "logger.h"
#include "mediation/project_compiler.h"
#include "transports/connection_registry.h"
#include "transports/http_listener.h"
#include "transports/http_proxy_service.h"
#include "transports/http_sender.h"
#include "transports/secure_sender_tls.h"
#include "transports/worker_pool.h"
#include "transports/ws_inbound_endpoint.h"
#include "transports/ws_inbound_swap.h"
#include "transports/ws_sender.h"

#include <QDateTime>
#include <algorithm>

namespace sluice {

namespace {

const QString kCategory = QStringLiteral("runtime");

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

// The name an artifact is looked up by (a local entry's key).
template <typename T> const QString &artifactName(const T &artifact)
{
    return artifact.name;
}
const QString &artifactName(const LocalEntry &entry)
{
    return entry.key;
}

// Puts every artifact of `incoming` into `target`, in place of the one with the same name.
template <typename T> void replaceByName(std::vector<T> &target, std::vector<T> &incoming)
{
    for (T &artifact : incoming) {
        auto same = std::find_if(target.begin(), target.end(), [&](const T &existing) {
            return artifactName(existing) == artifactName(artifact);
        });
        if (same != target.end())
            *same = std::move(artifact);
        else
            target.push_back(std::move(artifact));
    }
}

// Removes the artifacts called `name`; appends the files they were read from to `files`.
template <typename T>
int removeByName(std::vector<T> &artifacts, const QString &name, QStringList &files)
{
    int removed = 0;
    for (auto it = artifacts.begin(); it != artifacts.end();) {
        if (artifactName(*it) == name) {
            files << it->location.file;
            it = artifacts.erase(it);
            ++removed;
        } else {
            ++it;
        }
    }
    return removed;
}

template <typename Listener> QString listenerUrl(const Listener &endpoint)
{
    QString url = endpoint.url();
    if (url.endsWith(QLatin1Char('/')))
        url.chop(1);
    return url;
}

} // namespace

Runtime::Runtime(QObject *parent)
    : QObject(parent)
    , m_events(std::make_unique<MessageEventHub>())
{
    // Events are built only while somebody subscribes. Recording every message into the ring
    // with nobody reading still costs about +10-14% of the runtime's CPU per message on the real
    // path (bench/runtime_events_load_bench; mostly the ring's cache footprint, see
    // docs/events.md), over the 3% budget, so it stays off unless the project asks for it.
    m_events->setRecording(false);
}

Runtime::~Runtime()
{
    shutdown();
}

bool Runtime::deploy(const QString &projectPath, Diagnostics &diagnostics)
{
    if (isDeployed())
        return redeploy(projectPath, diagnostics);
    Project project = loadProject(projectPath, diagnostics);
    if (diagnostics.hasErrors())
        return false;
    auto environment = compile(project, diagnostics);
    if (!environment || !apply(std::move(project), std::move(environment), diagnostics))
        return false;
    Logger::instance().log(LogLevel::Info, kCategory,
                           QStringLiteral("deployed %1 (%2 artifacts)")
                               .arg(projectPath)
                               .arg(m_project.artifacts.size()));
    return true;
}

bool Runtime::redeploy(const QString &projectPath, Diagnostics &diagnostics)
{
    const QString path = projectPath.isEmpty() ? m_project.rootPath : projectPath;
    if (path.isEmpty()) {
        diagnostics.error(SourceLocation{}, QStringLiteral("no project is deployed to reload"));
        return false;
    }
    Project project = loadProject(path, diagnostics);
    if (diagnostics.hasErrors())
        return false;
    auto environment = compile(project, diagnostics);
    if (!environment || !apply(std::move(project), std::move(environment), diagnostics))
        return false;
    Logger::instance().log(
        LogLevel::Info, kCategory,
        QStringLiteral("redeployed %1 (%2 artifacts)").arg(path).arg(m_project.artifacts.size()));
    return true;
}

bool Runtime::deployArtifact(const QString &fileName, const QByteArray &xml,
                             Diagnostics &diagnostics)
{
    const SourceLocation file{fileName, 0, 0};
    if (!isDeployed()) {
        diagnostics.error(file, QStringLiteral("no project is deployed to add the artifact to"));
        return false;
    }
    Diagnostics read;
    ArtifactSet incoming = readArtifactData(xml, fileName, read);
    diagnostics.append(read);
    if (read.hasErrors())
        return false;
    if (incoming.size() == 0) {
        diagnostics.error(file, QStringLiteral("no artifact in %1").arg(fileName));
        return false;
    }
    Project project = m_project;
    ArtifactSet &artifacts = project.artifacts;
    replaceByName(artifacts.sequences, incoming.sequences);
    replaceByName(artifacts.endpoints, incoming.endpoints);
    replaceByName(artifacts.inboundEndpoints, incoming.inboundEndpoints);
    replaceByName(artifacts.proxyServices, incoming.proxyServices);
    replaceByName(artifacts.apis, incoming.apis);
    replaceByName(artifacts.localEntries, incoming.localEntries);
    if (!project.artifactFiles.contains(fileName))
        project.artifactFiles << fileName;
    auto environment = compile(project, diagnostics);
    if (!environment || !apply(std::move(project), std::move(environment), diagnostics))
        return false;
    Logger::instance().log(LogLevel::Info, kCategory,
                           QStringLiteral("deployed artifact file %1").arg(fileName));
    return true;
}

bool Runtime::undeployArtifact(const QString &name, Diagnostics &diagnostics)
{
    Project project = m_project;
    ArtifactSet &artifacts = project.artifacts;
    QStringList files;
    const int removed = removeByName(artifacts.sequences, name, files) +
                        removeByName(artifacts.endpoints, name, files) +
                        removeByName(artifacts.inboundEndpoints, name, files) +
                        removeByName(artifacts.proxyServices, name, files) +
                        removeByName(artifacts.apis, name, files) +
                        removeByName(artifacts.localEntries, name, files);
    if (!isDeployed() || removed == 0) {
        diagnostics.error(SourceLocation{},
                          QStringLiteral("no artifact named '%1' is deployed").arg(name));
        return false;
    }
    for (const QString &file : std::as_const(files))
        project.artifactFiles.removeAll(file);
    Diagnostics compiled;
    auto environment = compile(project, compiled);
    if (!environment) {
        // The problems name what still refers to it; say first why they matter.
        diagnostics.error(SourceLocation{files.value(0), 0, 0},
                          QStringLiteral("'%1' cannot be undeployed: the project would not be "
                                         "valid without it")
                              .arg(name));
        diagnostics.append(compiled);
        return false;
    }
    diagnostics.append(compiled);
    if (!apply(std::move(project), std::move(environment), diagnostics))
        return false;
    Logger::instance().log(LogLevel::Info, kCategory,
                           QStringLiteral("undeployed artifact %1").arg(name));
    return true;
}

std::shared_ptr<MediationEnvironment> Runtime::compile(const Project &project,
                                                       Diagnostics &diagnostics)
{
    auto environment = compileProject(project, diagnostics);
    if (!environment)
        return nullptr;
    // One sender for every deployment: its backend pools are per thread, not per environment.
    if (!m_wsSender)
        m_wsSender = std::make_shared<WsSender>();
    environment->setSender(QStringLiteral("ws"), m_wsSender);
    if (!m_httpSender)
        m_httpSender = std::make_shared<HttpSender>();
    environment->setSender(QStringLiteral("http"), m_httpSender);
    // The secure senders carry this deployment's trust stores, loaded once here.
    const std::optional<SecureSenderTls> tls = loadSecureSenderTls(project.config, diagnostics);
    if (!tls)
        return nullptr;
    environment->setSender(QStringLiteral("wss"), std::make_shared<WsSender>(tls->wss));
    environment->setSender(QStringLiteral("https"), std::make_shared<HttpSender>(tls->https));
    environment->setObserver(m_events.get());
    environment->setEventHub(m_events.get());
    return environment;
}

// Everything is compiled by now; the listeners switch all or nothing (see ws_inbound_swap.h).
// Backend connections stay open: replies on them run the client's current outflow sequences; a
// send to a changed endpoint URI opens a new connection, the old one closes with its client or
// its idle time.
bool Runtime::apply(Project project, std::shared_ptr<MediationEnvironment> environment,
                    Diagnostics &diagnostics)
{
    const bool firstDeployment = !isDeployed();
    if (!m_workers)
        m_workers = std::make_unique<WorkerPool>(workerThreadCount(project));
    std::unique_ptr<HttpListener> startedHttp;
    std::unique_ptr<HttpListener> startedHttps;
    WsInboundSwap swap(m_inbound, m_environment, *m_workers, m_registry.get());
    if (!prepareCluster(project, diagnostics) ||
        !prepareHttpListener(project, *environment, startedHttp, diagnostics) ||
        !prepareHttpsListener(project, startedHttps, diagnostics) ||
        !swap.prepare(project, environment, diagnostics)) {
        if (startedHttp)
            startedHttp->stop();
        startedHttp.reset();
        if (startedHttps)
            startedHttps->stop();
        startedHttps.reset();
        if (firstDeployment)
            stopListeners();
        publishState();
        return false;
    }
    detachClusterEndpoints();
    swap.commit();
    commitHttpListener(std::move(startedHttp), environment);
    commitHttpsListener(std::move(startedHttps), environment);
    m_environment = std::move(environment);
    m_listening.clear();
    for (const auto &endpoint : m_inbound) {
        m_listening << QStringLiteral("%1 (inbound endpoint %2)")
                           .arg(endpoint->url(), endpoint->settings().name);
    }
    if (m_http)
        m_listening << QStringLiteral("%1 (proxy services and APIs)").arg(listenerUrl(*m_http));
    if (m_https)
        m_listening
            << QStringLiteral("%1 (proxy services and APIs over TLS)").arg(listenerUrl(*m_https));
    m_project = std::move(project);
    commitCluster();
    applyEventSettings(m_project.config);
    m_deployments.fetch_add(1, std::memory_order_relaxed);
    publishState(QDateTime::currentMSecsSinceEpoch());
    emit deploymentChanged();
    return true;
}

bool Runtime::prepareHttpListener(const Project &project, const MediationEnvironment &environment,
                                  std::unique_ptr<HttpListener> &started, Diagnostics &diagnostics)
{
    if (!needsHttpListener(environment))
        return true;
    const HttpListenerSettings settings = HttpListenerSettings::fromConfig(project.config);
    // A listener on the same address and port stays (its clients stay connected); other limits
    // in [transport.http] take effect with the next start.
    if (m_http && m_http->settings().bindAddress == settings.bindAddress &&
        (m_http->settings().port == settings.port || settings.port == 0))
        return true;
    auto listener = std::make_unique<HttpListener>(settings, *m_workers);
    if (!startListener(*listener, project, QStringLiteral("HTTP"),
                       QStringLiteral("http_listener_port"), diagnostics))
        return false;
    started = std::move(listener);
    return true;
}

bool Runtime::startListener(HttpListener &listener, const Project &project, const QString &what,
                            const QString &portKey, Diagnostics &diagnostics)
{
    QString error;
    if (listener.start(&error))
        return true;
    const SourceLocation where = project.config.server.location.isValid()
                                     ? project.config.server.location
                                     : SourceLocation{project.config.sourceFile, 0, 0};
    diagnostics.error(where, QStringLiteral("the %1 listener of proxy services and APIs cannot "
                                            "listen on %2:%3 ([server] %4): %5")
                                 .arg(what, listener.settings().bindAddress)
                                 .arg(listener.settings().port)
                                 .arg(portKey, error));
    return false;
}

void Runtime::commitHttpListener(std::unique_ptr<HttpListener> started,
                                 const std::shared_ptr<MediationEnvironment> &environment)
{
    if (!needsHttpListener(*environment)) {
        if (m_http)
            m_http->stop();
        m_http.reset();
        return;
    }
    if (started) {
        if (m_http)
            m_http->stop();
        m_http = std::move(started);
    }
    m_http->setRoutes(buildProxyServiceRoutes(environment));
}

void Runtime::applyEventSettings(const ProjectConfig &config)
{
    if (m_events->capacity() != config.events.capacity)
        m_events->setCapacity(config.events.capacity);
    m_events->setCapturePayloadBytes(config.events.capturePayloadBytes);
    // Recording stays as the runtime chose (see the constructor) unless the project says.
    if (config.events.location.isValid())
        m_events->setRecording(config.events.record);
}

void Runtime::stopListeners()
{
    if (m_http)
        m_http->stop();
    m_http.reset();
    if (m_https)
        m_https->stop();
    m_https.reset();
    retireCluster();
    for (auto &endpoint : m_inbound)
        endpoint->stop();
    m_inbound.clear();
    if (m_workers)
        m_workers->stop();
    m_workers.reset();
    m_listening.clear();
}

void Runtime::publishState(qint64 deployedAtMs)
{
    QList<ListenerInfo> listeners;
    for (const auto &endpoint : m_inbound)
        listeners.append(ListenerInfo{listenerUrl(*endpoint), endpoint->settings().name,
                                      endpoint->settings().port});
    if (m_http)
        listeners.append(
            ListenerInfo{listenerUrl(*m_http), QStringLiteral("http"), m_http->port()});
    if (m_https)
        listeners.append(
            ListenerInfo{listenerUrl(*m_https), QStringLiteral("https"), m_https->port()});
    std::lock_guard lock(m_stateMutex);
    m_stateDeployed = isDeployed();
    m_stateProjectPath = m_stateDeployed ? m_project.rootPath : QString();
    if (deployedAtMs != 0 || !m_stateDeployed)
        m_stateDeployedAtMs = deployedAtMs;
    m_stateListeners = listeners;
}

void Runtime::shutdown()
{
    if (!m_environment)
        return;
    stopListeners();
    m_environment.reset();
    publishState();
    emit shutDown();
}

QStringList Runtime::listeningDescriptions() const
{
    return m_listening;
}

QList<ConnectionInfo> Runtime::connections() const
{
    return m_registry->snapshot();
}

RuntimeStatus Runtime::status() const
{
    RuntimeStatus status;
    {
        std::lock_guard lock(m_stateMutex);
        status.deployed = m_stateDeployed;
        status.projectPath = m_stateProjectPath;
        status.deployedAtMs = m_stateDeployedAtMs;
        status.listeners = m_stateListeners;
    }
    status.clientConnections = m_registry->count(EventPeer::Client);
    status.backendConnections = m_registry->count(EventPeer::Backend);
    status.counters.connectionsAccepted = m_registry->clientsAccepted();
    status.counters.framesIn = m_registry->totalFramesIn();
    status.counters.framesOut = m_registry->totalFramesOut();
    status.counters.faults = m_events->faultCount();
    status.counters.deployments = m_deployments.load(std::memory_order_relaxed);
    status.eventsLastId = m_events->lastId();
    status.eventsDropped = m_events->droppedCount();
    return status;
}

bool Runtime::closeConnection(const QString &id, int code, const QString &reason)
{
    return m_registry->close(id, code, reason);
}

} // namespace sluice
