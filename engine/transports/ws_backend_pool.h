// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QObject>
#include <memory>

namespace sluice {

struct ClientTls;
class MessageContext;
class WsBackendConnection;
struct EndpointDefinition;

// The backend connections of one thread, keyed by (client connection id, backend URI). Each
// thread that sends has its own pool, so lookups take no lock.
class WsBackendPool : public QObject {
    Q_OBJECT
public:
    static WsBackendPool &forCurrentThread();

    // `tls`: the client TLS settings for a wss:// endpoint (null for ws://).
    void send(const std::shared_ptr<MessageContext> &message, const EndpointDefinition &endpoint,
              const std::shared_ptr<const ClientTls> &tls = {});
    int connectionCount() const { return int(m_connections.size()); }

private:
    WsBackendPool() = default;
    void forget(WsBackendConnection *connection);

    QHash<QString, WsBackendConnection *> m_connections; // key: clientId + '\n' + uri
};

} // namespace sluice
