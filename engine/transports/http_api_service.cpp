// SPDX-License-Identifier: Apache-2.0
#include "http_api_service.h"

#include "http_mediation_support.h"

#include "http_request.h"
#include "http_response_channel.h"
#include "mediation/api_resource_pattern.h"
#include "mediation/executor.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediation/project_compiler.h"
#include "runtime/message_events.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <algorithm>

namespace sluice {

namespace {

const QString kApiKind = QStringLiteral("api");
const QByteArray kAllMethods = "GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS";

bool isTrue(const QVariant &value)
{
    return MessageContext::propertyText(value).compare(QLatin1String("true"),
                                                       Qt::CaseInsensitive) == 0;
}

struct ResourceRoute {
    QStringList methods; // upper case; empty: every method
    QString selector;    // the uri-template or url-mapping as written (API_ELECTED_RESOURCE)
    ApiResourcePattern pattern;
    std::shared_ptr<const CompiledSequence> inSequence;
    std::shared_ptr<const CompiledSequence> outSequence;
    QString faultSequence;

    bool accepts(const QByteArray &method) const
    {
        return methods.isEmpty() || methods.contains(QString::fromLatin1(method));
    }
};

struct ApiRoute {
    QString name;
    QString version;
    QByteArray context; // the path prefix: with the version where version-type puts it
    QString apiContext; // REST_API_CONTEXT: MI's context, without a url-type version
    QString hostname;   // when set, the Host header must name it
    int port = -1;      // when set, the Host header's port (80 when absent) must be it
    std::vector<ResourceRoute> resources;
};

// MI's version strategies: version-type="context" replaces {version} in the context,
// version-type="url" puts the version after the context as one more segment.
QString resolvedContext(const Api &api)
{
    if (api.version.isEmpty())
        return api.context;
    if (api.versionType == QLatin1String("url"))
        return api.context + QLatin1Char('/') + api.version;
    QString context = api.context;
    return context.replace(QLatin1String("{version}"), api.version);
}

QByteArray allowHeader(const std::vector<const ResourceRoute *> &matches)
{
    QStringList allowed;
    for (const ResourceRoute *resource : matches) {
        if (resource->methods.isEmpty())
            return kAllMethods;
        for (const QString &method : resource->methods) {
            if (!allowed.contains(method))
                allowed.append(method);
        }
    }
    if (allowed.contains(QLatin1String("GET")) && !allowed.contains(QLatin1String("HEAD")))
        allowed.append(QStringLiteral("HEAD"));
    if (!allowed.contains(QLatin1String("OPTIONS")))
        allowed.append(QStringLiteral("OPTIONS"));
    return allowed.join(QLatin1String(", ")).toLatin1();
}

void setRequestProperties(MessageContext &message, const ApiRoute &api,
                          const ResourceRoute &resource, const HttpRequest &request,
                          const QString &subPath, const ApiResourcePattern::Variables &variables)
{
    const QString contentType = QString::fromUtf8(request.header("Content-Type"));
    message.setReceivedPayload(request.body, contentType,
                               httpBodyFrameKind(contentType, request.body));
    message.setChannelId(QStringLiteral("http-%1").arg(request.connectionId));
    message.setArtifactName(api.name);
    message.setToAddress(QString::fromUtf8(request.target));
    for (const auto &[name, value] : request.headers)
        message.setProperty(QString::fromUtf8(name), QString::fromUtf8(value),
                            PropertyScope::Transport);
    const QString method = QString::fromUtf8(request.method);
    message.setProperty(QStringLiteral("HTTP_METHOD"), method, PropertyScope::Axis2);
    message.setProperty(QStringLiteral("REST_METHOD"), method);
    message.setProperty(QStringLiteral("TRANSPORT_IN_NAME"),
                        request.secure ? QStringLiteral("https") : QStringLiteral("http"),
                        PropertyScope::Axis2);
    message.setProperty(QStringLiteral("REMOTE_ADDR"), request.remoteAddress.toString(),
                        PropertyScope::Axis2);
    if (!contentType.isEmpty())
        message.setProperty(QStringLiteral("ContentType"), contentType, PropertyScope::Axis2);
    const QString query = QString::fromUtf8(request.query);
    const QString subRequest = query.isEmpty() ? subPath : subPath + QLatin1Char('?') + query;
    message.setProperty(QStringLiteral("SYNAPSE_REST_API"), api.name);
    if (!api.version.isEmpty())
        message.setProperty(QStringLiteral("SYNAPSE_REST_API_VERSION"), api.version);
    message.setProperty(QStringLiteral("REST_API_CONTEXT"), api.apiContext);
    message.setProperty(QStringLiteral("REST_FULL_REQUEST_PATH"),
                        QString::fromUtf8(request.target));
    message.setProperty(QStringLiteral("REST_SUB_REQUEST_PATH"), subRequest);
    message.setProperty(QStringLiteral("REST_URL_POSTFIX"), subRequest, PropertyScope::Axis2);
    if (!resource.selector.isEmpty())
        message.setProperty(QStringLiteral("API_ELECTED_RESOURCE"), resource.selector);
    for (const auto &[name, value] : variables)
        message.setProperty(QStringLiteral("uri.var.") + name, value);
    // MI keeps the first value of a parameter sent twice.
    for (const auto &[name, value] : ApiResourcePattern::queryParameters(query)) {
        const QString property = QStringLiteral("query.param.") + name;
        if (!message.hasProperty(property))
            message.setProperty(property, value);
    }
}

// Synapse's API.canProcess(): hostname and port restrict an API to requests whose Host header
// names them; without a Host header such an API serves nothing.
bool hostMatches(const ApiRoute &api, const HttpRequest &request)
{
    if (api.hostname.isEmpty() && api.port < 0)
        return true;
    if (!request.hasHeader("Host"))
        return false;
    const QString host = QString::fromUtf8(request.header("Host")).trimmed();
    const qsizetype colon = host.lastIndexOf(QLatin1Char(':'));
    const bool hasPort = colon >= 0 && !host.endsWith(QLatin1Char(']'));
    const QString name = hasPort ? host.left(colon) : host;
    const int port = hasPort ? host.mid(colon + 1).toInt() : 80;
    if (!api.hostname.isEmpty() && api.hostname.compare(name, Qt::CaseInsensitive) != 0)
        return false;
    return api.port < 0 || api.port == port;
}

void serve(const ApiRoute &api, const std::shared_ptr<const MediationEnvironment> &environment,
           const HttpRequest &request, const HttpResponder &incoming)
{
    HttpResponder responder = incoming; // may learn to trace its answer (traceHttpExchange)
    if (!hostMatches(api, request)) {
        responder.respond(
            404, "application/json",
            httpJsonError(404,
                          QStringLiteral("API '%1' does not serve the host '%2'")
                              .arg(api.name, QString::fromUtf8(request.header("Host"))),
                          request.path));
        return;
    }
    QString subPath = QString::fromUtf8(request.path.mid(api.context.size()));
    if (subPath.isEmpty())
        subPath = QStringLiteral("/");
    const QString query = QString::fromUtf8(request.query);
    std::vector<const ResourceRoute *> pathMatches;
    const ResourceRoute *chosen = nullptr;
    ApiResourcePattern::Variables variables;
    for (const ResourceRoute &resource : api.resources) {
        ApiResourcePattern::Variables found;
        if (!resource.pattern.match(subPath, query, &found))
            continue;
        pathMatches.push_back(&resource);
        if (!chosen && resource.accepts(request.method)) {
            chosen = &resource;
            variables = found;
        }
    }
    if (!chosen && request.method == "HEAD") {
        for (const ResourceRoute *resource : pathMatches) {
            if (resource->accepts("GET")) {
                chosen = resource;
                resource->pattern.match(subPath, query, &variables);
                break;
            }
        }
    }
    if (!chosen) {
        if (pathMatches.empty()) {
            responder.respond(404, "application/json",
                              httpJsonError(404,
                                            QStringLiteral("no resource of API '%1' matches the "
                                                           "path")
                                                .arg(api.name),
                                            request.path));
            return;
        }
        HttpResponse response;
        response.headers.append(qMakePair(QByteArray("Allow"), allowHeader(pathMatches)));
        if (request.method == "OPTIONS") {
            response.status = 200;
        } else {
            response.status = 405;
            response.headers.append(
                qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
            response.body = httpJsonError(405,
                                          QStringLiteral("the resource of API '%1' at this path "
                                                         "does not accept %2")
                                              .arg(api.name, QString::fromUtf8(request.method)),
                                          request.path);
        }
        responder.respond(std::move(response));
        return;
    }
    if (!chosen->inSequence) {
        responder.respond(501, "application/json",
                          httpJsonError(0, QStringLiteral("the resource of API '%1' has no "
                                                          "inSequence")
                                               .arg(api.name)));
        return;
    }
    auto message = MessageContext::create(environment);
    setRequestProperties(*message, api, *chosen, request, subPath, variables);
    // The request's events and those of its mediation share the time it was taken up.
    const MessageEventTimeScope eventTime(MessageEventHub::active(*environment));
    traceHttpExchange(*message, request, responder);
    message->setResponseChannel(std::make_shared<HttpResponseChannel>(responder));
    message->setOutSequence(chosen->outSequence);
    message->setCompletionHandler([responder](MessageContext &finished) {
        answerUnansweredHttp(finished, responder,
                             QStringLiteral("API '%1'").arg(finished.artifactName()));
    });
    Executor::start(message, chosen->inSequence, chosen->faultSequence);
    if (responder.isWaiting() &&
        isTrue(message->property(QStringLiteral("FORCE_SC_ACCEPTED"), PropertyScope::Axis2)))
        responder.respond(202, QByteArray(), QByteArray());
}

} // namespace

void addApiRoutes(HttpRoutes &routes,
                  const std::shared_ptr<const MediationEnvironment> &environment, bool secure)
{
    for (const Api &api : environment->artifacts().apis) {
        // transports="https" keeps the API off the plain HTTP listener, "http" off the HTTPS one.
        if (api.transports == (secure ? QLatin1String("http") : QLatin1String("https")))
            continue;
        auto route = std::make_shared<ApiRoute>();
        route->name = api.name;
        route->version = api.version;
        route->context = resolvedContext(api).toUtf8();
        route->hostname = api.hostname;
        if (!api.port.isEmpty())
            route->port = api.port.toInt();
        route->apiContext =
            api.versionType == QLatin1String("url") ? api.context : resolvedContext(api);
        for (size_t i = 0; i < api.resources.size(); ++i) {
            const ApiResource &resource = api.resources[i];
            QString error;
            std::optional<ApiResourcePattern> pattern =
                ApiResourcePattern::parse(resource.uriTemplate, resource.urlMapping, &error);
            if (!pattern) // the compiler reported it; a deployed project has none
                continue;
            ResourceRoute target{};
            for (const QString &method : resource.methods)
                target.methods.append(method.toUpper());
            target.selector =
                resource.uriTemplate.isEmpty() ? resource.urlMapping : resource.uriTemplate;
            target.pattern = std::move(*pattern);
            const QString owner = api.name + QLatin1Char(':') + QString::number(i);
            if (resource.inSequence.isSet()) {
                target.inSequence = environment->sequence(sequenceReferenceName(
                    resource.inSequence, kApiKind, owner, QStringLiteral("inSequence")));
            }
            if (resource.outSequence.isSet()) {
                target.outSequence = environment->sequence(sequenceReferenceName(
                    resource.outSequence, kApiKind, owner, QStringLiteral("outSequence")));
            }
            if (resource.faultSequence.isSet()) {
                target.faultSequence = sequenceReferenceName(
                    resource.faultSequence, kApiKind, owner, QStringLiteral("faultSequence"));
            }
            route->resources.push_back(std::move(target));
        }
        std::stable_sort(route->resources.begin(), route->resources.end(),
                         [](const ResourceRoute &a, const ResourceRoute &b) {
                             return a.pattern.dispatchOrder() < b.pattern.dispatchOrder();
                         });
        routes.add(route->context, [route, environment](const HttpRequest &request,
                                                        const HttpResponder &responder) {
            serve(*route, environment, request, responder);
        });
    }
}

} // namespace sluice
