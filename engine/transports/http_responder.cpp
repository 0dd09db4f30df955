// SPDX-License-Identifier: Apache-2.0
#include "http_responder.h"

#include "http_connection.h"
#include "mediation/message_context.h"
#include "runtime/message_events.h"

namespace sluice {

QByteArray HttpResponse::standardReason(int status)
{
    switch (status) {
    case 100:
        return QByteArrayLiteral("Continue");
    case 200:
        return QByteArrayLiteral("OK");
    case 201:
        return QByteArrayLiteral("Created");
    case 202:
        return QByteArrayLiteral("Accepted");
    case 204:
        return QByteArrayLiteral("No Content");
    case 301:
        return QByteArrayLiteral("Moved Permanently");
    case 302:
        return QByteArrayLiteral("Found");
    case 304:
        return QByteArrayLiteral("Not Modified");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 408:
        return QByteArrayLiteral("Request Timeout");
    case 413:
        return QByteArrayLiteral("Content Too Large");
    case 415:
        return QByteArrayLiteral("Unsupported Media Type");
    case 417:
        return QByteArrayLiteral("Expectation Failed");
    case 431:
        return QByteArrayLiteral("Request Header Fields Too Large");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 501:
        return QByteArrayLiteral("Not Implemented");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    case 504:
        return QByteArrayLiteral("Gateway Timeout");
    case 505:
        return QByteArrayLiteral("HTTP Version Not Supported");
    default:
        return status < 400 ? QByteArrayLiteral("OK") : QByteArrayLiteral("Error");
    }
}

HttpResponder::HttpResponder(HttpConnection *connection, quint64 serial)
    : m_connection(connection)
    , m_serial(serial)
{
}

bool HttpResponder::respond(HttpResponse response) const
{
    if (!m_connection)
        return false;
    if (!m_trail || !m_trail->hub->enabled())
        return m_connection->answer(m_serial, std::move(response));
    // The event first: once the answer is written the client may act on it (and read the
    // events) before this thread gets on. Only an answer that will be written is recorded.
    if (!isWaiting())
        return false;
    const QByteArray reason =
        response.reason.isEmpty() ? HttpResponse::standardReason(response.status) : response.reason;
    m_trail->hub->emitFrame(
        MessageEventKind::FrameOut, EventPeer::Client, m_trail->connectionId, m_trail->messageId,
        m_trail->artifact, EventOpcode::Text, response.body,
        QStringLiteral("HTTP %1 %2").arg(response.status).arg(QString::fromLatin1(reason)));
    return m_connection->answer(m_serial, std::move(response));
}

void HttpResponder::traceAnswers(MessageEventHub *hub, const MessageContext &message)
{
    if (hub)
        m_trail = std::make_shared<const Trail>(
            Trail{hub, message.channelId(), message.artifactName(), message.messageId()});
}

bool HttpResponder::respond(int status, const QByteArray &contentType, const QByteArray &body) const
{
    HttpResponse response;
    response.status = status;
    if (!contentType.isEmpty())
        response.headers.emplaceBack(QByteArrayLiteral("Content-Type"), contentType);
    response.body = body;
    return respond(std::move(response));
}

bool HttpResponder::isWaiting() const
{
    return m_connection && m_connection->isWaiting(m_serial);
}

} // namespace sluice
