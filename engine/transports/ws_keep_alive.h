// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QTimer>
#include <functional>

class QWebSocket;

namespace sluice {

// Keep-alive pings on one WebSocket connection, client or backend side. A peer that vanished
// without closing (host down, process frozen, a NAT that forgot the mapping) leaves a half-open
// TCP connection that nothing notices while no traffic flows: a ping every interval, and a peer
// that has not answered within the timeout is taken for dead (onDead is called once).
class WsKeepAlive : public QObject {
public:
    WsKeepAlive(QWebSocket *socket, int intervalSeconds, int timeoutSeconds,
                std::function<void()> onDead);

    // The connection is closing anyway: no more pings, no verdict.
    void stop();

private:
    QWebSocket *m_socket;
    QTimer m_interval;
    QTimer m_deadline;
    std::function<void()> m_onDead;
};

// What the sender of a connection that reads too slowly is told, and how long a connection
// closed for it may take over its close handshake before it is dropped: its peer does not read,
// so the close frame may never get through, and the bytes waiting for it must be freed.
inline constexpr int kSlowReaderCloseCode = 1008;
inline constexpr int kSlowReaderCloseGraceMs = 2000;

} // namespace sluice
