// SPDX-License-Identifier: Apache-2.0
#include "ws_endpoint_shard.h"
#include "heap_trimmer.h"
#include "plain_socket_input.h"
#include "server_tls_handshake.h"
#include "ws_server_handshake.h"

#include "runtime/logger.h"
#include "ws_client_connection.h"
#include "ws_inbound_endpoint.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTimer>
#include <atomic>

namespace sluice {

namespace {

const QString kCategory = QStringLiteral("ws-inbound");
// A request head larger than this is refused before the WebSocket handshake sees it.
constexpr qint64 kMaxRequestHead = 16 * 1024;
// The timer that drops an accepted socket whose request does not come in time.
const QString kRequestDeadline = QStringLiteral("sluice-request-deadline");
std::atomic<quint64> g_nextConnection{1};

} // namespace

WsEndpointShard::WsEndpointShard(WsInboundEndpoint *endpoint,
                                 std::shared_ptr<const WsInboundSettings> settings,
                                 std::shared_ptr<const MediationEnvironment> environment)
    : m_endpoint(endpoint)
    , m_settings(std::move(settings))
    , m_environment(std::move(environment))
    , m_dispatchSequence(m_environment ? m_environment->sequence(m_settings->dispatchSequence)
                                       : nullptr)
    , m_subprotocols(synapseSubprotocols() + m_settings->subprotocols)
{
}

// Browsers always send Origin; a page from another site must not reach an endpoint that trusts
// the browser's cookies (cross-site WebSocket hijacking). Clients that are not browsers send
// none and are let in: the allow-list protects browser users, it does not authenticate.
bool WsEndpointShard::originAllowed(const QString &origin) const
{
    const QStringList &allowed = m_settings->allowedOrigins;
    if (allowed.isEmpty() || origin.isEmpty())
        return true;
    for (const QString &entry : allowed) {
        if (entry == QLatin1String("*") || entry.compare(origin, Qt::CaseInsensitive) == 0)
            return true;
    }
    Logger::instance().log(LogLevel::Warn, kCategory,
                           QStringLiteral("inbound endpoint '%1': WebSocket connection from "
                                          "origin %2 refused with 403 (not in "
                                          "ws.allowed.origins)")
                               .arg(m_settings->name, origin));
    return false;
}

WsEndpointShard::~WsEndpointShard()
{
    // Whatever is still here goes with the shard (the endpoint is stopping): free the counts.
    for (const QHostAddress &address : std::as_const(m_connectionAddresses))
        m_endpoint->clientClosed(address);
    for (qsizetype i = 0; i < m_pending.size(); ++i)
        m_endpoint->pendingClosed();
    m_connections.clear();
    m_pending.clear();
}

void WsEndpointShard::acceptSocket(qintptr descriptor)
{
    // Plain connections are read with recv(2) (plain_socket_input.h) through a bare, unbuffered
    // QAbstractSocket, before and after the upgrade (ws_stream.h); wss through QSslSocket.
    QAbstractSocket *socket = m_settings->secure()
                                  ? new QSslSocket(this)
                                  : new QAbstractSocket(QAbstractSocket::TcpSocket, this);
    const QIODevice::OpenMode mode =
        m_settings->secure() ? QIODevice::ReadWrite : QIODevice::ReadWrite | QIODevice::Unbuffered;
    if (!socket->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState, mode)) {
        delete socket;
        m_endpoint->pendingClosed();
        return;
    }
    // No Nagle: over TLS 1.3 the server's session tickets go out just before the 101 answer, and
    // Nagle held that answer back until the client's delayed ACK (~40 ms per wss handshake,
    // bench/wss_compare.py).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_pending.insert(socket, QByteArray());
    connect(socket, &QObject::destroyed, this, [this, socket] { socketGone(socket); });
    if (auto *tls = qobject_cast<QSslSocket *>(socket))
        startEncryption(tls);
    else
        connect(socket, &QAbstractSocket::readyRead, this, [this, socket] { sniff(socket); });
    connect(socket, &QAbstractSocket::disconnected, this, [this, socket] {
        // Not a WebSocket connection: plain HTTP answered, a refused or unfinished handshake.
        if (m_pending.contains(socket) || socket->property("sluice.answered").toBool())
            socket->deleteLater();
    });
    // A client that never finishes its request (or its TLS handshake) is dropped, so it cannot
    // hold a slot forever. The timer goes with the upgrade (upgrade()): kept until it fired, it
    // would cost every idle pair about 700 bytes.
    auto *deadline = new QTimer(socket);
    deadline->setObjectName(kRequestDeadline);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [this, socket] {
        auto *tls = qobject_cast<QSslSocket *>(socket);
        if (tls && !tls->isEncrypted()) {
            Logger::instance().log(LogLevel::Warn, kCategory,
                                   QStringLiteral("inbound endpoint '%1': TLS handshake with "
                                                  "%2:%3 did not finish within %4 s "
                                                  "(ws.handshake.timeout); closed")
                                       .arg(m_settings->name, socket->peerAddress().toString())
                                       .arg(socket->peerPort())
                                       .arg(m_settings->handshakeTimeoutSeconds));
        }
        socket->abort();
        socket->deleteLater();
    });
    deadline->start(m_settings->handshakeTimeoutSeconds * 1000);
    // Bytes may have arrived before the socket object existed.
    if (!m_settings->secure())
        QTimer::singleShot(0, socket, [this, socket] { sniff(socket); });
}

