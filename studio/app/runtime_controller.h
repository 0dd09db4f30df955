// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/diagnostics.h"
#include "cluster/cluster_view.h"
#include "model/event_log_queue.h"
#include "runtime/runtime_status.h"

#include <QObject>
#include <QTimer>
#include <memory>

namespace sluice::studio {

enum class RuntimeState { Stopped, Starting, Running, Failed };
QString runtimeStateName(RuntimeState state);

// What the main window runs a project on: the embedded runtime (EmbeddedRuntime, on its own
// threads) or a remote one through its management API (RemoteRuntime). Every call returns at
// once; results come back as signals on the GUI thread. Message events are batched: whoever
// produces them pushes into eventQueue() from any thread, and the controller hands them out
// as one eventsArrived() per tick (every 50 ms by default).
class RuntimeController : public QObject {
    Q_OBJECT
public:
    explicit RuntimeController(QObject *parent = nullptr);
    ~RuntimeController() override;

    // "embedded runtime", "remote runtime http://host:9164".
    virtual QString description() const = 0;
    // Deploys the project at `projectPath` (a saved project folder) and starts it.
    virtual void run(const QString &projectPath) = 0;
    virtual void stop() = 0;
    // Replaces the running deployment by the project at `projectPath`, keeping connected
    // clients; on problems the old deployment keeps running and problemsReported() says why.
    virtual void redeploy(const QString &projectPath) = 0;
    virtual void closeConnection(const QString &id, int code, const QString &reason) = 0;

    RuntimeState state() const { return m_state; }
    bool isActive() const
    {
        return m_state == RuntimeState::Running || m_state == RuntimeState::Starting;
    }
    const RuntimeStatus &status() const { return m_status; }
    const QList<ConnectionInfo> &connections() const { return m_connections; }
    // The runtime's cluster ([cluster]; enabled false when it has none), polled with the status.
    const ClusterView &cluster() const { return m_cluster; }

    // How often queued events are handed to the GUI (ms).
    void setBatchInterval(int ms) { m_drainTimer.setInterval(ms); }
    EventLogQueue &eventQueue() { return *m_queue; }
    std::shared_ptr<EventLogQueue> sharedEventQueue() const { return m_queue; }
    // Hands out what is queued now (also called by the timer).
    void drainEvents();

signals:
    void stateChanged(sluice::studio::RuntimeState state);
    // Listeners, counters or connections changed (polled while running).
    void statusChanged();
    // Validation errors, port conflicts, refused redeploys: `what` is one line for the status
    // bar, `problems` go to the problems view (empty when there are none).
    void problemsReported(const QString &what, const sluice::Diagnostics &problems);
    // A line for the status bar ("Redeployed", "Connection ws-3 closed").
    void message(const QString &text);
    void eventsArrived(const QList<sluice::MessageEvent> &events);
    void eventsDropped(quint64 count);

protected:
    void setState(RuntimeState state);
    void setStatus(const RuntimeStatus &status, const QList<ConnectionInfo> &connections);
    // Before the setStatus() of the same poll: statusChanged() tells both.
    void setCluster(const ClusterView &cluster) { m_cluster = cluster; }

private:
    std::shared_ptr<EventLogQueue> m_queue;
    QTimer m_drainTimer;
    RuntimeState m_state = RuntimeState::Stopped;
    RuntimeStatus m_status;
    QList<ConnectionInfo> m_connections;
    ClusterView m_cluster;
};

} // namespace sluice::studio
