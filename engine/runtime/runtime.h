// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/project.h"
#include "cluster/cluster_view.h"
#include "mediation/mediation_environment.h"
#include "message_events.h"
#include "runtime_status.h"
#include "transports/connection_registry.h"

#include <QObject>
#include <QStringList>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace sluice {

class ClusterNode;
struct ClientTls;
class HttpListener;
class MessageSender;
class WorkerPool;
class WsInboundEndpoint;

// Loads a project and runs it: validates and compiles everything first, then starts the
// listeners. Either the whole project is deployed or nothing is (no half-deployed state).
class Runtime : public QObject {
    Q_OBJECT
public:
    explicit Runtime(QObject *parent = nullptr);
    ~Runtime() override;

    // Returns false with the problems in `diagnostics` when the project does not validate or
    // a listener cannot start (port in use, ...); nothing is left listening then. When a
    // project is deployed already, this is redeploy(projectPath).
    bool deploy(const QString &projectPath, Diagnostics &diagnostics);
    // Stops accepting, closes every connection with the configured shutdown code.
    void shutdown();

    bool isDeployed() const { return m_environment != nullptr; }
    const Project &project() const { return m_project; }
    std::shared_ptr<const MediationEnvironment> environment() const { return m_environment; }
    // Message events of this runtime (recorded into the ring buffer unless switched off).
    MessageEventHub &events() const { return *m_events; }
    // Switches recording of message events; subscribers still get them while subscribed.
    void setMessageEventsEnabled(bool enabled) { m_events->setRecording(enabled); }
    // "ws://127.0.0.1:9092 (inbound endpoint websocket)" and the like.
    QStringList listeningDescriptions() const;

    // Hot redeploy (issue 5). All of these are atomic: on any problem they return false with
    // the problems in `diagnostics` and the running deployment is left exactly as it was.
    // Connected WebSocket clients of inbound endpoints whose listener settings did not change
    // stay connected; their next messages run through the new sequences.
    // Reloads the project from `projectPath` (the deployed one when empty).
    bool redeploy(const QString &projectPath, Diagnostics &diagnostics);
    // Adds or replaces one artifact from its XML (`fileName` names it in diagnostics and
    // decides where it would live in the project, e.g. "sequences/dispatchSeq.xml").
    bool deployArtifact(const QString &fileName, const QByteArray &xml, Diagnostics &diagnostics);
    // Removes the artifact called `name`; refused when something still refers to it.
    bool undeployArtifact(const QString &name, Diagnostics &diagnostics);

    // Thread-safe views of the running state (callable from any thread).
    QList<ConnectionInfo> connections() const;
    RuntimeStatus status() const;
    // The cluster as this node sees it ([cluster]; enabled false without one).
    ClusterView clusterView() const;
    // Closes the client or backend connection `id` with a close frame; false when unknown.
    bool closeConnection(const QString &id, int code = 1000, const QString &reason = QString());

signals:
    void shutDown();
    // After every successful deploy, redeploy, artifact deploy or undeploy.
    void deploymentChanged();

private:
    // Compiles `project` into an environment wired to this runtime; null with diagnostics.
    std::shared_ptr<MediationEnvironment> compile(const Project &project, Diagnostics &diagnostics);
    // Switches the running deployment to `project` / `environment`, keeping the listeners and
    // clients of unchanged inbound endpoints; all or nothing (see runtime.cpp).
    bool apply(Project project, std::shared_ptr<MediationEnvironment> environment,
               Diagnostics &diagnostics);
    void applyEventSettings(const ProjectConfig &config);
    // Starts the HTTP listener `project` needs when none with its settings runs yet (into
    // `started`); false with a diagnostic naming the port when it cannot listen.
    bool prepareHttpListener(const Project &project, const MediationEnvironment &environment,
                             std::unique_ptr<HttpListener> &started, Diagnostics &diagnostics);
    // After a successful swap: the listener of the new deployment serves its routes; a listener
    // no longer needed (or replaced by `started`) stops.
    void commitHttpListener(std::unique_ptr<HttpListener> started,
                            const std::shared_ptr<MediationEnvironment> &environment);
    // The same for the HTTPS listener (runtime_https.cpp): it runs when a proxy or API takes
    // https; key store problems are diagnostics naming the deployment.toml table and key.
    // Starts `listener`; false with a diagnostic at [server] naming the address, the port, its
    // key (`portKey`) and why, for the listener called `what` ("HTTP", "HTTPS").
    static bool startListener(HttpListener &listener, const Project &project, const QString &what,
                              const QString &portKey, Diagnostics &diagnostics);
    bool prepareHttpsListener(const Project &project, std::unique_ptr<HttpListener> &started,
                              Diagnostics &diagnostics);
    void commitHttpsListener(std::unique_ptr<HttpListener> started,
                             const std::shared_ptr<MediationEnvironment> &environment);
    void stopListeners();
    // The cluster (runtime_cluster.cpp): its TLS files are checked with the rest of a
    // deployment; the node starts, stays or is replaced once the deployment is in place.
    // Endpoints are detached before any of them may stop.
    bool prepareCluster(const Project &project, Diagnostics &diagnostics);
    void commitCluster();
    void detachClusterEndpoints();
    void retireCluster();
    // deployedAtMs: when the deployment changed; 0 when it did not.
    void publishState(qint64 deployedAtMs = 0);

    Project m_project;
    // Declared before the environment and the listeners: outlives every emitter.
    std::unique_ptr<MessageEventHub> m_events;
    // Outlives the workers: connections unregister when their thread deletes them.
    std::unique_ptr<ConnectionRegistry> m_registry = std::make_unique<ConnectionRegistry>();
    std::shared_ptr<MessageSender> m_wsSender;
    std::shared_ptr<MessageSender> m_httpSender;
    std::unique_ptr<WorkerPool> m_workers;
    std::vector<std::unique_ptr<WsInboundEndpoint>> m_inbound;
    // Proxy services and APIs; null when the deployment has none.
    std::unique_ptr<HttpListener> m_http;
    // Proxy services and APIs over TLS; null when nothing takes https.
    std::unique_ptr<HttpListener> m_https;
    bool m_httpsWanted = false; // by the deployment being prepared
    std::shared_ptr<MediationEnvironment> m_environment;
    QStringList m_listening;
    std::atomic<quint64> m_deployments{0};
    // Null unless [cluster] is on; replaced only under m_clusterMutex (clusterView() reads it).
    std::unique_ptr<ClusterNode> m_cluster;
    ClusterConfig m_clusterConfig;                 // what m_cluster was made from
    std::shared_ptr<const ClientTls> m_clusterTls; // of the deployment being prepared
    mutable std::mutex m_clusterMutex;

    // What status() reports from other threads, published after every change.
    mutable std::mutex m_stateMutex;
    bool m_stateDeployed = false;
    QString m_stateProjectPath;
    qint64 m_stateDeployedAtMs = 0;
    QList<ListenerInfo> m_stateListeners;
};

} // namespace sluice
