// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/message_context.h"
#include "ws_http_head.h"
#include "ws_inbound_endpoint.h"
#include "ws_inbound_settings.h"

#include <QHash>
#include <QObject>
#include <memory>

class QAbstractSocket;
class QSslSocket;

namespace sluice {

class MediationEnvironment;
class WsClientConnection;
class WsInboundEndpoint;

// The part of an inbound endpoint that lives on one worker thread: it takes accepted sockets,
// answers plain HTTP (GET /health), answers the WebSocket opening handshake
// (ws_server_handshake.h) and owns the client connections of this thread.
class WsEndpointShard : public QObject {
    Q_OBJECT
public:
    WsEndpointShard(WsInboundEndpoint *endpoint, std::shared_ptr<const WsInboundSettings> settings,
                    std::shared_ptr<const MediationEnvironment> environment);
    ~WsEndpointShard() override;

    void acceptSocket(qintptr descriptor);
    // Delivers to every client of this shard on `path`, except `exceptId` (may be empty).
    void deliverToPath(const QString &path, const QByteArray &payload, FrameKind kind,
                       const QString &exceptId);
    void closeAll(int code, const QString &reason);
    // Hot redeploy, on this shard's thread: the next messages of its clients (and backend
    // replies to them) use these.
    void update(std::shared_ptr<const WsInboundSettings> settings,
                std::shared_ptr<const MediationEnvironment> environment);
    int connectionCount() const { return int(m_connections.size()); }

    const WsInboundSettings &settings() const { return *m_settings; }
    std::shared_ptr<const WsInboundSettings> settingsPointer() const { return m_settings; }
    const std::shared_ptr<const MediationEnvironment> &environment() const { return m_environment; }
    // The settings' dispatch sequence in the environment, null when it is not deployed: looked
    // up when either changes, not by name for every message.
    const std::shared_ptr<const CompiledSequence> &dispatchSequence() const
    {
        return m_dispatchSequence;
    }
    WsInboundEndpoint *endpoint() const { return m_endpoint; }

private:
    void startEncryption(QSslSocket *socket);
    void sniff(QAbstractSocket *socket);
    // Appends what the socket has to its request head; false when the socket is gone.
    bool readHead(QAbstractSocket *socket, QByteArray &head);
    void answerPlainHttp(QAbstractSocket *socket, const QByteArray &head);
    void upgrade(QAbstractSocket *socket, const WsHttpHead &request, const QByteArray &early);
    void answerAndClose(QAbstractSocket *socket, const QByteArray &answer);
    void forget(const QString &id);
    void socketGone(QAbstractSocket *socket);
    void refuseUpgrade(QAbstractSocket *socket, WsInboundEndpoint::Admission why);
    bool originAllowed(const QString &origin) const;

    WsInboundEndpoint *m_endpoint;
    std::shared_ptr<const WsInboundSettings> m_settings;
    std::shared_ptr<const MediationEnvironment> m_environment;
    std::shared_ptr<const CompiledSequence> m_dispatchSequence;
    QStringList m_subprotocols; // offered to clients: Synapse's, then the endpoint's
    QHash<QString, WsClientConnection *> m_connections;
    // The address each client slot was reserved for (given back with it).
    QHash<QString, QHostAddress> m_connectionAddresses;
    // Accepted sockets whose request is not read yet (each holds a pending slot of the
    // endpoint), with what has come of their request head.
    QHash<QAbstractSocket *, QByteArray> m_pending;
};

} // namespace sluice
