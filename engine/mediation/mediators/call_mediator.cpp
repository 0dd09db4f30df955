// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "endpoint_dispatch.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"

namespace sluice {

namespace {

// <call>: sends the message and suspends the flow until the sender resumes it with the reply
// in the message (or with a fault). The event loop is never blocked while it waits.
class CallMediator : public Mediator {
public:
    CallMediator(SourceLocation location, std::optional<EndpointDefinition> endpoint)
        : Mediator(std::move(location))
        , m_endpoint(std::move(endpoint))
    {
    }
    QString elementName() const override { return QStringLiteral("call"); }

    MediationResult mediate(MessageContext &message) const override
    {
        return dispatchToEndpoint(message, m_endpoint ? &*m_endpoint : nullptr,
                                  MessageSender::Mode::Call, QStringLiteral("call"));
    }

private:
    std::optional<EndpointDefinition> m_endpoint;
};

} // namespace

std::unique_ptr<Mediator> buildCallMediator(const XmlNode &element,
                                            const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    context.checkAttributes(element, {QStringLiteral("blocking"), QStringLiteral("description")});
    for (const XmlNode *child : element.childElements()) {
        if (child->namespaceUri == kSynapseNamespace &&
            (child->name == QLatin1String("source") || child->name == QLatin1String("target"))) {
            context.error(child->location,
                          QStringLiteral("<%1> in <call> is not supported; use <enrich> or "
                                         "<property> before and after the call instead")
                              .arg(child->name));
        } else if (child->name != QLatin1String("endpoint") ||
                   child->namespaceUri != kSynapseNamespace) {
            context.error(child->location,
                          QStringLiteral("unknown element <%1> in <call>").arg(child->name));
        }
    }
    // A blocking call would hold the worker thread, and every connection on it, until the
    // backend answers: refused rather than silently made non-blocking.
    if (boolAttribute(element, QStringLiteral("blocking"), false, context)) {
        context.error(element.attributeLocation(QStringLiteral("blocking")),
                      QStringLiteral("blocking calls are not supported; they would stall the "
                                     "event loop"));
    }
    std::optional<EndpointDefinition> endpoint = readMediatorEndpoint(element, context);
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<CallMediator>(element.location, std::move(endpoint));
}

} // namespace sluice
