// SPDX-License-Identifier: Apache-2.0
#include "ws_backend_pool.h"
#include "heap_trimmer.h"
#include "per_thread_instance.h"

#include "artifacts/artifacts.h"
#include "mediation/message_context.h"
#include "runtime/logger.h"
#include "ws_backend_connection.h"
#include "ws_client_connection.h"

namespace sluice {

namespace {

thread_local WsBackendPool *t_pool = nullptr;

QVariant anyScope(const MessageContext &message, const QString &name)
{
    QVariant value = message.property(name, PropertyScope::Axis2);
    if (!value.isValid())
        value = message.property(name, PropertyScope::Default);
    return value;
}

bool isTrue(const QVariant &value)
{
    return MessageContext::propertyText(value).compare(QLatin1String("true"),
                                                       Qt::CaseInsensitive) == 0;
}

// The handshake of a new backend connection, from the first message's properties (MI's names).
WsBackendConnection::Options handshakeOptions(const MessageContext &message, const QUrl &url,
                                              int idleSeconds)
{
    WsBackendConnection::Options options;
    options.url = url;
    options.idleSeconds = idleSeconds;
    // MI spells it "contenType"; the corrected spelling is read as well.
    QString accept = MessageContext::propertyText(
        anyScope(message, QStringLiteral("websocket.accept.contenType")));
    if (accept.isEmpty())
        accept = MessageContext::propertyText(
            anyScope(message, QStringLiteral("websocket.accept.contentType")));
    // MI offers synapse(contentType='...'), which is not an RFC 7230 token; Qt's client (rightly)
    // refuses to send it, so the backend gets the content type as a header instead. See
    // docs/websocket.md.
    if (!accept.isEmpty())
        options.headers.append({QByteArrayLiteral("X-Synapse-Content-Type"), accept.toUtf8()});
    const QString prefix = QStringLiteral("websocket.custom.header.");
    for (PropertyScope scope : {PropertyScope::Default, PropertyScope::Axis2}) {
        const PropertyMap &properties = message.properties(scope);
        for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
            if (it.key().startsWith(prefix))
                options.headers.append({it.key().mid(prefix.size()).toLatin1(),
                                        MessageContext::propertyText(it.value()).toUtf8()});
        }
    }
    return options;
}

} // namespace

WsBackendPool &WsBackendPool::forCurrentThread()
{
    // Worker threads delete their pool (and its connections) when they finish.
    return perThreadInstance(t_pool, [] { return new WsBackendPool; });
}

void WsBackendPool::send(const std::shared_ptr<MessageContext> &message,
                         const EndpointDefinition &endpoint,
                         const std::shared_ptr<const ClientTls> &tls)
{
    auto origin = std::dynamic_pointer_cast<WsClientChannel>(message->responseChannel());
    const QString clientId = origin ? origin->connectionId() : QString();
    const QString key = clientId + QLatin1Char('\n') + endpoint.uri;
    WsBackendConnection *connection = m_connections.value(key);

    if (isTrue(anyScope(*message, QStringLiteral("connection.terminate")))) {
        if (connection)
            connection->closeWith(1000, QStringLiteral("connection.terminate"));
        return;
    }
    if (!connection) {
        if (origin && !origin->connection()) {
            Logger::instance().log(LogLevel::Info, QStringLiteral("ws-sender"),
                                   QStringLiteral("%1: client already closed; message %2 not "
                                                  "sent")
                                       .arg(clientId)
                                       .arg(message->messageId()));
            return;
        }
        const int idle = origin ? origin->settings().backendIdleSeconds : 0;
        WsBackendConnection::Options options = handshakeOptions(*message, QUrl(endpoint.uri), idle);
        options.tls = tls;
        if (origin) {
            options.pingIntervalSeconds = origin->settings().pingIntervalSeconds;
            options.pingTimeoutSeconds = origin->settings().pingTimeoutSeconds;
            options.maxWriteBufferBytes = origin->settings().maxWriteBufferBytes;
        }
        connection = new WsBackendConnection(options, origin, message->environmentPointer(), this);
        m_connections.insert(key, connection);
        connect(connection, &WsBackendConnection::finished, this, &WsBackendPool::forget);
        if (origin) {
            connect(origin->connection(), &WsClientConnection::closed, connection,
                    [connection](const QString &, int code, const QString &reason) {
                        // The client's close code goes on to the backend (1006 cannot be sent).
                        connection->closeWith(code == 1006 || code < 1000 ? 1001 : code, reason);
                    });
        }
        connection->open();
    }
    if (origin)
        connection->send(message->payload(), message->frameKind(), message->messageId());
    else
        connection->send(message->payload(), message->frameKind(), message->messageId(), message,
                         message->execution().innermostFaultSequence());
}

void WsBackendPool::forget(WsBackendConnection *connection)
{
    for (auto it = m_connections.begin(); it != m_connections.end(); ++it) {
        if (it.value() == connection) {
            m_connections.erase(it);
            break;
        }
    }
    connection->deleteLater();
    HeapTrimmer::noteChurn();
}

} // namespace sluice
