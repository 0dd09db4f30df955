// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QTimer>
#include <functional>

namespace sluice {

// Keep-alive pings on one WebSocket connection, client or backend side. A peer that vanished
// without closing (host down, process frozen, a NAT that forgot the mapping) leaves a half-open
// TCP connection that nothing notices while no traffic flows: a ping every interval, and a peer
// that has not answered within the timeout is taken for dead (onDead is called once).
// The connection sends the pings (`sendPing`) and reports the pongs.
class WsKeepAlive : public QObject {
public:
    WsKeepAlive(QObject *connection, int intervalSeconds, int timeoutSeconds,
                std::function<void()> sendPing, std::function<void()> onDead);

    // Any pong answers the pings so far.
    void pongReceived() { m_deadline.stop(); }
    // The connection is closing anyway: no more pings, no verdict.
    void stop();

private:
    std::function<void()> m_sendPing;
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
