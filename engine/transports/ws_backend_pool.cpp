// SPDX-License-Identifier: Apache-2.0
#include "ws_backend_pool.h"
#include "heap_trimmer.h"
#include "per_thread_instance.h"

#include "artifacts/artifacts.h"
#include "mediation/message_context.h"
#include "runtime/logger.h"
#include "ws_backend_connection.h"
#include "ws_client_connection.h"

#include <algorithm>

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

// connection.terminate in either scope, looked up in place: every message sent asks, and
// almost none sets it.
bool terminateRequested(const MessageContext &message)
{
    static const QString kTerminate = QStringLiteral("connection.terminate");
    const QVariant *value = message.properties(PropertyScope::Axis2).find(kTerminate);
    if (!value)
        value = message.properties(PropertyScope::Default).find(kTerminate);
    return value && MessageContext::propertyText(*value).compare(QLatin1String("true"),
                                                                 Qt::CaseInsensitive) == 0;
}

// Equal text, with the common case (the same string data: the endpoint's own URI, the
// connection's own id) settled without comparing characters.
bool sameText(const QString &a, const QString &b)
{
    return a.size() == b.size() && (a.constData() == b.constData() || QStringView(a) == b);
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

WsBackendConnection *WsBackendPool::find(const WsClientChannel *origin, const QString &clientId,
                                         const QString &uri) const
{
    const auto routes = m_routes.constFind(origin);
    if (routes == m_routes.cend())
        return nullptr;
    for (const Route &route : *routes) {
        if (sameText(route.uri, uri) && sameText(route.clientId, clientId))
            return route.connection;
    }
    return nullptr;
}

void WsBackendPool::send(const std::shared_ptr<MessageContext> &message,
                         const EndpointDefinition &endpoint,
                         const std::shared_ptr<const ClientTls> &tls)
{
    WsClientChannel *origin = WsClientChannel::of(message->responseChannel().get());
    const QString clientId = origin ? origin->connectionId() : QString();
    WsBackendConnection *connection = find(origin, clientId, endpoint.uri);

    if (terminateRequested(*message)) {
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
        std::shared_ptr<WsClientChannel> originPointer =
            origin ? std::static_pointer_cast<WsClientChannel>(message->responseChannel())
                   : nullptr;
        connection = new WsBackendConnection(options, std::move(originPointer),
                                             message->environmentPointer(), this);
        m_routes[connection->origin()].append(Route{clientId, endpoint.uri, connection});
        ++m_count;
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
    // A connection's routes are filed under its own client channel (send), so one lookup finds
    // them: walking every client's routes made closing N clients cost N² steps (2 % of the
    // proxy's CPU while 5 000 pairs closed).
    if (const auto routes = m_routes.find(connection->origin()); routes != m_routes.end()) {
        auto &list = routes.value();
        const auto found = std::find_if(list.begin(), list.end(), [connection](const Route &r) {
            return r.connection == connection;
        });
        if (found != list.end()) {
            list.erase(found);
            --m_count;
            if (list.isEmpty())
                m_routes.erase(routes);
        }
    }
    connection->deleteLater();
    HeapTrimmer::noteChurn();
}

} // namespace sluice
