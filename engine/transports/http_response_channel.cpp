// SPDX-License-Identifier: Apache-2.0
#include "http_response_channel.h"

#include "mediation/message_formatter.h"
#include "runtime/logger.h"

#include <QSet>

namespace sluice {

namespace {

// Request headers that describe the request's own framing or the client, not the answer: they
// stay in the transport scope (readable as $trp:) but are not echoed back.
bool isRequestOnlyHeader(const QString &name)
{
    static const QSet<QString> names = {
        QStringLiteral("host"),
        QStringLiteral("content-length"),
        QStringLiteral("content-type"),
        QStringLiteral("transfer-encoding"),
        QStringLiteral("connection"),
        QStringLiteral("keep-alive"),
        QStringLiteral("expect"),
        QStringLiteral("te"),
        QStringLiteral("upgrade"),
        QStringLiteral("user-agent"),
        QStringLiteral("accept"),
        QStringLiteral("accept-encoding"),
        QStringLiteral("accept-language"),
        QStringLiteral("authorization"),
        QStringLiteral("cookie"),
    };
    return names.contains(name.toLower());
}

bool isTrue(const QVariant &value)
{
    return MessageContext::propertyText(value).compare(QLatin1String("true"),
                                                       Qt::CaseInsensitive) == 0;
}

} // namespace

HttpResponse HttpResponseChannel::responseFor(const MessageContext &message)
{
    HttpResponse response;
    bool statusOk = false;
    const int status = MessageContext::propertyText(
                           message.property(QStringLiteral("HTTP_SC"), PropertyScope::Axis2))
                           .toInt(&statusOk);
    response.status = statusOk && status >= 100 && status <= 599 ? status : 200;

    // respond wrote the body in this format (formatForTransport, message_formatter.h).
    const QString contentType = outgoingContentType(message);

    const PropertyMap &headers = message.properties(PropertyScope::Transport);
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
        if (!isRequestOnlyHeader(it.key()))
            response.headers.append(
                {it.key().toUtf8(), MessageContext::propertyText(it.value()).toUtf8()});
    }
    if (isTrue(message.property(QStringLiteral("NO_ENTITY_BODY"), PropertyScope::Axis2)))
        return response;
    response.body = message.payload();
    if (!contentType.isEmpty())
        response.headers.append({QByteArrayLiteral("Content-Type"), contentType.toUtf8()});
    return response;
}

void HttpResponseChannel::respond(MessageContext &message)
{
    if (!m_responder.respond(responseFor(message))) {
        Logger::instance().log(LogLevel::Info, QStringLiteral("http-proxy"),
                               QStringLiteral("%1: message %2 not answered: the request was "
                                              "answered already or its client is gone")
                                   .arg(message.channelId())
                                   .arg(message.messageId()));
    }
}

} // namespace sluice