// wss: the WebSocket handshake (or a plain HTTP request) is read only from an encrypted
// socket; a client that fails the TLS handshake is closed with the reason logged, never served
// in plain text.
void WsEndpointShard::startEncryption(QSslSocket *socket)
{
    startServerHandshake(
        socket, m_settings->tls, this,
        [this, socket] {
            connect(socket, &QAbstractSocket::readyRead, this, [this, socket] { sniff(socket); });
            if (socket->bytesAvailable() > 0)
                sniff(socket);
        },
        [this, socket](const QString &reason) {
            Logger::instance().log(LogLevel::Warn, kCategory,
                                   QStringLiteral("inbound endpoint '%1': TLS handshake with "
                                                  "%2:%3 failed: %4")
                                       .arg(m_settings->name, socket->peerAddress().toString())
                                       .arg(socket->peerPort())
                                       .arg(reason));
        });
}

// A socket that never became a WebSocket client connection frees its slot.
void WsEndpointShard::socketGone(QAbstractSocket *socket)
{
    if (m_pending.remove(socket))
        m_endpoint->pendingClosed();
}

void WsEndpointShard::refuseUpgrade(QAbstractSocket *socket, WsInboundEndpoint::Admission why)
{
    const bool address = why == WsInboundEndpoint::Admission::AddressFull;
    Logger::instance().log(
        LogLevel::Warn, kCategory,
        QStringLiteral("inbound endpoint '%1': WebSocket connection from %2:%3 refused, already "
                       "%4 connections %5")
            .arg(m_settings->name, socket->peerAddress().toString())
            .arg(socket->peerPort())
            .arg(address ? m_settings->maxConnectionsPerAddress : m_settings->maxConnections)
            .arg(address ? QStringLiteral("from this address (ws.max.connections.per.address)")
                         : QStringLiteral("(ws.max.connections)")));
    if (address) {
        answerAndClose(socket, wsHttpAnswer(429, "Too Many Requests", "text/plain",
                                            "too many WebSocket connections from this address\n",
                                            "Retry-After: 1\r\n"));
    } else {
        answerAndClose(socket, wsHttpAnswer(503, "Service Unavailable", "text/plain",
                                            "too many WebSocket connections; try again later\n",
                                            "Retry-After: 1\r\n"));
    }
}

// The socket is deleted once the answer is out and the connection closed.
void WsEndpointShard::answerAndClose(QAbstractSocket *socket, const QByteArray &answer)
{
    socket->setProperty("sluice.answered", true);
    socket->write(answer);
    socket->disconnectFromHost();
}

bool WsEndpointShard::readHead(QAbstractSocket *socket, QByteArray &head)
{
    if (!m_settings->secure()) {
        for (;;) {
            const PlainRead result = readPlainSocket(
                socket, head, std::max<qint64>(1, kMaxRequestHead + 1 - head.size()));
            // Last: all there was, and the read notification is armed again.
            if (result == PlainRead::Drained || result == PlainRead::Last)
                return true;
            if (result != PlainRead::Data) {
                socket->abort(); // the client left before its request was complete
                return false;
            }
            if (head.size() > kMaxRequestHead || head.contains("\r\n\r\n")) {
                rearmPlainSocket(socket);
                return true;
            }
        }
    }
    head.append(socket->readAll());
    return true;
}

