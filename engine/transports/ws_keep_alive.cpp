// SPDX-License-Identifier: Apache-2.0
#include "ws_keep_alive.h"

#include <QWebSocket>

namespace sluice {

WsKeepAlive::WsKeepAlive(QWebSocket *socket, int intervalSeconds, int timeoutSeconds,
                         std::function<void()> onDead)
    : QObject(socket)
    , m_socket(socket)
    , m_onDead(std::move(onDead))
{
    m_interval.setInterval(intervalSeconds * 1000);
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(timeoutSeconds * 1000);
    connect(&m_interval, &QTimer::timeout, this, [this] {
        m_socket->ping();
        // One deadline per unanswered ping: a later ping does not extend it.
        if (!m_deadline.isActive())
            m_deadline.start();
    });
    connect(m_socket, &QWebSocket::pong, this, [this] { m_deadline.stop(); });
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        stop();
        m_onDead();
    });
    connect(m_socket, &QWebSocket::disconnected, this, &WsKeepAlive::stop);
    m_interval.start();
}

void WsKeepAlive::stop()
{
    m_interval.stop();
    m_deadline.stop();
}

} // namespace sluice
