// SPDX-License-Identifier: Apache-2.0
#include "http_proxy_service.h"

#include "http_api_service.h"
#include "http_mediation_support.h"
#include "http_request.h"
#include "http_response_channel.h"
#include "http_sender.h"
#include "mediation/executor.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediation/project_compiler.h"
#include "runtime/logger.h"
#include "runtime/message_events.h"

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
bool servesTransport(const ProxyService &proxy, bool secure)
{
    return proxy.transports.isEmpty() ||
           proxy.transports.contains(secure ? QLatin1String("https") : QLatin1String("http"));
}

// What one proxy needs per request, resolved once per deployment.
struct ProxyRoute {
    QString name;
    QByteArray prefix; // "/services/name"
    std::shared_ptr<const CompiledSequence> inSequence;
    std::shared_ptr<const CompiledSequence> outSequence;
    QString faultSequence; // compiled name; empty: the sequence's onError, then "fault"
};

void serve(const ProxyRoute &route, const std::shared_ptr<const MediationEnvironment> &environment,
           const HttpRequest &request, const HttpResponder &incoming)
{
    HttpResponder responder = incoming; // may learn to trace its answer (traceHttpExchange)
    if (!route.inSequence) {
        responder.respond(501, "application/json",
                          httpJsonError(0, QStringLiteral("proxy '%1' has no inSequence; proxies "
                                                          "that only name an endpoint are not "
                                                          "supported yet")
                                               .arg(route.name)));
        return;
    }
    auto message = MessageContext::create(environment);
    const QString contentType = QString::fromUtf8(request.header("Content-Type"));
    message->setReceivedPayload(request.body, contentType,
                                httpBodyFrameKind(contentType, request.body));
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
    message->setProperty(QStringLiteral("TRANSPORT_IN_NAME"),
                         request.secure ? QStringLiteral("https") : QStringLiteral("http"),
                         PropertyScope::Axis2);
    message->setProperty(QStringLiteral("REMOTE_ADDR"), request.remoteAddress.toString(),
                         PropertyScope::Axis2);
    if (!contentType.isEmpty())
        message->setProperty(QStringLiteral("ContentType"), contentType, PropertyScope::Axis2);
    // The request's events and those of its mediation share the time it was taken up.
    const MessageEventTimeScope eventTime(MessageEventHub::active(*environment));
    traceHttpExchange(*message, request, responder);
    message->setResponseChannel(std::make_shared<HttpResponseChannel>(responder));
    message->setOutSequence(route.outSequence);
    message->setCompletionHandler([responder](MessageContext &finished) {
        answerUnansweredHttp(finished, responder,
                             QStringLiteral("proxy '%1'").arg(finished.artifactName()));
    });
    Executor::start(message, route.inSequence, route.faultSequence);
    // A flow suspended at a call still answers 202 at once when asked to (MI sends the
    // acknowledgement as soon as the in-flow returns).
    if (responder.isWaiting() &&
        isTrue(message->property(QStringLiteral("FORCE_SC_ACCEPTED"), PropertyScope::Axis2)))
        responder.respond(202, QByteArray(), QByteArray());
}

} // namespace

std::shared_ptr<const HttpRoutes>
buildProxyServiceRoutes(std::shared_ptr<const MediationEnvironment> environment, bool secure)
{
    auto routes = std::make_shared<HttpRoutes>();
    for (const ProxyService &proxy : environment->artifacts().proxyServices) {
        if (!proxy.startOnLoad || !servesTransport(proxy, secure))
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
    addApiRoutes(*routes, environment, secure);
    return routes;
}

bool needsHttpListener(const MediationEnvironment &environment)
{
    return !environment.artifacts().proxyServices.empty() || !environment.artifacts().apis.empty();
}

HttpsNeed httpsListenerNeed(const ArtifactSet &artifacts)
{
    HttpsNeed need;
    auto require = [&need](const QString &artifact, const SourceLocation &location) {
        if (need.required)
            return;
        need.required = true;
        need.artifact = artifact;
        need.location = location;
    };
    for (const ProxyService &proxy : artifacts.proxyServices) {
        if (!proxy.startOnLoad)
            continue;
        const bool https = proxy.transports.contains(QLatin1String("https"));
        const bool http = proxy.transports.contains(QLatin1String("http"));
        if (https && !http)
            require(QStringLiteral("proxy '%1'").arg(proxy.name), proxy.location);
        else if (https || proxy.transports.isEmpty())
            need.servesAny = true;
    }
    for (const Api &api : artifacts.apis) {
        if (api.transports == QLatin1String("https"))
            require(QStringLiteral("api '%1'").arg(api.name), api.location);
        else if (api.transports.isEmpty())
            need.servesAny = true;
    }
    return need;
}

} // namespace sluice
