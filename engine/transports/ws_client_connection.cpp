// SPDX-License-Identifier: Apache-2.0
#include "ws_client_connection.h"
#include "ws_keep_alive.h"

#include "mediation/executor.h"
#include "mediation/forward_plan.h"
#include "mediation/mediation_environment.h"
#include "runtime/credential_headers.h"
#include "runtime/logger.h"
#include "runtime/message_events.h"
#include "ws_backend_connection.h"
#include "ws_backend_pool.h"
#include "ws_endpoint_shard.h"
#include "ws_inbound_endpoint.h"

#include <QAbstractSocket>
#include <QDateTime>
#include <QTimer>
#include <QTimerEvent>
#include <QUrl>

namespace sluice {

namespace {

const QString kCategory = QStringLiteral("ws-inbound");

} // namespace

WsClientChannel::WsClientChannel(WsClientConnection *connection, const QString &id,
                                 const QString &path,
                                 std::shared_ptr<const WsInboundSettings> settings)
    : ResponseChannel(Kind::WebSocketClient)
    , m_connection(connection)
    , m_shard(qobject_cast<WsEndpointShard *>(connection->parent()))
    , m_id(id)
    , m_path(path)
    , m_settings(std::move(settings))
{
}

void WsClientChannel::respond(MessageContext &message)
{
    respond(message.payload(), message.frameKind(), message.messageId());
}

void WsClientChannel::respond(const QByteArray &payload, FrameKind kind, quint64 messageId)
{
    const int level = m_settings->broadcastLevel;
    WsClientConnection *origin = m_connection.data();
    if (level == 0) {
        if (!origin) {
            Logger::instance().log(LogLevel::Info, kCategory,
                                   QStringLiteral("%1: client already closed; response of "
                                                  "message %2 dropped")
                                       .arg(m_id)
                                       .arg(messageId));
            return;
        }
        origin->sendPayload(payload, kind, messageId);
        return;
    }
    // Levels 1 and 2 reach every client on the same path, on every worker thread.
    WsEndpointShard *shard = m_shard.data();
    if (!shard)
        return;
    shard->endpoint()->broadcast(m_path, payload, kind, level == 2 ? m_id : QString(), shard);
}

const std::shared_ptr<const MediationEnvironment> &WsClientChannel::environment() const
{
    static const std::shared_ptr<const MediationEnvironment> kNone;
    WsEndpointShard *shard = m_shard.data();
    return shard ? shard->environment() : kNone;
}

ConnectionRegistry *WsClientChannel::registry() const
{
    WsEndpointShard *shard = m_shard.data();
    return shard ? shard->endpoint()->registry() : nullptr;
}

void WsClientChannel::closeClient(int code, const QString &reason)
{
    if (WsClientConnection *c = m_connection.data())
        c->closeWith(code, reason);
}

WsClientConnection::WsClientConnection(QAbstractSocket *socket, WsEndpointShard *shard,
                                       const QString &id, const WsHttpHead &request,
                                       const QString &subprotocol)
    : QObject(shard)
    , m_socket(socket)
    , m_shard(shard)
    , m_handshakeHeaders(request.headers)
    , m_id(id)
    , m_subprotocol(subprotocol)
{
    m_socket->setParent(this);
    const WsInboundSettings &settings = shard->settings();
    m_stream =
        new WsStream(m_socket, WsFrameReader::Role::Server, settings.maxMessageSize, this, this);
    m_path = QUrl::fromEncoded(request.target).path();
    if (m_path.isEmpty())
        m_path = QStringLiteral("/");
    m_contentType = contentTypeOfSubprotocol(m_subprotocol);
    m_channel = std::make_shared<WsClientChannel>(this, m_id, m_path, shard->settingsPointer());
    if (settings.clientIdleSeconds > 0) {
        m_idleMs = settings.clientIdleSeconds * 1000;
        m_idleTimer.start(m_idleMs, this);
    }
    if (settings.pingIntervalSeconds > 0) {
        const int timeout = settings.pingTimeoutSeconds;
        m_keepAlive = new WsKeepAlive(
            this, settings.pingIntervalSeconds, timeout, [this] { m_stream->ping(); },
            [this, timeout] {
                Logger::instance().log(LogLevel::Warn, kCategory,
                                       QStringLiteral("%1: no answer to a keep-alive ping within "
                                                      "%2 s (ws.ping.timeout); connection dropped")
                                           .arg(m_id)
                                           .arg(timeout));
                m_aborted = true;
                m_stream->abort();
            });
    }
    Logger::instance().log(LogLevel::Info, kCategory,
                           QStringLiteral("%1: connected to %2 on path %3 from %4:%5%6")
                               .arg(m_id, settings.name, m_path, m_socket->peerAddress().toString())
                               .arg(m_socket->peerPort())
                               .arg(m_subprotocol.isEmpty()
                                        ? QString()
                                        : QStringLiteral(", subprotocol ") + m_subprotocol));
    m_registry = shard->endpoint()->registry();
    if (m_registry) {
        ConnectionInfo info;
        info.id = m_id;
        info.peer = EventPeer::Client;
        info.artifact = settings.name;
        info.path = m_path;
        info.subprotocol = m_subprotocol;
        info.remoteAddress = QStringLiteral("%1:%2")
                                 .arg(m_socket->peerAddress().toString())
                                 .arg(m_socket->peerPort());
        info.openedMs = QDateTime::currentMSecsSinceEpoch();
        m_registration = m_registry->add(
            info, this, [this](int code, const QString &reason) { closeWith(code, reason); });
    }
    if (MessageEventHub *hub = MessageEventHub::active(*shard->environment())) {
        MessageEvent event;
        event.kind = MessageEventKind::ConnectionOpened;
        event.connectionId = m_id;
        event.artifact = settings.name;
        event.peer = EventPeer::Client;
        event.headers = shownHeaders(handshakeHeaders());
        event.subprotocol = m_subprotocol;
        hub->emitEvent(std::move(event));
    }
}

WsClientConnection::~WsClientConnection()
{
    // A socket destroyed while connected reports it: nobody is to hear of it any more.
    m_socket->disconnect();
    if (m_registration)
        m_registry->remove(m_registration);
}

void WsClientConnection::start(const QByteArray &early)
{
    m_stream->start(early);
}

QHash<QString, QString> WsClientConnection::handshakeHeaders() const
{
    QHash<QString, QString> headers;
    for (const auto &[name, value] : m_handshakeHeaders)
        headers.insert(QString::fromLatin1(name), QString::fromLatin1(value.trimmed()));
    return headers;
}

void WsClientConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_idleTimer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_idleTimer.stop(); // single shot
    Logger::instance().log(
        LogLevel::Info, kCategory,
        QStringLiteral("%1: idle for %2 s, closing").arg(m_id).arg(m_idleMs / 1000));
    closeWith(1001, QStringLiteral("Idle timeout"));
}

