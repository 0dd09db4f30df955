// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "client_tls.h"
#include "connection_registry.h"
#include "mediation/message_context.h"
#include "runtime/message_events.h"
#include "ws_stream.h"

#include <QAbstractSocket>
#include <QBasicTimer>
#include <QList>
#include <QObject>
#include <QSslError>
#include <QUrl>
#include <memory>

class QSslSocket;

namespace sluice {

class MediationEnvironment;
class WsClientChannel;
class WsKeepAlive;

// One connection from Sluice to a WebSocket backend, opened for one client connection (or shared
// by every message that did not come from a WebSocket client). Frames sent before the handshake
// finishes wait in order; frames from the backend enter the outflow dispatch sequence. The
// opening handshake is ws_client_handshake.h's, the frames are carried by ws_stream.h.
class WsBackendConnection : public QObject, private WsStream::Handler {
    Q_OBJECT
public:
    struct Options {
        QUrl url;
        QStringList subprotocols;
        QList<std::pair<QByteArray, QByteArray>> headers;
        int idleSeconds = 0;
        // The client's endpoint's ws.ping.interval / ws.ping.timeout / ws.max.write.buffer.size.
        int pingIntervalSeconds = 0;
        int pingTimeoutSeconds = 10;
        qint64 maxWriteBufferBytes = 64 * 1024 * 1024;
        // wss://: how the backend's certificate is checked. A wss:// URL without it fails;
        // nothing falls back to ws://.
        std::shared_ptr<const ClientTls> tls{};
    };

    WsBackendConnection(const Options &options, std::shared_ptr<WsClientChannel> origin,
                        std::shared_ptr<const MediationEnvironment> environment,
                        QObject *parent = nullptr);
    ~WsBackendConnection() override;

    void open();
    // messageId: the message being sent, for its frame-out event. `waiting`: a message with no
    // WebSocket client, which gets its own fault handler (`faultSequence`, else the outflow
    // fault sequence) when the connection cannot be made, as MI's sender fails a send.
    void send(const QByteArray &payload, FrameKind kind, quint64 messageId = 0,
              std::shared_ptr<MessageContext> waiting = {}, const QString &faultSequence = {});
    // The same on an open connection, for a frame whose frame-out event is already recorded
    // (MessageEventHub::recordPlannedHop).
    void sendRecorded(const QByteArray &payload, FrameKind kind);
    // What this connection's frame events name: its client's connection id and artifact (empty
    // without a client), and the backend's URL.
    const QString &eventConnectionId() const;
    const QString &eventArtifact() const;
    const QString &urlText() const { return m_urlText; }
    // Closes towards the backend (client went away, idle, connection.terminate).
    void closeWith(int code, const QString &reason);
    // Upgraded, and no close frame sent or received.
    bool isOpen() const { return m_stream && m_stream->isOpen() && !m_stream->closeHandshake(); }
    // The client channel this connection serves (null for a message from no WebSocket client);
    // fixed for the connection's life.
    const WsClientChannel *origin() const { return m_origin.get(); }

signals:
    void finished(WsBackendConnection *connection);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    // wss:// only: certificate errors and TLS alerts.
    void watchTls(QSslSocket *socket);
    void sendUpgrade();
    void readAnswer();
    // The socket closed before the upgrade (connection refused, TLS or handshake failure).
    void closedBeforeUpgrade();
    void onConnected();
    void onFrame(const QByteArray &payload, FrameKind kind);
    // The frame answered as the outflow sequence's ForwardPlan says, without a message object
    // or the executor, when that can be done now (forward_plan.h); false otherwise.
    bool respondedByPlan(const CompiledSequence &sequence,
                         const std::shared_ptr<const MediationEnvironment> &environment,
                         const QByteArray &payload, FrameKind kind);
    // The same with message events recorded (ForwardPlan::Mode::Recorded): the hop noted as
    // one record; false when it cannot be (respondedObserved then runs it).
    bool respondedRecorded(const ForwardPlan &plan,
                           const std::shared_ptr<const MediationEnvironment> &environment,
                           const QByteArray &payload, FrameKind kind);
    // The same through m_plannedMessage (ForwardPlan::Mode::Observed).
    void respondedObserved(const CompiledSequence &sequence, const ForwardPlan &plan,
                           const std::shared_ptr<const MediationEnvironment> &environment,
                           const QByteArray &payload, FrameKind kind);
    // The content type of the backend's messages of `kind`: the subprotocol's, else by kind.
    const QString &contentTypeOf(FrameKind kind) const;
    void onDisconnected();
    void wsMessage(const QByteArray &payload, FrameKind kind) override { onFrame(payload, kind); }
    void wsPong() override;
    void wsDisconnected() override { onDisconnected(); }
    bool closeHandshake() const { return m_stream && m_stream->closeHandshake(); }
    QString errorText() const;
    void onSslErrors(const QList<QSslError> &errors);
    // Why the TLS handshake failed, or an empty string when it did not (or there was none).
    QString tlsFailure() const;
    // `clientCloseCode`: 1014 when the backend cannot be reached, 1015 when its TLS handshake
    // failed.
    void fail(int code, const QString &reason, int clientCloseCode);
    void closeSlowReader();
    const QString &outflowSequence() const;
    // The outflow sequence `name` in `environment`, looked up again only when either changed.
    const std::shared_ptr<const CompiledSequence> &
    outflowSequenceIn(const std::shared_ptr<const MediationEnvironment> &environment,
                      const QString &name);
    QString outflowFaultSequence() const;
    QString describe() const;
    // The client's current environment (it follows redeploys), else the one it opened with.
    const std::shared_ptr<const MediationEnvironment> &currentEnvironment() const;
    void registerOpen();
    void unregister();
    void emitEvent(MessageEventKind kind, const QByteArray &payload = QByteArray(),
                   FrameKind frameKind = FrameKind::Text, quint64 messageId = 0);
    // Opened / closed: a whole event, kept out of the frames' path.
    [[gnu::noinline]] void emitConnectionEvent(MessageEventHub &hub, MessageEventKind kind,
                                               quint64 messageId);

