// SPDX-License-Identifier: Apache-2.0
#include "http_proxy_service.h"

#include "http_api_service.h"
#include "http_request.h"
#include "http_response_channel.h"
#include "http_sender.h"
#include "mediation/executor.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediation/project_compiler.h"
#include "runtime/logger.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QUrl>

namespace sluice {

namespace {

const QString kCategory = QStringLiteral("http-proxy");
const QString kProxyKind = QStringLiteral("proxy");

bool isTrue(const QVariant &value)
{
    return MessageContext::propertyText(value).compare(QLatin1String("true"),
                                                       Qt::CaseInsensitive) == 0;
}

// MI: a proxy without a transports attribute takes every enabled transport.
bool servesHttp(const ProxyService &proxy)
{
    return proxy.transports.isEmpty() || proxy.transports.contains(QLatin1String("http"));
}

QByteArray jsonError(int code, const QString &message)
{
    QJsonObject error;
    error.insert(QStringLiteral("error"), message);
    error.insert(QStringLiteral("code"), code);
    return QJsonDocument(error).toJson(QJsonDocument::Compact);
}

// How the body leaves on a WebSocket: MI's sender writes application/octet-stream as a binary
// frame and everything else as text; a body that is not UTF-8 goes binary too, since a text frame
// cannot carry it unchanged.
FrameKind frameKindOf(const QString &contentType, const QByteArray &body)
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

// What one proxy needs per request, resolved once per deployment.
struct ProxyRoute {
    QString name;
    QByteArray prefix; // "/services/name"
    std::shared_ptr<const CompiledSequence> inSequence;
    std::shared_ptr<const CompiledSequence> outSequence;
    QString faultSequence; // compiled name; empty: the sequence's onError, then "fault"
};

// MI's gateway answers: 504 when the backend timed out, 502 when it could not be reached or
// failed on the wire, 500 for any other fault.
int statusForFault(int errorCode)
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

// The answer for a request whose flow ended without `respond`: MI answers 202 to OUT_ONLY and
// FORCE_SC_ACCEPTED messages; a fault that nobody answered becomes 500, anything else 502 (no
// response can come any more), each with a JSON body, so that no client waits forever.
void answerUnanswered(MessageContext &message, const HttpResponder &responder)
{
    // A `send` to an HTTP backend answers later, from the outSequence.
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
        responder.respond(statusForFault(ok ? code : 0), "application/json",
                          jsonError(ok ? code : 0,
                                    MessageContext::propertyText(message.property(kErrorMessage))));
        return;
    }
    responder.respond(502, "application/json",
                      jsonError(0, QStringLiteral("proxy '%1' ended its mediation without a "
                                                  "response")
                                       .arg(message.artifactName())));
}

void serve(const ProxyRoute &route, const std::shared_ptr<const MediationEnvironment> &environment,
           const HttpRequest &request, const HttpResponder &responder)
{
    if (!route.inSequence) {
        responder.respond(501, "application/json",
                          jsonError(0, QStringLiteral("proxy '%1' has no inSequence; proxies "
                                                      "that only name an endpoint are not "
                                                      "supported yet")
                                           .arg(route.name)));
        return;
    }
    auto message = std::make_shared<MessageContext>(environment);
    const QString contentType = QString::fromUtf8(request.header("Content-Type"));
    message->setReceivedPayload(request.body, contentType, frameKindOf(contentType, request.body));
    message->setChannelId(QStringLiteral("http-%1").arg(request.connectionId));
    message->setArtifactName(route.name);
    message->setToAddress(QString::fromUtf8(request.target));
    for (const auto &[name, value] : request.headers)
        message->setProperty(QString::fromUtf8(name), QString::fromUtf8(value),
                             PropertyScope::Transport);
    message->setProperty(QStringLiteral("HTTP_METHOD"), QString::fromUtf8(request.method),
                         PropertyScope::Axis2);
    QByteArray postfix = request.path.mid(route.prefix.size());
    if (!request.query.isEmpty())
        postfix += '?' + request.query;
    if (!postfix.isEmpty())
        message->setProperty(QStringLiteral("REST_URL_POSTFIX"), QString::fromUtf8(postfix),
                             PropertyScope::Axis2);
    message->setProperty(QStringLiteral("TRANSPORT_IN_NAME"), QStringLiteral("http"),
                         PropertyScope::Axis2);
    message->setProperty(QStringLiteral("REMOTE_ADDR"), request.remoteAddress.toString(),
                         PropertyScope::Axis2);
    if (!contentType.isEmpty())
        message->setProperty(QStringLiteral("ContentType"), contentType, PropertyScope::Axis2);
    message->setResponseChannel(std::make_shared<HttpResponseChannel>(responder));
    message->setOutSequence(route.outSequence);
    message->setCompletionHandler(
        [responder](MessageContext &finished) { answerUnanswered(finished, responder); });
    Executor::start(message, route.inSequence, route.faultSequence);
    // A flow suspended at a call still answers 202 at once when asked to (MI sends the
    // acknowledgement as soon as the in-flow returns).
    if (responder.isWaiting() &&
        isTrue(message->property(QStringLiteral("FORCE_SC_ACCEPTED"), PropertyScope::Axis2)))
        responder.respond(202, QByteArray(), QByteArray());
}

} // namespace

std::shared_ptr<const HttpRoutes>
buildProxyServiceRoutes(std::shared_ptr<const MediationEnvironment> environment)
{
    auto routes = std::make_shared<HttpRoutes>();
    for (const ProxyService &proxy : environment->artifacts().proxyServices) {
        if (!proxy.startOnLoad || !servesHttp(proxy))
            continue;
        auto route = std::make_shared<ProxyRoute>();
        route->name = proxy.name;
        route->prefix = "/services/" + QUrl::toPercentEncoding(proxy.name);
        const ProxyTarget &target = proxy.target;
        if (target.inSequence.isSet()) {
            route->inSequence = environment->sequence(sequenceReferenceName(
                target.inSequence, kProxyKind, proxy.name, QStringLiteral("inSequence")));
        }
        if (target.outSequence.isSet()) {
            route->outSequence = environment->sequence(sequenceReferenceName(
                target.outSequence, kProxyKind, proxy.name, QStringLiteral("outSequence")));
        }
        if (target.faultSequence.isSet()) {
            route->faultSequence = sequenceReferenceName(
                target.faultSequence, kProxyKind, proxy.name, QStringLiteral("faultSequence"));
        }
        routes->add(route->prefix, [route, environment](const HttpRequest &request,
                                                        const HttpResponder &responder) {
            serve(*route, environment, request, responder);
        });
    }
    addApiRoutes(*routes, environment);
    return routes;
}

bool needsHttpListener(const MediationEnvironment &environment)
{
    return !environment.artifacts().proxyServices.empty() || !environment.artifacts().apis.empty();
}

} // namespace sluice