void WsClientConnection::touch()
{
    if (m_idleMs > 0 && m_idleTimer.isActive())
        m_idleTimer.start(m_idleMs, this);
}

void WsClientConnection::wsMessage(const QByteArray &payload, FrameKind kind)
{
    dispatch(payload, kind);
}

void WsClientConnection::wsPong()
{
    if (m_keepAlive)
        m_keepAlive->pongReceived();
}

void WsClientConnection::dispatch(const QByteArray &payload, FrameKind kind)
{
    touch();
    if (m_registration)
        m_registration->countIn();
    if (forwardedByPlan(payload, kind))
        return;
    // Read once per message: a redeploy switches the shard between two messages.
    auto environment = m_shard->environment();
    const WsInboundSettings &settings = m_shard->settings();
    // The frame's events and those of its mediation share the time the frame was taken up.
    const MessageEventTimeScope eventTime(MessageEventHub::active(*environment));
    // A copy: the mediation below must keep its sequence even if the shard is updated under it.
    const std::shared_ptr<const CompiledSequence> sequence = m_shard->dispatchSequence();
    if (!sequence) {
        Logger::instance().log(LogLevel::Error, kCategory,
                               QStringLiteral("%1: dispatch sequence '%2' is not deployed")
                                   .arg(m_id, settings.dispatchSequence));
        return;
    }
    auto message = MessageContext::create(environment);
    if (MessageEventHub *hub = MessageEventHub::active(*environment)) {
        hub->emitFrame(
            MessageEventKind::FrameIn, EventPeer::Client, m_id, message->messageId(), settings.name,
            kind == FrameKind::Binary ? EventOpcode::Binary : EventOpcode::Text, payload);
    }
    message->setReceivedPayload(payload, contentTypeOf(kind), kind);
    message->setChannelId(m_id);
    message->setArtifactName(settings.name);
    message->setResponseChannel(m_channel);
    if (!m_messageProperties) [[unlikely]] {
        m_messageProperties =
            std::make_shared<const std::vector<PropertyMap::Entry>>(std::vector<PropertyMap::Entry>{
                {QStringLiteral("websocket.source.channel.identifier"), m_id},
                {QStringLiteral("websocket.subprotocol"), m_subprotocol}});
    }
    message->setBaseProperties(PropertyScope::Default, m_messageProperties);
    if (m_firstMessage) {
        // The handshake's headers travel with the first message, as MI does.
        const QHash<QString, QString> headers = handshakeHeaders();
        for (auto it = headers.constBegin(); it != headers.constEnd(); ++it)
            message->setProperty(it.key(), it.value(), PropertyScope::Transport);
        m_firstMessage = false;
        m_handshakeHeaders = {}; // needed no more
    }
    Executor::start(message, sequence, settings.onError);
    rememberForwardRoute(*sequence, *message);
}

