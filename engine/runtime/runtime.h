// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "artifacts/project.h"
#include "mediation/mediation_environment.h"
#include "message_events.h"
#include "runtime_status.h"

#include <QObject>
#include <QStringList>
#include <memory>
#include <vector>

namespace sluice {

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
    // a listener cannot start (port in use, ...); nothing is left listening then.
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
    // Closes the client or backend connection `id` with a close frame; false when unknown.
    bool closeConnection(const QString &id, int code = 1000, const QString &reason = QString());

signals:
    void shutDown();
    // After every successful deploy, redeploy, artifact deploy or undeploy.
    void deploymentChanged();

private:
    bool startListeners(Diagnostics &diagnostics);
    void stopListeners();

    Project m_project;
    // Declared before the environment and the listeners: outlives every emitter.
    std::unique_ptr<MessageEventHub> m_events;
    std::unique_ptr<WorkerPool> m_workers;
    std::vector<std::unique_ptr<WsInboundEndpoint>> m_inbound;
    std::shared_ptr<MediationEnvironment> m_environment;
    QStringList m_listening;
};

} // namespace sluice
