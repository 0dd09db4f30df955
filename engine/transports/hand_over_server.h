// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QTcpServer>
#include <functional>

namespace sluice {

// Accepts on one thread and passes each socket descriptor on, before Qt wraps it in a socket
// object, so that the socket is created on the worker thread that will serve it (the WebSocket
// inbound endpoints and the HTTP listener both listen this way).
class HandOverServer : public QTcpServer {
public:
    explicit HandOverServer(std::function<void(qintptr)> handOver)
        : m_handOver(std::move(handOver))
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override { m_handOver(descriptor); }

private:
    std::function<void(qintptr)> m_handOver;
};

} // namespace sluice
