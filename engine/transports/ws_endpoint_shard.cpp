// SPDX-License-Identifier: Apache-2.0
#include "ws_endpoint_shard.h"
#include "heap_trimmer.h"
#include "server_tls_handshake.h"

#include "runtime/logger.h"
#include "ws_client_connection.h"
#include "ws_inbound_endpoint.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>
#include <atomic>
#include <limits>

namespace sluice {

namespace {

const QString kCategory = QStringLiteral("ws-inbound");
// A request head larger than this is refused before the WebSocket handshake sees it.
constexpr qint64 kMaxRequestHead = 16 * 1024;
// The timer that drops an accepted socket whose request does not come in time.
const QString kRequestDeadline = QStringLiteral("sluice-request-deadline");
std::atomic<quint64> g_nextConnection{1};

QByteArray httpResponse(int status, const QByteArray &reason, const QByteArray &contentType,
                        const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
           "\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n" +
           extraHeaders + "\r\n" + body;
}

} // namespace

WsEndpointShard::WsEndpointShard(WsInboundEndpoint *endpoint,
                                 std::shared_ptr<const WsInboundSettings> settings,
                                 std::shared_ptr<const MediationEnvironment> environment)
    : m_endpoint(endpoint)
    , m_settings(std::move(settings))
    , m_environment(std::move(environment))
    , m_server(
          new QWebSocketServer(QStringLiteral("Sluice"), QWebSocketServer::NonSecureMode, this))
{
    // Handshakes are taken as soon as they finish, so this only bounds sockets that completed
    // the handshake in one event-loop turn; the default of 30 would refuse a burst of clients.
    m_server->setMaxPendingConnections(std::numeric_limits<int>::max());
    m_server->setHandshakeTimeout(m_settings->handshakeTimeoutSeconds * 1000);
    QStringList subprotocols = synapseSubprotocols();
    subprotocols << m_settings->subprotocols;
    m_server->setSupportedSubprotocols(subprotocols);
    connect(m_server, &QWebSocketServer::newConnection, this, &WsEndpointShard::takeConnections);
    // Qt asks during the handshake; a refused origin gets Qt's 403 and no connection.
    connect(m_server, &QWebSocketServer::originAuthenticationRequired, this,
            [this](QWebSocketCorsAuthenticator *authenticator) {
                authenticator->setAllowed(originAllowed(authenticator->origin()));
            });
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
    for (const QHostAddress &address : std::as_const(m_upgrading))
        m_endpoint->clientClosed(address);
    for (qsizetype i = 0; i < m_pending.size(); ++i)
        m_endpoint->pendingClosed();
    m_connections.clear();
    m_upgrading.clear();
    m_pending.clear();
}

void WsEndpointShard::acceptSocket(qintptr descriptor)
{
    QTcpSocket *socket = m_settings->secure() ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        m_endpoint->pendingClosed();
        return;
    }
    // No Nagle: over TLS 1.3 the server's session tickets go out just before the 101 answer, and
    // Nagle held that answer back until the client's delayed ACK (~40 ms per wss handshake,
    // bench/wss_compare.py).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // The socket's slot is counted here, not through its own signals after the upgrade: the
    // QWebSocket that takes it over drops every connection made to the socket.
    m_pending.insert(socket);
    connect(socket, &QObject::destroyed, this, [this, socket] { socketGone(socket); });
    if (auto *tls = qobject_cast<QSslSocket *>(socket))
        startEncryption(tls);
    else
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { sniff(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        // Not (yet) a WebSocket connection: plain HTTP answered, or a failed handshake.
        if (m_pending.contains(socket) || m_upgrading.contains(socket) ||
            socket->property("sluice.answered").toBool())
            socket->deleteLater();
    });
    // A client that never finishes its request (or its TLS handshake) is dropped, so it cannot
    // hold a slot forever. Once the request is an upgrade, Qt's handshake timeout takes over and
    // this timer goes (sniff): kept until it fired, it would cost every idle pair about 700 bytes.
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
}

