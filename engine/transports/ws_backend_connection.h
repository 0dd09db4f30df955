// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "client_tls.h"
#include "connection_registry.h"
#include "mediation/message_context.h"
#include "runtime/message_events.h"

#include <QList>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <memory>

namespace sluice {

class MediationEnvironment;
class WsClientChannel;

// One connection from Sluice to a WebSocket backend, opened for one client connection (or shared
// by every message that did not come from a WebSocket client). Frames sent before the handshake
// finishes wait in order; frames from the backend enter the outflow dispatch sequence.
class WsBackendConnection : public QObject {
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
    // Closes towards the backend (client went away, idle, connection.terminate).
    void closeWith(int code, const QString &reason);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

signals:
    void finished(WsBackendConnection *connection);

private:
    void onConnected();
    void onFrame(const QByteArray &payload, FrameKind kind);
    void onDisconnected();
    void onSslErrors(const QList<QSslError> &errors);
    // Why the TLS handshake failed, or an empty string when it did not (or there was none).
    QString tlsFailure() const;
    // `clientCloseCode`: 1014 when the backend cannot be reached, 1015 when its TLS handshake
    // failed.
    void fail(int code, const QString &reason, int clientCloseCode);
    void closeSlowReader();
    QString outflowSequence() const;
    QString outflowFaultSequence() const;
    QString describe() const;
    // The client's current environment (it follows redeploys), else the one it opened with.
    std::shared_ptr<const MediationEnvironment> currentEnvironment() const;
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
    QWebSocket m_socket;
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
    QString m_refusedCertificate; // the TLS errors that ended the handshake
    QString m_tlsAlert;           // a fatal TLS alert either side sent during the handshake
    bool m_everConnected = false;
    bool m_closingByUs = false;
    bool m_closeHandshake = false; // a close frame was sent or received
    bool m_slowReaderClosed = false;
    bool m_aborted = false; // dropped by us (Qt reports an abort as a closing handshake)
    QTimer m_idleTimer;
    ConnectionRegistry *m_registry = nullptr;
    ConnectionRegistry::Handle m_registration; // while open, when the client has a registry
};

} // namespace sluice
