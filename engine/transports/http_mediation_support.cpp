// SPDX-License-Identifier: Apache-2.0
#include "http_mediation_support.h"

#include "http_request.h"
#include "http_responder.h"
#include "http_sender.h"
#include "mediation/executor.h"
#include "mediation/mediation_environment.h"
#include "runtime/message_events.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace sluice {

namespace {

bool isTrue(const QVariant &value)
{
    return MessageContext::propertyText(value).compare(QLatin1String("true"),
                                                       Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArray httpJsonError(int code, const QString &message, const QByteArray &path)
{
    QJsonObject error;
    error.insert(QStringLiteral("error"), message);
    error.insert(QStringLiteral("code"), code);
    if (!path.isEmpty())
        error.insert(QStringLiteral("path"), QString::fromUtf8(path));
    return QJsonDocument(error).toJson(QJsonDocument::Compact);
}

FrameKind httpBodyFrameKind(const QString &contentType, const QByteArray &body)
{
    if (contentType.section(QLatin1Char(';'), 0, 0)
            .trimmed()
            .compare(QLatin1String("application/octet-stream"), Qt::CaseInsensitive) == 0)
        return FrameKind::Binary;
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = utf8.decode(body);
    Q_UNUSED(decoded);
    return utf8.hasError() ? FrameKind::Binary : FrameKind::Text;
}

int httpStatusForFault(int errorCode)
{
    switch (errorCode) {
    case ErrorCodes::kConnectionTimeout:
        return 504;
    case ErrorCodes::kConnectionFailed:
    case ErrorCodes::kConnectionClosed:
    case 101500: // sender input/output error
        return 502;
    default:
        return 500;
    }
}

void answerUnansweredHttp(MessageContext &message, const HttpResponder &responder,
                          const QString &what)
{
    // A `send` to an HTTP backend answers later, from the out path.
    if (!responder.isWaiting() || message.hasProperty(kHttpReplyPending, PropertyScope::Axis2))
        return;
    if (isTrue(message.property(QStringLiteral("OUT_ONLY"))) ||
        isTrue(message.property(QStringLiteral("FORCE_SC_ACCEPTED"), PropertyScope::Axis2))) {
        responder.respond(202, QByteArray(), QByteArray());
        return;
    }
    if (message.hasFault() || message.hasProperty(kErrorCode)) {
        bool ok = false;
        const int code = MessageContext::propertyText(message.property(kErrorCode)).toInt(&ok);
        responder.respond(httpStatusForFault(ok ? code : 0), "application/json",
                          httpJsonError(ok ? code : 0, MessageContext::propertyText(
                                                           message.property(kErrorMessage))));
        return;
    }
    responder.respond(
        502, "application/json",
        httpJsonError(0, QStringLiteral("%1 ended its mediation without a response").arg(what)));
}

void traceHttpExchange(const MessageContext &message, const HttpRequest &request,
                       HttpResponder &responder)
{
    MessageEventHub *hub = MessageEventHub::active(message.environment());
    if (!hub)
        return;
    hub->emitFrame(
        MessageEventKind::FrameIn, EventPeer::Client, message.channelId(), message.messageId(),
        message.artifactName(),
        message.frameKind() == FrameKind::Binary ? EventOpcode::Binary : EventOpcode::Text,
        request.body,
        QString::fromLatin1(request.method) + QLatin1Char(' ') + QString::fromUtf8(request.target));
    responder.traceAnswers(hub, message);
}

} // namespace sluice
