// SPDX-License-Identifier: Apache-2.0
#include "endpoint_dispatch.h"

#include "artifacts/artifact_io.h"
#include "mediation/ascii_text.h"
#include "mediation/executor.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"
#include "mediation/message_formatter.h"
#include "run_support.h"

#include <QRegularExpression>

namespace sluice {

namespace {

// Reference chains longer than this are a loop (a -> b -> a) that validation did not catch.
constexpr int kMaxReferenceDepth = 16;

// The address an endpoint sends to when it is not its uri as written: an http endpoint's
// uri-template may hold {uri.var.name} placeholders, filled from the properties of the same name
// as Synapse does. Nothing for every other endpoint (no copy, no compare per message).
std::optional<QString> filledUriTemplate(const MessageContext &message,
                                         const EndpointDefinition &endpoint)
{
    if (endpoint.type != EndpointDefinition::Type::Http || !endpoint.uri.contains(QLatin1Char('{')))
        return std::nullopt;
    static const QRegularExpression variable =
        precompiledRegex(QStringLiteral("\\{(uri\\.var\\.[^{}]+)\\}"));
    QString uri = endpoint.uri;
    QRegularExpressionMatch match;
    qsizetype from = 0;
    while ((match = variable.match(uri, from)).hasMatch()) {
        const QString value = MessageContext::propertyText(message.property(match.captured(1)));
        uri.replace(match.capturedStart(), match.capturedLength(), value);
        from = match.capturedStart() + value.size();
    }
    return uri;
}

// The URI's scheme as it is written (compared without regard to case): no copy per message.
// Found with a plain loop rather than QString::indexOf, whose vectorised search is more code to
// fetch on every message than the two or three characters of a scheme take (docs/performance.md,
// "Code per message").
QStringView schemeOf(const QString &uri)
{
    const QChar *chars = uri.constData();
    for (qsizetype i = 0; i < uri.size(); ++i) {
        if (chars[i] == u':')
            return i > 0 ? QStringView(chars, i) : QStringView();
    }
    return QStringView();
}

} // namespace

std::optional<EndpointDefinition> readMediatorEndpoint(const XmlNode &element,
                                                       const MediatorBuildContext &context)
{
    const XmlNode *endpointElement = nullptr;
    for (const XmlNode &child : element.children) {
        if (!child.isElement() || child.name != QLatin1String("endpoint") ||
            child.namespaceUri != kSynapseNamespace)
            continue;
        if (endpointElement) {
            context.error(child.location,
                          QStringLiteral("<%1> has more than one <endpoint>").arg(element.name));
            continue;
        }
        endpointElement = &child;
    }
    if (!endpointElement)
        return std::nullopt;
    EndpointDefinition endpoint = readEndpoint(*endpointElement, context.diagnostics());
    if (endpoint.type == EndpointDefinition::Type::Reference && !endpoint.key.isEmpty()) {
        context.referenceEndpoint(endpoint.key, endpointElement->location);
    }
    return endpoint;
}

MediationResult dispatchToEndpoint(MessageContext &message, const EndpointDefinition *endpoint,
                                   MessageSender::Mode mode, const QString &who)
{
    const MediationEnvironment &environment = message.environment();
    for (int depth = 0; endpoint && endpoint->type == EndpointDefinition::Type::Reference;
         ++depth) {
        const QString key = endpoint->key;
        endpoint = depth < kMaxReferenceDepth ? environment.endpoint(key) : nullptr;
        if (!endpoint) {
            return failWith(message, ErrorCodes::kEndpointNotFound,
                            QStringLiteral("%1: the endpoint '%2' does not exist").arg(who, key));
        }
    }
    // No endpoint, or <default/>: the message goes where its To address points.
    std::optional<EndpointDefinition> implicit;
    if (!endpoint || endpoint->type == EndpointDefinition::Type::Default) {
        if (message.toAddress().isEmpty()) {
            return failWith(message, ErrorCodes::kSendFailure,
                            QStringLiteral("%1: there is no endpoint and the message has no To "
                                           "address")
                                .arg(who));
        }
        implicit = endpoint ? *endpoint : EndpointDefinition();
        implicit->type = EndpointDefinition::Type::Default;
        implicit->uri = message.toAddress();
        endpoint = &*implicit;
    }
    const std::optional<QString> filled = filledUriTemplate(message, *endpoint);
    const QString &uri = filled ? *filled : endpoint->uri;
    const QStringView scheme = schemeOf(uri);
    message.setToAddress(uri);

    const ProjectConfig &config = environment.config();
    const auto isScheme = [scheme](QLatin1String name) { return equalsAsciiNoCase(scheme, name); };
    if ((isScheme(QLatin1String("ws")) && !config.ws.enabled) ||
        (isScheme(QLatin1String("wss")) && !config.wss.enabled)) {
        return failWith(message, ErrorCodes::kSenderDisabled,
                        QStringLiteral("the WebSocket sender is disabled: set [transport.%1] "
                                       "sender.enable = true in deployment.toml")
                            .arg(scheme.toString().toLower()));
    }
    MessageSender *sender = scheme.isEmpty() ? nullptr : environment.sender(scheme);
    if (!sender) {
        return failWith(message, ErrorCodes::kSendFailure,
                        QStringLiteral("%1: no sender for the scheme '%2' of '%3'")
                            .arg(who, scheme.toString(), uri));
    }
    // The request leaves in the format messageType / ContentType ask for (MI's formatters).
    formatForTransport(message);
    // Senders connect to endpoint.uri: hand them the resolved one (copying only when a template
    // was filled in, to keep the common path free of copies).
    if (filled) {
        EndpointDefinition resolved = *endpoint;
        resolved.uri = uri;
        sender->send(message.shared_from_this(), resolved, mode);
    } else {
        sender->send(message.shared_from_this(), *endpoint, mode);
    }
    return mode == MessageSender::Mode::Call ? MediationResult::Suspend : MediationResult::Continue;
}

} // namespace sluice
