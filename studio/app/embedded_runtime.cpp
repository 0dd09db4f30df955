// SPDX-License-Identifier: Apache-2.0
#include "embedded_runtime.h"

#include "runtime/runtime.h"

#include <QMetaObject>

namespace sluice::studio {

EmbeddedRuntime::EmbeddedRuntime(QObject *parent)
    : RuntimeController(parent)
{
    m_thread.setObjectName(QStringLiteral("sluice-embedded-runtime"));
    m_host = new QObject;
    m_runtime = new Runtime(m_host);
    // Events reach the log only through the subscription (the runtime's own ring stays off):
    // the callback runs on the worker thread that emitted the event and only queues it.
    std::shared_ptr<EventLogQueue> queue = sharedEventQueue();
    m_runtime->events().subscribe([queue](const MessageEvent &event) { queue->push(event); });
    m_host->moveToThread(&m_thread);
    m_thread.start();

    m_pollTimer.setInterval(500);
    connect(&m_pollTimer, &QTimer::timeout, this, &EmbeddedRuntime::poll);
}

EmbeddedRuntime::~EmbeddedRuntime()
{
    m_pollTimer.stop();
    Runtime *runtime = m_runtime;
    // Shut down and delete the runtime on its own thread (its listeners and timers belong to
    // it), then let the thread end; the empty host can go from here once it has.
    QMetaObject::invokeMethod(
        m_host,
        [runtime] {
            runtime->shutdown();
            delete runtime;
        },
        Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_host;
}

QString EmbeddedRuntime::description() const
{
    return tr("embedded runtime");
}

template <typename Work> void EmbeddedRuntime::onRuntimeThread(Work work)
{
    QMetaObject::invokeMethod(m_host, std::move(work), Qt::QueuedConnection);
}

void EmbeddedRuntime::run(const QString &projectPath)
{
    if (isActive())
        return;
    setState(RuntimeState::Starting);
    Runtime *runtime = m_runtime;
    onRuntimeThread([this, runtime, projectPath] {
        runtime->shutdown();
        Diagnostics problems;
        const bool ok = runtime->deploy(projectPath, problems);
        const RuntimeStatus status = runtime->status();
        const QList<ConnectionInfo> connections = runtime->connections();
        const QStringList listening = runtime->listeningDescriptions();
        QMetaObject::invokeMethod(
            this,
            [this, ok, problems, status, connections, listening, projectPath] {
                if (!ok) {
                    setState(RuntimeState::Failed);
                    emit problemsReported(tr("The project did not start"), problems);
                    return;
                }
                RuntimeStatus shown = status;
                shown.deployed = true;
                shown.projectPath = projectPath;
                // Until status() lists them, take the listeners from the descriptions
                // ("ws://127.0.0.1:9092 (inbound endpoint websocket)").
                if (shown.listeners.isEmpty()) {
                    for (const QString &line : listening) {
                        ListenerInfo listener;
                        listener.url = line.section(QLatin1Char(' '), 0, 0);
                        listener.artifact = line.section(QLatin1Char(' '), -1).chopped(1);
                        listener.port = listener.url.section(QLatin1Char(':'), -1).toInt();
                        shown.listeners.append(listener);
                    }
                }
                setStatus(shown, connections);
                setState(RuntimeState::Running);
                emit problemsReported(QString(), problems); // warnings, or none
                m_pollTimer.start();
            },
            Qt::QueuedConnection);
    });
}

void EmbeddedRuntime::stop()
{
    if (state() == RuntimeState::Stopped)
        return;
    m_pollTimer.stop();
    Runtime *runtime = m_runtime;
    onRuntimeThread([this, runtime] {
        runtime->shutdown();
        QMetaObject::invokeMethod(
            this, [this] { setState(RuntimeState::Stopped); }, Qt::QueuedConnection);
    });
}

void EmbeddedRuntime::redeploy(const QString &projectPath)
{
    if (state() != RuntimeState::Running) {
        run(projectPath);
        return;
    }
    Runtime *runtime = m_runtime;
    onRuntimeThread([this, runtime, projectPath] {
        Diagnostics problems;
        const bool ok = runtime->redeploy(projectPath, problems);
        QMetaObject::invokeMethod(
            this,
            [this, ok, problems] {
                if (ok) {
                    emit message(tr("Redeployed; connected clients stay connected"));
                    emit problemsReported(QString(), problems);
                    poll();
                } else {
                    emit problemsReported(
                        tr("Redeploy refused; the previous deployment keeps running"), problems);
                }
            },
            Qt::QueuedConnection);
    });
}

void EmbeddedRuntime::closeConnection(const QString &id, int code, const QString &reason)
{
    Runtime *runtime = m_runtime;
    onRuntimeThread([this, runtime, id, code, reason] {
        const bool closed = runtime->closeConnection(id, code, reason);
        QMetaObject::invokeMethod(
            this,
            [this, closed, id] {
                emit message(closed ? tr("Closed connection %1").arg(id)
                                    : tr("No open connection %1").arg(id));
                poll();
            },
            Qt::QueuedConnection);
    });
}

void EmbeddedRuntime::poll()
{
    // One poll at a time: a busy runtime thread must not collect a queue of them.
    if (m_pollPending || state() != RuntimeState::Running)
        return;
    m_pollPending = true;
    Runtime *runtime = m_runtime;
    onRuntimeThread([this, runtime] {
        RuntimeStatus status = runtime->status();
        const QList<ConnectionInfo> connections = runtime->connections();
        const ClusterView cluster = runtime->clusterView();
        QMetaObject::invokeMethod(
            this,
            [this, status, connections, cluster]() mutable {
                m_pollPending = false;
                if (state() != RuntimeState::Running)
                    return;
                setCluster(cluster);
                // Keep what the deploy found when status() does not list listeners.
                if (status.listeners.isEmpty())
                    status.listeners = this->status().listeners;
                if (status.projectPath.isEmpty())
                    status.projectPath = this->status().projectPath;
                status.deployed = true;
                if (status.clientConnections == 0 && status.backendConnections == 0) {
                    for (const ConnectionInfo &connection : connections)
                        ++(connection.peer == EventPeer::Backend ? status.backendConnections
                                                                 : status.clientConnections);
                }
                setStatus(status, connections);
            },
            Qt::QueuedConnection);
    });
}

} // namespace sluice::studio