const QString &WsClientConnection::contentTypeOf(FrameKind kind) const
{
    static const QString kBinaryType = QStringLiteral("application/octet-stream");
    static const QString kTextType = QStringLiteral("text/plain");
    if (!m_contentType.isEmpty())
        return m_contentType;
    const QString &byDefault = m_shard->settings().defaultContentType;
    return !byDefault.isEmpty() ? byDefault : kind == FrameKind::Binary ? kBinaryType : kTextType;
}

bool WsClientConnection::forwardedByPlan(const QByteArray &payload, FrameKind kind)
{
    // The first message carries the handshake's headers (and opens the backend connection).
    if (m_firstMessage)
        return false;
    const CompiledSequence *sequence = m_shard->dispatchSequence().get();
    const ForwardPlan *plan = sequence ? sequence->forward.get() : nullptr;
    if (!plan)
        return false;
    const std::shared_ptr<const MediationEnvironment> &environment = m_shard->environment();
    const ForwardPlan::Mode mode = plan->modeIn(*environment);
    if (mode == ForwardPlan::Mode::Executor)
        return false;
    WsBackendConnection *backend = nullptr;
    if (plan->ending == ForwardPlan::Ending::Send) {
        backend = m_forwardRoute.connection.data();
        if (!backend || m_forwardRoute.plan != plan->serial || !backend->isOpen())
            return false;
    }
    if (mode == ForwardPlan::Mode::Recorded &&
        forwardRecorded(*plan, environment, backend, payload, kind))
        return true;
    if (mode != ForwardPlan::Mode::Bare) {
        forwardObserved(*sequence, *plan, environment, backend, payload, kind);
        return true;
    }
    const quint64 messageId = MessageContext::newMessageId();
    if (backend)
        backend->send(payload, kind, messageId);
    else
        m_channel->respond(payload, kind, messageId);
    return true;
}

bool WsClientConnection::forwardRecorded(
    const ForwardPlan &plan, const std::shared_ptr<const MediationEnvironment> &environment,
    WsBackendConnection *backend, const QByteArray &payload, FrameKind kind)
{
    // A respond reaching other clients too (a broadcast level) writes frames of theirs.
    MessageEventHub *hub = environment->eventHub();
    if (!hub || (!backend && m_channel->settings().broadcastLevel != 0))
        return false;
    static const QString kNone;
    const QString &artifact = artifactName();
    const quint64 messageId = hub->recordPlannedHop(PlannedHop{
        .hint = m_hopHint,
        .plan = plan,
        .environment = environment,
        .from = EventPeer::Client,
        .connectionId = m_id,
        .artifact = artifact,
        .outConnectionId = backend ? backend->eventConnectionId() : m_id,
        .outArtifact = backend ? backend->eventArtifact() : artifact,
        .inText = kNone,
        .outText = backend ? backend->urlText() : kNone,
        .kind = kind,
        .payload = payload,
    });
    if (messageId == 0)
        return false;
    if (backend)
        backend->sendRecorded(payload, kind);
    else
        sendRecorded(payload, kind);
    return true;
}

void WsClientConnection::forwardObserved(
    const CompiledSequence &sequence, const ForwardPlan &plan,
    const std::shared_ptr<const MediationEnvironment> &environment, WsBackendConnection *backend,
    const QByteArray &payload, FrameKind kind)
{
    MessageEventHub *hub = MessageEventHub::active(*environment);
    const MessageEventTimeScope eventTime(hub);
    const WsInboundSettings &settings = m_shard->settings();
    if (!m_plannedMessage || &m_plannedMessage->environment() != environment.get()) {
        m_plannedMessage = MessageContext::create(environment);
        m_plannedMessage->setChannelId(m_id);
        m_plannedMessage->setResponseChannel(m_channel);
    }
    MessageContext &message = *m_plannedMessage;
    message.reuseFor(payload, contentTypeOf(kind), kind, Direction::Inflow);
    if (!message.artifactName().isSharedWith(settings.name))
        message.setArtifactName(settings.name);
    // A log step shows the To address of its moment, none yet; without one nothing reads it
    // before the send sets it, to the same address every time.
    if (!plan.logLevels.empty() && !message.toAddress().isEmpty())
        message.setToAddress(QString());
    if (hub) {
        hub->emitFrame(
            MessageEventKind::FrameIn, EventPeer::Client, m_id, message.messageId(), settings.name,
            kind == FrameKind::Binary ? EventOpcode::Binary : EventOpcode::Text, payload);
    }
    MediationObserver &observer = *environment->observer();
    Executor::enterPlanned(message, sequence, plan, observer);
    // What send (dispatchToEndpoint) and respond (respondToClient) do to the message first.
    if (backend) {
        if (!message.toAddress().isSharedWith(plan.endpoint->uri))
            message.setToAddress(plan.endpoint->uri);
        backend->send(payload, kind, message.messageId());
    } else {
        message.setDirection(Direction::Outflow);
        m_channel->respond(payload, kind, message.messageId());
    }
    observer.runEnded(message);
    message.releasePayload();
}

