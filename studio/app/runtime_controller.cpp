// SPDX-License-Identifier: Apache-2.0
#include "runtime_controller.h"

namespace sluice::studio {

QString runtimeStateName(RuntimeState state)
{
    switch (state) {
    case RuntimeState::Stopped:
        return QObject::tr("stopped");
    case RuntimeState::Starting:
        return QObject::tr("starting");
    case RuntimeState::Running:
        return QObject::tr("running");
    case RuntimeState::Failed:
        return QObject::tr("failed");
    }
    return QString();
}

RuntimeController::RuntimeController(QObject *parent)
    : QObject(parent)
    , m_queue(std::make_shared<EventLogQueue>())
{
    m_drainTimer.setInterval(50);
    connect(&m_drainTimer, &QTimer::timeout, this, &RuntimeController::drainEvents);
    m_drainTimer.start();
}

RuntimeController::~RuntimeController() = default;

void RuntimeController::drainEvents()
{
    EventLogQueue::Batch batch = m_queue->take();
    if (batch.dropped > 0)
        emit eventsDropped(batch.dropped);
    if (!batch.events.isEmpty())
        emit eventsArrived(batch.events);
}

void RuntimeController::setState(RuntimeState state)
{
    if (m_state == state)
        return;
    m_state = state;
    if (state != RuntimeState::Running && state != RuntimeState::Starting) {
        m_cluster = ClusterView();
        setStatus(RuntimeStatus(), {});
    }
    emit stateChanged(state);
}

void RuntimeController::setStatus(const RuntimeStatus &status,
                                  const QList<ConnectionInfo> &connections)
{
    m_status = status;
    m_connections = connections;
    emit statusChanged();
}

} // namespace sluice::studio
