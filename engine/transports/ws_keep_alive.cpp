// SPDX-License-Identifier: Apache-2.0
#include "ws_keep_alive.h"

namespace sluice {

WsKeepAlive::WsKeepAlive(QObject *connection, int intervalSeconds, int timeoutSeconds,
                         std::function<void()> sendPing, std::function<void()> onDead)
    : QObject(connection)
    , m_sendPing(std::move(sendPing))
    , m_onDead(std::move(onDead))
{
    m_interval.setInterval(intervalSeconds * 1000);
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(timeoutSeconds * 1000);
    connect(&m_interval, &QTimer::timeout, this, [this] {
        m_sendPing();
        // One deadline per unanswered ping: a later ping does not extend it.
        if (!m_deadline.isActive())
            m_deadline.start();
    });
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        stop();
        m_onDead();
    });
    m_interval.start();
}

void WsKeepAlive::stop()
{
    m_interval.stop();
    m_deadline.stop();
}

} // namespace sluice
