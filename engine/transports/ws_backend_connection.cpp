// SPDX-License-Identifier: Apache-2.0
#include "ws_backend_connection.h"
#include "heap_trimmer.h"
#include "plain_socket_input.h"
#include "ws_client_handshake.h"
#include "ws_keep_alive.h"

#include "mediation/executor.h"
#include "mediation/forward_plan.h"
#include "mediation/mediation_environment.h"
#include "runtime/logger.h"
#include "runtime/message_events.h"
#include "ws_client_connection.h"

#include <QDateTime>
#include <QSslCipher>
#include <QSslSocket>
#include <QTimer>
#include <QTimerEvent>
#include <atomic>
#include <limits>

namespace sluice {

namespace {

const QString kCategory = QStringLiteral("ws-sender");
// What frame events name where there is nothing (no client, no URL): referenced, not built.
const QString kNone;
// RFC 6455 registry: 1014 "Bad Gateway". The reason never names the backend: clients must not
// learn internal addresses.
constexpr int kBadGateway = 1014;
const QString kBackendUnavailable = QStringLiteral("Backend unavailable");
// 1015 "TLS handshake failure": RFC 6455 reserves it for reporting, not for close frames; the
// secure transport issue asks clients to be told this way, and the reason stays generic.
constexpr int kTlsHandshakeFailure = 1015;
const QString kBackendTlsFailed = QStringLiteral("Backend TLS handshake failed");
// The backend's answer to the upgrade request must fit in this.
constexpr qsizetype kMaxAnswerHead = 16 * 1024;
// Backend messages are limited only by what a QByteArray holds (as with Qt WebSockets).
constexpr qint64 kMaxBackendMessage = std::numeric_limits<int>::max() - 64;

} // namespace

WsBackendConnection::WsBackendConnection(const Options &options,
                                         std::shared_ptr<WsClientChannel> origin,
                                         std::shared_ptr<const MediationEnvironment> environment,
                                         QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_origin(std::move(origin))
    , m_environment(std::move(environment))
{
}

// Connected only for wss:// (a signal connection costs about 130 bytes per connection).
void WsBackendConnection::watchTls(QSslSocket *socket)
{
    connect(socket, &QSslSocket::sslErrors, this, &WsBackendConnection::onSslErrors);
    // A server that refuses the handshake (no common protocol version or cipher) answers with
    // an alert and closes: without it that would look like a dropped TCP connection.
    const auto alert = [this](const char *side, QSsl::AlertLevel level, const QString &text) {
        if (level == QSsl::AlertLevel::Fatal && !m_everConnected && m_tlsAlert.isEmpty())
            m_tlsAlert = QStringLiteral("%1 TLS alert: %2").arg(QLatin1String(side), text);
    };
    connect(socket, &QSslSocket::alertReceived, this,
            [alert](QSsl::AlertLevel level, QSsl::AlertType, const QString &text) {
                alert("the backend sent the", level, text);
            });
    connect(socket, &QSslSocket::alertSent, this,
            [alert](QSsl::AlertLevel level, QSsl::AlertType, const QString &text) {
                alert("Sluice sent the", level, text);
            });
}

void WsBackendConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_idleTimer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_idleTimer.stop(); // single shot
    Logger::instance().log(LogLevel::Info, kCategory,
                           QStringLiteral("%1: idle, closing").arg(describe()));
    closeWith(1000, QStringLiteral("Idle timeout"));
}

WsBackendConnection::~WsBackendConnection()
{
    // A socket destroyed while connected reports it: nobody is to hear of it any more.
    if (m_socket)
        m_socket->disconnect();
    unregister();
}

const std::shared_ptr<const MediationEnvironment> &WsBackendConnection::currentEnvironment() const
{
    if (m_origin) {
        if (const auto &current = m_origin->environment())
            return current;
    }
    return m_environment;
}

void WsBackendConnection::registerOpen()
{
    ConnectionRegistry *registry = m_origin ? m_origin->registry() : nullptr;
    if (!registry)
        return;
    static std::atomic<quint64> nextBackend{1};
    m_registry = registry;
    ConnectionInfo info;
    info.id = QStringLiteral("%1/b%2").arg(m_origin->connectionId()).arg(nextBackend++);
    info.peer = EventPeer::Backend;
    info.artifact = m_origin->settings().name;
    info.path = m_options.url.toString();
    info.subprotocol = m_subprotocol;
    info.remoteAddress =
        QStringLiteral("%1:%2").arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
    info.clientId = m_origin->connectionId();
    info.openedMs = QDateTime::currentMSecsSinceEpoch();
    m_registration = registry->add(
        info, this, [this](int code, const QString &reason) { closeWith(code, reason); });
}

void WsBackendConnection::unregister()
{
    if (m_registration)
        m_registry->remove(m_registration);
}

QString WsBackendConnection::describe() const
{
    return QStringLiteral("backend %1 for %2")
        .arg(m_options.url.toString(),
             m_origin ? m_origin->connectionId() : QStringLiteral("non-WebSocket messages"));
}

void WsBackendConnection::open()
{
    const bool secure =
        m_options.url.scheme().compare(QLatin1String("wss"), Qt::CaseInsensitive) == 0;
    if (secure && !m_options.tls) {
        // Never reached through the wss sender (it always has TLS settings); refuse rather than
        // connect without checking the backend.
        QTimer::singleShot(0, this, [this] {
            fail(ErrorCodes::kConnectionFailed,
                 QStringLiteral("cannot connect to %1: no TLS settings for the wss sender")
                     .arg(m_urlText),
                 kTlsHandshakeFailure);
            emit finished(this);
        });
        return;
    }
    const quint16 port = quint16(m_options.url.port(secure ? 443 : 80));
    Logger::instance().log(LogLevel::Debug, kCategory,
                           QStringLiteral("%1: connecting").arg(describe()));
    // Plain: read with recv(2) through a bare, unbuffered QAbstractSocket (ws_stream.h).
    QSslSocket *tls = secure ? new QSslSocket(this) : nullptr;
    m_socket = tls ? tls : new QAbstractSocket(QAbstractSocket::TcpSocket, this);
    if (tls) {
        watchTls(tls);
        tls->setSslConfiguration(m_options.tls->configuration);
        connect(tls, &QSslSocket::encrypted, this, &WsBackendConnection::sendUpgrade);
    } else {
        connect(m_socket, &QAbstractSocket::connected, this, &WsBackendConnection::sendUpgrade);
    }
    connect(m_socket, &QAbstractSocket::readyRead, this, &WsBackendConnection::readAnswer);
    connect(m_socket, &QAbstractSocket::stateChanged, this,
            [this](QAbstractSocket::SocketState state) {
                if (state == QAbstractSocket::UnconnectedState)
                    closedBeforeUpgrade();
            });
    if (tls) {
        tls->connectToHostEncrypted(m_options.url.host(), port);
        return;
    }
    m_socket->connectToHost(m_options.url.host(), port,
                            QIODevice::ReadWrite | QIODevice::Unbuffered);
}

void WsBackendConnection::sendUpgrade()
{
    // No Nagle (frames are written whole), and TCP keep-alive, as Qt WebSockets set them.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    m_key = newWsKey();
    m_socket->write(
        wsUpgradeRequest(m_options.url, m_key, m_options.subprotocols, m_options.headers));
    m_socket->flush();
}

void WsBackendConnection::readAnswer()
{
    if (m_stream)
        return; // the stream reads from here on
    if (qobject_cast<QSslSocket *>(m_socket)) {
        m_answer.append(m_socket->readAll());
    } else {
        for (;;) {
            const PlainRead result =
                readPlainSocket(m_socket, m_answer, kMaxAnswerHead + 1 - m_answer.size());
            // Last: all there was, and the read notification is armed again.
            if (result == PlainRead::Drained || result == PlainRead::Last)
                break;
            if (result != PlainRead::Data) {
                m_handshakeError = QStringLiteral("the backend closed the connection during the "
                                                  "WebSocket handshake");
                m_socket->abort();
                return;
            }
            if (m_answer.contains("\r\n\r\n") || m_answer.size() > kMaxAnswerHead) {
                rearmPlainSocket(m_socket);
                break;
            }
        }
    }
    const qsizetype end = m_answer.indexOf("\r\n\r\n");
    if (end < 0 || end + 4 > kMaxAnswerHead) {
        if (m_answer.size() > kMaxAnswerHead) {
            m_handshakeError = QStringLiteral("the backend's answer to the WebSocket upgrade is "
                                              "larger than %1 bytes")
                                   .arg(kMaxAnswerHead);
            m_socket->abort();
        }
        return;
    }
    WsHttpHead answer;
    QString error;
    if (parseWsHttpHead(m_answer.left(end + 4), true, &answer, &error))
        error = checkWsUpgradeAnswer(answer, m_key, m_options.subprotocols, &m_subprotocol);
    if (!error.isEmpty()) {
        m_handshakeError = error;
        m_socket->abort();
        return;
    }
    const QByteArray early = m_answer.mid(end + 4);
    m_answer = QByteArray();
    // From here the stream reads the socket and reports its end.
    disconnect(m_socket, nullptr, this, nullptr);
    m_stream = new WsStream(m_socket, WsFrameReader::Role::Client, kMaxBackendMessage, this, this);
    onConnected();
    m_stream->start(early);
}

void WsBackendConnection::closedBeforeUpgrade()
{
    if (m_stream || m_finishedBeforeUpgrade)
        return;
    m_finishedBeforeUpgrade = true;
    onDisconnected();
}

QString WsBackendConnection::errorText() const
{
    if (!m_handshakeError.isEmpty())
        return m_handshakeError;
    return m_socket ? m_socket->errorString() : QString();
}

void WsBackendConnection::wsPong()
{
    if (m_keepAlive)
        m_keepAlive->pongReceived();
}

void WsBackendConnection::emitEvent(MessageEventKind kind, const QByteArray &payload,
                                    FrameKind frameKind, quint64 messageId)
{
    MessageEventHub *hub = m_environment->eventHub();
    if (kind == MessageEventKind::FrameIn || kind == MessageEventKind::FrameOut) {
        // Frames take the lean path: no MessageEvent is built while nobody watches.
        // References, not copies: a copy of each string would cost two atomic operations.
        hub->emitFrame(kind, EventPeer::Backend, eventConnectionId(), messageId, eventArtifact(),
                       frameKind == FrameKind::Binary ? EventOpcode::Binary : EventOpcode::Text,
                       payload, m_urlText);
        return;
    }
    emitConnectionEvent(*hub, kind, messageId);
}

void WsBackendConnection::emitConnectionEvent(MessageEventHub &hub, MessageEventKind kind,
                                              quint64 messageId)
{
    MessageEvent event;
    event.kind = kind;
    event.peer = EventPeer::Backend;
    event.messageId = messageId;
    if (m_origin) {
        event.connectionId = m_origin->connectionId();
        event.artifact = m_origin->settings().name;
    }
    event.text = m_options.url.toString();
    if (kind == MessageEventKind::BackendOpened) {
        event.subprotocol = m_subprotocol;
    } else if (kind == MessageEventKind::BackendClosed) {
        event.opcode = EventOpcode::Close;
        event.closeCode = closeHandshake() ? m_stream->closeCode() : 1006;
        event.closeReason = closeHandshake() ? m_stream->closeReason() : errorText();
    }
    hub.emitEvent(std::move(event));
}

void WsBackendConnection::send(const QByteArray &payload, FrameKind kind, quint64 messageId,
                               std::shared_ptr<MessageContext> waiting,
                               const QString &faultSequence)
{
    if (!isOpen()) {
        if (m_options.idleSeconds > 0)
            m_idleTimer.start(m_options.idleSeconds * 1000, this);
        if (m_slowReaderClosed)
            return; // its client is being closed for it (closeSlowReader)
        // Kept in order until the handshake is done; never a second connection. They count
        // against ws.max.write.buffer.size like bytes the backend has not read: a client
        // flooding while the backend is slow to answer the handshake would grow them without
        // bound (tests/e2e/test_ws_protection.py).
        m_pending.append({payload, kind, messageId, std::move(waiting), faultSequence});
        m_pendingBytes += payload.size();
        if (m_pendingBytes > m_options.maxWriteBufferBytes) [[unlikely]]
            closeSlowReader();
        return;
    }
    if (MessageEventHub::active(*m_environment))
        emitEvent(MessageEventKind::FrameOut, payload, kind, messageId);
    sendRecorded(payload, kind);
}

void WsBackendConnection::sendRecorded(const QByteArray &payload, FrameKind kind)
{
    if (m_options.idleSeconds > 0)
        m_idleTimer.start(m_options.idleSeconds * 1000, this);
    if (m_registration)
        m_registration->countOut();
    // Written now (ws_stream.h); what the kernel would not take counts against the limit.
    m_stream->send(payload, kind);
    if (m_stream->bytesToWrite() > m_options.maxWriteBufferBytes) [[unlikely]]
        closeSlowReader();
}

const QString &WsBackendConnection::eventConnectionId() const
{
    return m_origin ? m_origin->connectionId() : kNone;
}

const QString &WsBackendConnection::eventArtifact() const
{
    return m_origin ? m_origin->settings().name : kNone;
}

QList<WsBackendConnection::PendingFrame> WsBackendConnection::takePending()
{
    m_pendingBytes = 0;
    return std::exchange(m_pending, {});
}

// A backend that reads slower than its client sends would make Sluice buffer without bound:
// past ws.max.write.buffer.size the client is closed with 1008 and the backend connection goes.
void WsBackendConnection::closeSlowReader()
{
    if (m_slowReaderClosed)
        return;
    m_slowReaderClosed = true;
    const bool upgraded = m_stream != nullptr;
    Logger::instance().log(LogLevel::Warn, kCategory,
                           QStringLiteral("%1: the backend is not reading: %2 bytes wait to be "
                                          "written%3 (ws.max.write.buffer.size %4); client "
                                          "closed with %5")
                               .arg(describe())
                               .arg(upgraded ? m_stream->bytesToWrite() : m_pendingBytes)
                               .arg(upgraded ? QString()
                                             : QStringLiteral(", its opening handshake is not "
                                                              "done"))
                               .arg(m_options.maxWriteBufferBytes)
                               .arg(kSlowReaderCloseCode));
    const QString reason = QStringLiteral("Backend is not reading fast enough");
    if (m_origin)
        m_origin->closeClient(kSlowReaderCloseCode, reason);
    closeWith(kSlowReaderCloseCode, reason);
    if (!upgraded)
        return; // closeWith() aborted the socket: no close frame to wait for
    QTimer::singleShot(kSlowReaderCloseGraceMs, this, [this] {
        m_aborted = true;
        m_stream->abort();
    });
}

void WsBackendConnection::onConnected()
{
    m_everConnected = true;
    HeapTrimmer::noteChurn(); // the handshake's temporaries are freed now
    // Worked out once per connection, not per frame: a regular expression match costs about
    // a thousand instructions (docs/performance.md).
    m_frameContentType = contentTypeOfSubprotocol(m_subprotocol);
    if (m_options.pingIntervalSeconds > 0) {
        const int timeout = m_options.pingTimeoutSeconds;
        m_keepAlive = new WsKeepAlive(
            this, m_options.pingIntervalSeconds, timeout, [this] { m_stream->ping(); },
            [this, timeout] {
                Logger::instance().log(LogLevel::Warn, kCategory,
                                       QStringLiteral("%1: no answer to a keep-alive ping within "
                                                      "%2 s (ws.ping.timeout); connection dropped")
                                           .arg(describe())
                                           .arg(timeout));
                // Seen as a dropped connection: the client gets 1014, the fault sequence runs.
                m_aborted = true;
                m_stream->abort();
            });
    }
    registerOpen();
    Logger::instance().log(
        LogLevel::Info, kCategory,
        QStringLiteral("%1: connected%2")
            .arg(describe(), m_subprotocol.isEmpty()
                                 ? QString()
                                 : QStringLiteral(", subprotocol ") + m_subprotocol));
    if (MessageEventHub::active(*m_environment))
        emitEvent(MessageEventKind::BackendOpened);
    const auto pending = takePending();
    for (const PendingFrame &frame : pending)
        send(frame.payload, frame.kind, frame.messageId);
}

const QString &WsBackendConnection::outflowSequence() const
{
    return m_origin ? m_origin->settings().outflowSequence
                    : m_environment->config().ws.outflowDispatchSequence;
}

QString WsBackendConnection::outflowFaultSequence() const
{
    return m_origin ? m_origin->settings().outflowFaultSequence
                    : m_environment->config().ws.outflowFaultSequence;
}

const std::shared_ptr<const CompiledSequence> &WsBackendConnection::outflowSequenceIn(
    const std::shared_ptr<const MediationEnvironment> &environment, const QString &name)
{
    // The same environment (by owner: the weak pointer keeps its control block, so no other
    // environment can take its place) and the same name data: the sequence found last time.
    const bool sameEnvironment = !m_outflowEnvironment.owner_before(environment) &&
                                 !environment.owner_before(m_outflowEnvironment) &&
                                 !m_outflowEnvironment.expired();
    if (!sameEnvironment || m_outflowName.constData() != name.constData() ||
        m_outflowName.size() != name.size()) {
        m_outflow = name.isEmpty() ? nullptr : environment->sequence(name);
        m_outflowEnvironment = environment;
        m_outflowName = name;
    }
    return m_outflow;
}

void WsBackendConnection::onFrame(const QByteArray &payload, FrameKind kind)
{
    if (m_options.idleSeconds > 0)
        m_idleTimer.start(m_options.idleSeconds * 1000, this);
    if (m_registration)
        m_registration->countIn();
    // A redeploy may have changed the outflow sequences since this connection opened.
    // References, not copies (no reference counts touched per message): nothing below replaces
    // them before the executor's message takes its own copy.
    const auto &environment = currentEnvironment();
    const QString &sequenceName = outflowSequence();
    // A copy: the mediation below may re-enter this connection and replace the cached one.
    const std::shared_ptr<const CompiledSequence> sequence =
        outflowSequenceIn(environment, sequenceName);
    if (!sequence) {
        Logger::instance().log(LogLevel::Warn, kCategory,
                               QStringLiteral("%1: no outflow dispatch sequence '%2' is deployed; "
                                              "backend message dropped")
                                   .arg(describe(), sequenceName));
        return;
    }
    if (respondedByPlan(*sequence, environment, payload, kind))
        return;
    // The frame's events and those of its mediation share the time the frame was taken up.
    const MessageEventTimeScope eventTime(MessageEventHub::active(*m_environment));
    auto message = MessageContext::create(environment);
    if (MessageEventHub::active(*m_environment))
        emitEvent(MessageEventKind::FrameIn, payload, kind, message->messageId());
    message->setReceivedPayload(payload, contentTypeOf(kind), kind);
    message->setDirection(Direction::Outflow);
    message->setToAddress(m_urlText);
    if (m_origin) {
        message->setChannelId(m_origin->connectionId());
        message->setArtifactName(m_origin->settings().name);
        message->setResponseChannel(m_origin);
    }
    Executor::start(message, sequence, outflowFaultSequence());
}

const QString &WsBackendConnection::contentTypeOf(FrameKind kind) const
{
    static const QString kBinaryType = QStringLiteral("application/octet-stream");
    static const QString kTextType = QStringLiteral("text/plain");
    return !m_frameContentType.isEmpty() ? m_frameContentType
           : kind == FrameKind::Binary   ? kBinaryType
                                         : kTextType;
}

bool WsBackendConnection::respondedByPlan(
    const CompiledSequence &sequence,
    const std::shared_ptr<const MediationEnvironment> &environment, const QByteArray &payload,
    FrameKind kind)
{
    const ForwardPlan *plan = sequence.forward.get();
    if (!plan || plan->ending != ForwardPlan::Ending::Respond || !m_origin)
        return false;
    switch (plan->modeIn(*environment)) {
    case ForwardPlan::Mode::Executor:
        return false;
    case ForwardPlan::Mode::Bare:
        m_origin->respond(payload, kind, MessageContext::newMessageId());
        return true;
    case ForwardPlan::Mode::Recorded:
        if (respondedRecorded(*plan, environment, payload, kind))
            return true;
        break;
    case ForwardPlan::Mode::Observed:
        break;
    }
    respondedObserved(sequence, *plan, environment, payload, kind);
    return true;
}

bool WsBackendConnection::respondedRecorded(
    const ForwardPlan &plan, const std::shared_ptr<const MediationEnvironment> &environment,
    const QByteArray &payload, FrameKind kind)
{
    // Only the client this connection serves gets the frame (not a broadcast), and it is here.
    MessageEventHub *hub = m_environment->eventHub();
    WsClientConnection *client = m_origin->connection();
    if (!hub || !client || m_origin->settings().broadcastLevel != 0)
        return false;
    const quint64 messageId = hub->recordPlannedHop(PlannedHop{
        .hint = m_hopHint,
        .plan = plan,
        .environment = environment,
        .from = EventPeer::Backend,
        .connectionId = m_origin->connectionId(),
        .artifact = m_origin->settings().name,
        .outConnectionId = client->id(),
        .outArtifact = client->artifactName(),
        .inText = m_urlText,
        .outText = kNone,
        .kind = kind,
        .payload = payload,
    });
    if (messageId == 0)
        return false;
    client->sendRecorded(payload, kind);
    return true;
}

void WsBackendConnection::respondedObserved(
    const CompiledSequence &sequence, const ForwardPlan &plan,
    const std::shared_ptr<const MediationEnvironment> &environment, const QByteArray &payload,
    FrameKind kind)
{
    // As onFrame() and the executor would, through a message object kept for it.
    const MessageEventTimeScope eventTime(MessageEventHub::active(*m_environment));
    if (!m_plannedMessage || &m_plannedMessage->environment() != environment.get()) {
        m_plannedMessage = MessageContext::create(environment);
        m_plannedMessage->setToAddress(m_urlText);
        m_plannedMessage->setChannelId(m_origin->connectionId());
        m_plannedMessage->setResponseChannel(m_origin);
    }
    MessageContext &message = *m_plannedMessage;
    message.reuseFor(payload, contentTypeOf(kind), kind, Direction::Outflow);
    if (!message.artifactName().isSharedWith(m_origin->settings().name))
        message.setArtifactName(m_origin->settings().name);
    if (MessageEventHub::active(*m_environment))
        emitEvent(MessageEventKind::FrameIn, payload, kind, message.messageId());
    MediationObserver &observer = *environment->observer();
    Executor::enterPlanned(message, sequence, plan, observer);
    m_origin->respond(payload, kind, message.messageId());
    observer.runEnded(message);
    message.releasePayload();
}

void WsBackendConnection::onSslErrors(const QList<QSslError> &errors)
{
    const QList<QSslError> acceptable = acceptableTlsErrors(errors, *m_options.tls);
    if (acceptable.size() == errors.size()) {
        // Only a host name mismatch, and hostname verification is off.
        static_cast<QSslSocket *>(m_socket)->ignoreSslErrors(acceptable);
        return;
    }
    m_refusedCertificate = describeTlsErrors(errors);
}

QString WsBackendConnection::tlsFailure() const
{
    if (!m_refusedCertificate.isEmpty())
        return QStringLiteral("the backend certificate was refused (%1; trusting %2)")
            .arg(m_refusedCertificate, m_options.tls->trustSource);
    if (!m_tlsAlert.isEmpty())
        return QStringLiteral("TLS handshake failed: %1").arg(m_tlsAlert);
    switch (m_socket->error()) {
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return QStringLiteral("TLS handshake failed: %1").arg(m_socket->errorString());
    case QAbstractSocket::RemoteHostClosedError:
        // Closed before a cipher was agreed: the backend refused the TLS handshake (servers
        // that offer only TLS 1.0/1.1 often close without an alert).
        if (auto *tls = qobject_cast<QSslSocket *>(m_socket);
            tls && tls->sslConfiguration().sessionCipher().isNull())
            return QStringLiteral("TLS handshake failed: the backend closed the connection "
                                  "during the TLS handshake (no common TLS version or cipher "
                                  "with TLS 1.2 or later?)");
        return QString();
    default:
        return QString();
    }
}

void WsBackendConnection::closeWith(int code, const QString &reason)
{
    m_closingByUs = true;
    takePending();
    if (!m_socket || m_socket->state() == QAbstractSocket::UnconnectedState) {
        emit finished(this);
        return;
    }
    if (!m_stream) {
        m_socket->abort(); // still in the opening handshake
        closedBeforeUpgrade();
        return;
    }
    m_stream->close(code, reason);
}

void WsBackendConnection::onDisconnected()
{
    m_idleTimer.stop();
    if (m_keepAlive)
        m_keepAlive->stop();
    unregister();
    if (m_everConnected && MessageEventHub::active(*m_environment))
        emitEvent(MessageEventKind::BackendClosed);
    if (m_closingByUs) {
        emit finished(this);
        return;
    }
    if (const QString tls = m_everConnected ? QString() : tlsFailure(); !tls.isEmpty()) {
        fail(ErrorCodes::kConnectionFailed,
             QStringLiteral("cannot connect to %1: %2").arg(m_urlText, tls), kTlsHandshakeFailure);
    } else if (!m_everConnected) {
        fail(ErrorCodes::kConnectionFailed,
             QStringLiteral("cannot connect to %1: %2").arg(m_options.url.toString(), errorText()),
             kBadGateway);
    } else if (!closeHandshake() || m_aborted) {
        fail(ErrorCodes::kConnectionClosed,
             QStringLiteral("%1 dropped the connection").arg(m_options.url.toString()),
             kBadGateway);
    } else {
        // The backend closed properly: the client gets the same code and reason.
        Logger::instance().log(LogLevel::Info, kCategory,
                               QStringLiteral("%1: backend closed (%2 %3)")
                                   .arg(describe())
                                   .arg(m_stream->closeCode())
                                   .arg(m_stream->closeReason()));
        if (m_origin)
            m_origin->closeClient(m_stream->closeCode(), m_stream->closeReason());
    }
    emit finished(this);
}

void WsBackendConnection::fail(int code, const QString &reason, int clientCloseCode)
{
    Logger::instance().log(LogLevel::Warn, kCategory,
                           QStringLiteral("%1: %2").arg(describe(), reason));
    const QList<PendingFrame> pending = takePending();
    // Messages without a WebSocket client (sent from a proxy or API) each go to the fault
    // handler that was in force when they were sent (the proxy's faultSequence), as in MI.
    bool faulted = false;
    for (const PendingFrame &frame : pending) {
        if (m_origin || !frame.message)
            continue;
        faulted = true;
        Executor::resumeWithFault(frame.message, code, reason,
                                  frame.faultSequence.isEmpty() ? outflowFaultSequence()
                                                                : frame.faultSequence);
    }
    if (faulted)
        return;
    if (m_origin)
        m_origin->closeClient(clientCloseCode, clientCloseCode == kTlsHandshakeFailure
                                                   ? kBackendTlsFailed
                                                   : kBackendUnavailable);
    auto message = MessageContext::create(currentEnvironment());
    message->setDirection(Direction::Outflow);
    message->setToAddress(m_options.url.toString());
    if (m_origin) {
        message->setChannelId(m_origin->connectionId());
        message->setArtifactName(m_origin->settings().name);
    }
    Executor::resumeWithFault(message, code, reason, outflowFaultSequence());
}

} // namespace sluice