// wss: the WebSocket handshake (or a plain HTTP request) is read only from an encrypted
// socket; a client that fails the TLS handshake is closed with the reason logged, never served
// in plain text.
void WsEndpointShard::startEncryption(QSslSocket *socket)
{
    startServerHandshake(
        socket, m_settings->tls, this,
        [this, socket] {
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { sniff(socket); });
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
void WsEndpointShard::socketGone(QTcpSocket *socket)
{
    if (m_pending.remove(socket))
        m_endpoint->pendingClosed();
    else if (const auto it = m_upgrading.constFind(socket); it != m_upgrading.cend()) {
        const QHostAddress address = it.value();
        m_upgrading.erase(it);
        m_endpoint->clientClosed(address);
    }
}

void WsEndpointShard::refuseUpgrade(QTcpSocket *socket, WsInboundEndpoint::Admission why)
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
    socket->setProperty("sluice.answered", true);
    if (address) {
        socket->write(httpResponse(429, "Too Many Requests", "text/plain",
                                   "too many WebSocket connections from this address\n",
                                   "Retry-After: 1\r\n"));
    } else {
        socket->write(httpResponse(503, "Service Unavailable", "text/plain",
                                   "too many WebSocket connections; try again later\n",
                                   "Retry-After: 1\r\n"));
    }
    socket->disconnectFromHost();
}

// Looks at the request head without consuming it: a WebSocket upgrade goes to Qt's handshake
// (which reads it again), anything else is plain HTTP answered here. Only the presence of an
// "Upgrade: websocket" header and the request line are looked at; Qt parses the handshake.
void WsEndpointShard::sniff(QTcpSocket *socket)
{
    const QByteArray head = socket->peek(kMaxRequestHead);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() >= kMaxRequestHead) {
            socket->write(httpResponse(431, "Request Header Fields Too Large", "text/plain",
                                       "request header too large\n"));
            socket->disconnectFromHost();
        }
        return;
    }
    static const QRegularExpression upgrade(QStringLiteral("\\r\\nupgrade:[ \\t]*websocket"),
                                            QRegularExpression::CaseInsensitiveOption);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    m_pending.remove(socket);
    m_endpoint->pendingClosed();
    if (upgrade.match(QString::fromLatin1(head.left(end + 2))).hasMatch()) {
        const QHostAddress address = socket->peerAddress();
        if (const auto admission = m_endpoint->reserveClient(address);
            admission != WsInboundEndpoint::Admission::Admitted) {
            refuseUpgrade(socket, admission);
            return;
        }
        m_upgrading.insert(socket, address);
        delete socket->findChild<QTimer *>(kRequestDeadline, Qt::FindDirectChildrenOnly);
        m_server->handleConnection(socket);
        return;
    }
    socket->setProperty("sluice.answered", true); // deleted once the answer is out
    answerPlainHttp(socket, head.left(end));
}

void WsEndpointShard::answerPlainHttp(QTcpSocket *socket, const QByteArray &head)
{
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    const QByteArray method = requestLine.value(0);
    const QByteArray target = requestLine.value(1);
    if ((method == "GET" || method == "HEAD") && (target == "/health" || target == "/health/")) {
        const QJsonObject status{{QStringLiteral("status"), QStringLiteral("UP")},
                                 {QStringLiteral("endpoint"), m_settings->name},
                                 {QStringLiteral("connections"), m_endpoint->connectionCount()}};
        socket->write(httpResponse(200, "OK", "application/json",
                                   QJsonDocument(status).toJson(QJsonDocument::Compact)));
    } else {
        socket->write(httpResponse(426, "Upgrade Required", "text/plain",
                                   "this is a WebSocket endpoint; GET /health for its status\n",
                                   "Upgrade: websocket\r\n"));
    }
    socket->disconnectFromHost();
}

void WsEndpointShard::takeConnections()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        const QString id = QStringLiteral("%1-%2").arg(m_settings->name).arg(g_nextConnection++);
        auto *connection = new WsClientConnection(socket, this, id);
        // The upgraded TCP socket is the one in the handshake with the same peer: its client
        // slot is now the connection's, and the connection takes it so that it goes with it.
        QTcpSocket *tcp = nullptr;
        for (auto it = m_upgrading.cbegin(); it != m_upgrading.cend(); ++it) {
            if (it.key()->peerPort() == socket->peerPort() &&
                it.key()->peerAddress() == socket->peerAddress()) {
                tcp = it.key();
                break;
            }
        }
        const QHostAddress address = socket->peerAddress();
        if (tcp) {
            m_upgrading.remove(tcp);
            if (tcp->parent() == this)
                tcp->setParent(connection);
        } else {
            // Cannot happen with Qt's handshake; the client must be counted all the same.
            Logger::instance().log(LogLevel::Warn, kCategory,
                                   QStringLiteral("%1: upgraded socket not found").arg(id));
            m_endpoint->reserveClient(address);
        }
        m_connections.insert(id, connection);
        m_connectionAddresses.insert(id, address);
        HeapTrimmer::noteChurn();
        connect(connection, &WsClientConnection::closed, this,
                [this](const QString &closedId) { forget(closedId); });
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