void WsClientConnection::rememberForwardRoute(const CompiledSequence &sequence,
                                              MessageContext &message)
{
    const ForwardPlan *plan = sequence.forward.get();
    if (!plan || plan->ending != ForwardPlan::Ending::Send)
        return;
    WsBackendConnection *known = m_forwardRoute.connection.data();
    if (known && m_forwardRoute.plan == plan->serial && known->isOpen())
        return;
    // Only a message that went out through the plan's endpoint: one that faulted (the sender
    // disabled by a redeploy, say) must leave the next ones to the executor as well.
    const ExecutionState &state = message.execution();
    if (!state.finished || state.inFaultHandler)
        return;
    m_forwardRoute.connection =
        WsBackendPool::forCurrentThread().find(m_channel.get(), m_id, plan->endpoint->uri);
    m_forwardRoute.plan = plan->serial;
}

void WsClientConnection::sendPayload(const QByteArray &payload, FrameKind kind, quint64 messageId)
{
    if (MessageEventHub *hub = MessageEventHub::active(*m_shard->environment())) {
        hub->emitFrame(
            MessageEventKind::FrameOut, EventPeer::Client, m_id, messageId, artifactName(),
            kind == FrameKind::Binary ? EventOpcode::Binary : EventOpcode::Text, payload);
    }
    sendRecorded(payload, kind);
}

const QString &WsClientConnection::artifactName() const
{
    return m_shard->settings().name;
}

void WsClientConnection::sendRecorded(const QByteArray &payload, FrameKind kind)
{
    touch();
    if (m_registration)
        m_registration->countOut();
    // Written now (ws_stream.h); what the kernel would not take counts against the limit.
    m_stream->send(payload, kind);
    if (m_stream->bytesToWrite() > m_shard->settings().maxWriteBufferBytes) [[unlikely]]
        closeSlowReader();
}

// A client that does not read what it is sent (or reads slower than its backend answers) would
// make Sluice buffer without bound: past ws.max.write.buffer.size it is closed.
void WsClientConnection::closeSlowReader()
{
    if (m_slowReaderClosed)
        return;
    m_slowReaderClosed = true;
    Logger::instance().log(LogLevel::Warn, kCategory,
                           QStringLiteral("%1: the client is not reading: %2 bytes wait to be "
                                          "written (ws.max.write.buffer.size %3); closed with %4")
                               .arg(m_id)
                               .arg(m_stream->bytesToWrite())
                               .arg(m_shard->settings().maxWriteBufferBytes)
                               .arg(kSlowReaderCloseCode));
    closeWith(kSlowReaderCloseCode, QStringLiteral("Client is not reading fast enough"));
    QTimer::singleShot(kSlowReaderCloseGraceMs, m_stream, [this] {
        m_aborted = true;
        m_stream->abort();
    });
}

void WsClientConnection::closeWith(int code, const QString &reason)
{
    m_stream->close(code, reason);
}

void WsClientConnection::wsDisconnected()
{
    m_idleTimer.stop();
    if (m_keepAlive)
        m_keepAlive->stop();
    // 1006: closed abnormally, without a close frame (RFC 6455 7.1.5).
    const bool handshake = m_stream->closeHandshake() && !m_aborted;
    const int code = handshake ? m_stream->closeCode() : 1006;
    const QString reason = handshake ? m_stream->closeReason() : QString();
    Logger::instance().log(LogLevel::Info, kCategory,
                           QStringLiteral("%1: closed (%2%3)")
                               .arg(m_id)
                               .arg(code)
                               .arg(reason.isEmpty() ? QString() : QStringLiteral(" ") + reason));
    if (MessageEventHub *hub = MessageEventHub::active(*m_shard->environment())) {
        MessageEvent event;
        event.kind = MessageEventKind::ConnectionClosed;
        event.connectionId = m_id;
        event.artifact = m_shard->settings().name;
        event.peer = EventPeer::Client;
        event.opcode = EventOpcode::Close;
        event.closeCode = code;
        event.closeReason = reason;
        hub->emitEvent(std::move(event));
    }
    if (m_registration)
        m_registry->remove(m_registration);
    emit closed(m_id, code, reason);
    deleteLater();
}

} // namespace sluice
