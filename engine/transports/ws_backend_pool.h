// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QVarLengthArray>
#include <memory>

namespace sluice {

struct ClientTls;
class MessageContext;
class WsBackendConnection;
class WsClientChannel;
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
    int connectionCount() const { return m_count; }
    // The connection messages of `origin` (with id `clientId`) go to `uri` through, if any.
    WsBackendConnection *find(const WsClientChannel *origin, const QString &clientId,
                              const QString &uri) const;

private:
    // A backend connection and whose it is: the client connection's id (empty for messages that
    // came from no WebSocket client) and the backend URI.
    struct Route {
        QString clientId;
        QString uri;
        WsBackendConnection *connection;
    };

    WsBackendPool() = default;
    void forget(WsBackendConnection *connection);

    // By the client's channel (null for no client): a pointer hashes in a few instructions
    // where the id and URI strings took hundreds for every message sent. The id is compared as
    // well, so that a channel allocated where a closed client's was never reaches that client's
    // backend connections while they close. A client talks to one backend, or a few.
    QHash<const WsClientChannel *, QVarLengthArray<Route, 1>> m_routes;
    int m_count = 0;
};

} // namespace sluice
