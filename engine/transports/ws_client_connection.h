// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "connection_registry.h"
#include "mediation/message_context.h"
#include "runtime/message_events.h"
#include "ws_http_head.h"
#include "ws_inbound_settings.h"
#include "ws_stream.h"

#include <QBasicTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <memory>

class QAbstractSocket;

namespace sluice {

class MediationEnvironment;
class WsEndpointShard;
class WsKeepAlive;
class WsClientConnection;
class WsBackendConnection;
struct ForwardPlan;

// What messages from a WebSocket client carry as their response channel: `respond` goes back to
// the connection (or to its path's clients, by broadcast level) and the sender learns which
// client a backend connection belongs to. It outlives the connection safely: a message still in
// flight when the client leaves finds the connection gone and is dropped with a log line.
class WsClientChannel : public ResponseChannel {
public:
    WsClientChannel(WsClientConnection *connection, const QString &id, const QString &path,
                    std::shared_ptr<const WsInboundSettings> settings);

    void respond(MessageContext &message) override;
    // The same for a message forwarded without a message object (forward_plan.h).
    void respond(const QByteArray &payload, FrameKind kind, quint64 messageId);
    // The channel as a WebSocket client's, else null.
    static WsClientChannel *of(ResponseChannel *channel)
    {
        return channel && channel->kind() == Kind::WebSocketClient
                   ? static_cast<WsClientChannel *>(channel)
                   : nullptr;
    }

    const QString &connectionId() const { return m_id; }
    const QString &path() const { return m_path; }
    const WsInboundSettings &settings() const { return *m_settings; }
    // A redeploy's new routing settings (on the connection's thread).
    void setSettings(std::shared_ptr<const WsInboundSettings> settings)
    {
        m_settings = std::move(settings);
    }
    // The environment the client's next messages run in: the endpoint's current one; null once
    // the endpoint has stopped. Only valid on the connection's own thread.
    // The shard's (null when it is gone): a reference, as it is asked once per backend message.
    const std::shared_ptr<const MediationEnvironment> &environment() const;
    // Where connections opened for this client register; null when nowhere.
    ConnectionRegistry *registry() const;
    // Null once the client connection is gone. Only valid on the connection's own thread.
    WsClientConnection *connection() const { return m_connection.data(); }
    // Closes the client (e.g. 1014 when its backend fails); safe from the connection's thread.
    void closeClient(int code, const QString &reason);

private:
    QPointer<WsClientConnection> m_connection;
    // The shard outlives its connections; broadcasts still reach the path after the
    // originating client has gone.
    QPointer<WsEndpointShard> m_shard;
    QString m_id;
    QString m_path;
    std::shared_ptr<const WsInboundSettings> m_settings;
};

// One client connection on a WebSocket inbound endpoint, on one worker thread, from the answer
// to its opening handshake on (ws_stream.h carries its frames).
class WsClientConnection : public QObject, private WsStream::Handler {
    Q_OBJECT
public:
    // `socket`: upgraded (the 101 is written); the connection takes it.
    WsClientConnection(QAbstractSocket *socket, WsEndpointShard *shard, const QString &id,
                       const WsHttpHead &request, const QString &subprotocol);
    ~WsClientConnection() override;

    // Starts reading frames; `early`: those that came right after the request head.
    void start(const QByteArray &early);

    const QString &id() const { return m_id; }
    const QString &path() const { return m_path; }
    const QString &subprotocol() const { return m_subprotocol; }
    std::shared_ptr<WsClientChannel> channel() const { return m_channel; }

    // messageId: the message being sent, for its frame-out event (0 for broadcasts).
    void sendPayload(const QByteArray &payload, FrameKind kind, quint64 messageId = 0);
    // The same for a frame whose frame-out event is already recorded
    // (MessageEventHub::recordPlannedHop).
    void sendRecorded(const QByteArray &payload, FrameKind kind);
    // The endpoint's name, which this connection's frame events carry.
    const QString &artifactName() const;
    void closeWith(int code, const QString &reason);

signals:
    // The client is gone; code and reason of its close frame (1006 when there was none).
    void closed(const QString &id, int code, const QString &reason);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    // The opening handshake's headers, made from the request's when asked: a QHash kept per
    // connection would cost about 3 KiB for the one message that needs it.
    QHash<QString, QString> handshakeHeaders() const;
    void wsMessage(const QByteArray &payload, FrameKind kind) override;
    void wsPong() override;
    void wsDisconnected() override;
    void dispatch(const QByteArray &payload, FrameKind kind);
    // The message forwarded as the dispatch sequence's ForwardPlan says, without a message
    // object or the executor, when that can be done now (forward_plan.h); false otherwise.
    bool forwardedByPlan(const QByteArray &payload, FrameKind kind);
    // The same through m_plannedMessage (ForwardPlan::Mode::Observed); `backend`: where it goes,
    // null to respond.
    // The same with message events recorded and nobody watching (ForwardPlan::Mode::Recorded):
    // the hop noted as one record; false when it cannot be (forwardObserved then runs it).
    bool forwardRecorded(const ForwardPlan &plan,
                         const std::shared_ptr<const MediationEnvironment> &environment,
                         WsBackendConnection *backend, const QByteArray &payload, FrameKind kind);
    void forwardObserved(const CompiledSequence &sequence, const ForwardPlan &plan,
                         const std::shared_ptr<const MediationEnvironment> &environment,
                         WsBackendConnection *backend, const QByteArray &payload, FrameKind kind);
    // The content type of the connection's messages of `kind`: the subprotocol's, else the
    // endpoint's default, else by the frame's kind.
    const QString &contentTypeOf(FrameKind kind) const;
    // After the executor ran a planned sequence: the backend connection its send used.
    void rememberForwardRoute(const CompiledSequence &sequence, MessageContext &message);
    void touch();
    void closeSlowReader();

    QAbstractSocket *m_socket;
    WsStream *m_stream;
    WsKeepAlive *m_keepAlive = nullptr;
    WsEndpointShard *m_shard;
    // Until the first message has taken them (the handshake's headers travel with it).
    QList<std::pair<QByteArray, QByteArray>> m_handshakeHeaders;
    QString m_id;
    QString m_path;
    QString m_subprotocol;
    QString m_contentType; // named by the subprotocol; else the endpoint's default
    bool m_firstMessage = true;
    bool m_slowReaderClosed = false;
    bool m_aborted = false; // dropped by us (a ping unanswered, a slow reader)
    std::shared_ptr<WsClientChannel> m_channel;
    // The properties every message of this connection carries (its channel identifier and
    // subprotocol), made at its first message and shared by all of them: two properties set
    // and dropped per message cost more than the rest of the transport's part.
    PropertyMap::Base m_messageProperties;
    // The registry outlives the shard, which may be half destroyed when this one is.
    ConnectionRegistry *m_registry = nullptr;
    ConnectionRegistry::Handle m_registration; // null when there is no registry
    // The backend connection the dispatch sequence's plan (by its serial) forwards to.
    struct ForwardRoute {
        QPointer<WsBackendConnection> connection;
        quint64 plan = 0;
    } m_forwardRoute;
    // The message object planned flows run through while message events are recorded.
    std::shared_ptr<MessageContext> m_plannedMessage;
    // Where the hops this connection starts were noted last (recordPlannedHop).
    PlannedHopHint m_hopHint;
    // ws.dispatch.idleTime: a QBasicTimer, not a QTimer (a QObject, about 400 bytes with its
    // connection) on every connection, idle or not (docs/performance.md, W3).
    QBasicTimer m_idleTimer;
    int m_idleMs = 0;
};

} // namespace sluice