    Options m_options;
    // The URL as events show it, made once: QUrl::toString() costs more than a frame event.
    const QString m_urlText = m_options.url.toString();
    QString m_frameContentType; // from the subprotocol the backend accepted, set on connect
    std::shared_ptr<WsClientChannel> m_origin;
    std::shared_ptr<const MediationEnvironment> m_environment;
    QAbstractSocket *m_socket = nullptr; // made by open(); a QSslSocket for wss://
    WsStream *m_stream = nullptr;        // once upgraded
    WsKeepAlive *m_keepAlive = nullptr;
    QByteArray m_key;         // Sec-WebSocket-Key of the upgrade request
    QByteArray m_answer;      // the backend's answer to it, until its head is complete
    QString m_subprotocol;    // the one the backend chose
    QString m_handshakeError; // why the backend's answer was refused
    struct PendingFrame {
        QByteArray payload;
        FrameKind kind = FrameKind::Text;
        quint64 messageId = 0;
        // For a message that has no WebSocket client (it came over HTTP): the message and the
        // fault handler in force when it was sent, for when the backend cannot be reached.
        std::shared_ptr<MessageContext> message{};
        QString faultSequence{};
    };
    QList<PendingFrame> m_pending;
    qint64 m_pendingBytes = 0; // their payloads' bytes (ws.max.write.buffer.size)
    // The frames kept until the handshake is done, leaving none.
    QList<PendingFrame> takePending();
    QString m_refusedCertificate; // the TLS errors that ended the handshake
    QString m_tlsAlert;           // a fatal TLS alert either side sent during the handshake
    bool m_everConnected = false;
    bool m_closingByUs = false;
    bool m_slowReaderClosed = false;
    bool m_aborted = false; // dropped by us (a ping unanswered, a slow reader)
    bool m_finishedBeforeUpgrade = false;
    // ws.outflow.dispatch.idleTime: a QBasicTimer, not a QTimer (a QObject) on every connection.
    QBasicTimer m_idleTimer;
    // What outflowSequenceIn() found last, and for which environment and name.
    std::weak_ptr<const MediationEnvironment> m_outflowEnvironment;
    QString m_outflowName;
    std::shared_ptr<const CompiledSequence> m_outflow;
    // The message object planned outflow sequences run through while message events are
    // recorded (ForwardPlan::Mode::Observed).
    std::shared_ptr<MessageContext> m_plannedMessage;
    // Where the hops this connection starts were noted last (recordPlannedHop).
    PlannedHopHint m_hopHint;
    ConnectionRegistry *m_registry = nullptr;
    ConnectionRegistry::Handle m_registration; // while open, when the client has a registry
};

} // namespace sluice
