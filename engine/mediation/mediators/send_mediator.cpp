// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "endpoint_dispatch.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"
#include "run_support.h"

namespace sluice {

namespace {

// Synapse's property for the sequence that receives the replies of this send.
const QString kReceivingSequence = QStringLiteral("RECEIVING_SEQUENCE");

bool isWebSocketUri(const QString &uri)
{
    return uri.startsWith(QLatin1String("ws://"), Qt::CaseInsensitive) ||
           uri.startsWith(QLatin1String("wss://"), Qt::CaseInsensitive);
}

// <send>: hands the message to an endpoint and goes on (replies come back as new messages).
// Without an endpoint, a response goes back to the client and a request to its To address.
class SendMediator : public Mediator {
public:
    SendMediator(SourceLocation location, std::optional<EndpointDefinition> endpoint,
                 QString receive)
        : Mediator(std::move(location))
        , m_endpoint(std::move(endpoint))
        , m_receive(std::move(receive))
    {
        // To an inline WebSocket address, with the replies left to the outflow sequence: a step
        // a forwarding flow can take (forward_plan.h).
        if (m_endpoint && m_endpoint->type == EndpointDefinition::Type::Address &&
            m_receive.isEmpty() && isWebSocketUri(m_endpoint->uri))
            declareForwardStep({.kind = ForwardStep::Kind::Sends, .endpoint = &*m_endpoint});
    }
    QString elementName() const override { return QStringLiteral("send"); }

    MediationResult mediate(MessageContext &message) const override
    {
        if (!m_endpoint && message.direction() == Direction::Outflow)
            return respondToClient(message, QStringLiteral("send"));
        if (!m_receive.isEmpty())
            message.setProperty(kReceivingSequence, m_receive);
        return dispatchToEndpoint(message, m_endpoint ? &*m_endpoint : nullptr,
                                  MessageSender::Mode::Send, QStringLiteral("send"));
    }

private:
    std::optional<EndpointDefinition> m_endpoint;
    QString m_receive;
};

} // namespace

std::unique_ptr<Mediator> buildSendMediator(const XmlNode &element,
                                            const MediatorBuildContext &context)
{
    const int errors = context.diagnostics().errorCount();
    context.checkAttributes(element, {QStringLiteral("receive"), QStringLiteral("buildmessage"),
                                      QStringLiteral("description")});
    checkChildElements(element, context, {QStringLiteral("endpoint")});
    // buildmessage only forces early parsing in Synapse; payloads here are parsed on demand.
    boolAttribute(element, QStringLiteral("buildmessage"), false, context);
    const QString receive = element.attribute(QStringLiteral("receive"));
    if (!receive.isEmpty())
        context.referenceSequence(receive, element.location);
    std::optional<EndpointDefinition> endpoint = readMediatorEndpoint(element, context);
    if (hasErrorsSince(context, errors))
        return nullptr;
    return std::make_unique<SendMediator>(element.location, std::move(endpoint), receive);
}

} // namespace sluice