// Reads the request head: a WebSocket upgrade is answered here (ws_server_handshake.h),
// anything else is plain HTTP answered here too. Bytes after the head are the client's first
// frames, sent before it saw the answer.
void WsEndpointShard::sniff(QAbstractSocket *socket)
{
    const auto it = m_pending.find(socket);
    if (it == m_pending.end())
        return;
    if (!readHead(socket, it.value()))
        return;
    const QByteArray input = it.value();
    const qsizetype end = input.indexOf("\r\n\r\n");
    if (end < 0 || end + 4 > kMaxRequestHead) {
        if (input.size() >= kMaxRequestHead) {
            disconnect(socket, &QAbstractSocket::readyRead, this, nullptr);
            m_pending.erase(it);
            m_endpoint->pendingClosed();
            answerAndClose(socket, wsHttpAnswer(431, "Request Header Fields Too Large",
                                                "text/plain", "request header too large\n"));
        }
        return;
    }
    disconnect(socket, &QAbstractSocket::readyRead, this, nullptr);
    m_pending.erase(it);
    m_endpoint->pendingClosed();
    WsHttpHead request;
    QString error;
    if (!parseWsHttpHead(input.left(end + 4), false, &request, &error)) {
        answerAndClose(socket,
                       wsHttpAnswer(400, "Bad Request", "text/plain", error.toUtf8() + '\n'));
        return;
    }
    if (request.headerHasToken("Upgrade", "websocket")) {
        upgrade(socket, request, input.mid(end + 4));
        return;
    }
    answerPlainHttp(socket, input.left(end));
}

void WsEndpointShard::upgrade(QAbstractSocket *socket, const WsHttpHead &request,
                              const QByteArray &early)
{
    const QHostAddress address = socket->peerAddress();
    if (const auto admission = m_endpoint->reserveClient(address);
        admission != WsInboundEndpoint::Admission::Admitted) {
        refuseUpgrade(socket, admission);
        return;
    }
    const WsUpgradeAnswer answer = answerWsUpgrade(
        request, m_subprotocols, [this](const QString &origin) { return originAllowed(origin); });
    if (!answer.accepted) {
        Logger::instance().log(LogLevel::Info, kCategory,
                               QStringLiteral("inbound endpoint '%1': WebSocket handshake from "
                                              "%2:%3 refused: %4")
                                   .arg(m_settings->name, address.toString())
                                   .arg(socket->peerPort())
                                   .arg(answer.refusal));
        m_endpoint->clientClosed(address);
        answerAndClose(socket, answer.response);
        return;
    }
    delete socket->findChild<QTimer *>(kRequestDeadline, Qt::FindDirectChildrenOnly);
    // From here the socket is the connection's: it frees the client slot when it closes.
    disconnect(socket, nullptr, this, nullptr);
    socket->write(answer.response);
    const QString id = QStringLiteral("%1-%2").arg(m_settings->name).arg(g_nextConnection++);
    auto *connection = new WsClientConnection(socket, this, id, request, answer.subprotocol);
    m_connections.insert(id, connection);
    m_connectionAddresses.insert(id, address);
    HeapTrimmer::noteChurn();
    connect(connection, &WsClientConnection::closed, this,
            [this](const QString &closedId) { forget(closedId); });
    connection->start(early);
}

void WsEndpointShard::answerPlainHttp(QAbstractSocket *socket, const QByteArray &head)
{
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    const QByteArray method = requestLine.value(0);
    const QByteArray target = requestLine.value(1);
    if ((method == "GET" || method == "HEAD") && (target == "/health" || target == "/health/")) {
        const QJsonObject status{{QStringLiteral("status"), QStringLiteral("UP")},
                                 {QStringLiteral("endpoint"), m_settings->name},
                                 {QStringLiteral("connections"), m_endpoint->connectionCount()}};
        answerAndClose(socket, wsHttpAnswer(200, "OK", "application/json",
                                            QJsonDocument(status).toJson(QJsonDocument::Compact)));
    } else {
        answerAndClose(socket,
                       wsHttpAnswer(426, "Upgrade Required", "text/plain",
                                    "this is a WebSocket endpoint; GET /health for its status\n",
                                    "Upgrade: websocket\r\n"));
    }
}

void WsEndpointShard::forget(const QString &id)
{
    if (m_connections.remove(id)) {
        m_endpoint->clientClosed(m_connectionAddresses.take(id));
        HeapTrimmer::noteChurn();
    }
}

void WsEndpointShard::deliverToPath(const QString &path, const QByteArray &payload, FrameKind kind,
                                    const QString &exceptId)
{
    for (WsClientConnection *connection : std::as_const(m_connections)) {
        if (connection->path() == path && connection->id() != exceptId)
            connection->sendPayload(payload, kind);
    }
}

void WsEndpointShard::update(std::shared_ptr<const WsInboundSettings> settings,
                             std::shared_ptr<const MediationEnvironment> environment)
{
    m_settings = std::move(settings);
    m_environment = std::move(environment);
    m_dispatchSequence =
        m_environment ? m_environment->sequence(m_settings->dispatchSequence) : nullptr;
    for (WsClientConnection *connection : std::as_const(m_connections))
        connection->channel()->setSettings(m_settings);
}

void WsEndpointShard::closeAll(int code, const QString &reason)
{
    const auto connections = m_connections.values();
    for (WsClientConnection *connection : connections)
        connection->closeWith(code, reason);
}

} // namespace sluice
