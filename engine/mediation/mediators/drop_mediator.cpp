// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediator_factories.h"

#include "mediation/message_context.h"

namespace sluice {

namespace {

// <drop/>: the flow ends here and nothing is sent. On the request path MI still acknowledges
// a waiting HTTP client with 202 Accepted; marking the message FORCE_SC_ACCEPTED does that
// (docs/http.md, "Proxy services") and means nothing to other transports.
class DropMediator : public Mediator {
public:
    using Mediator::Mediator;
    QString elementName() const override { return QStringLiteral("drop"); }
    MediationResult mediate(MessageContext &message) const override
    {
        if (message.direction() == Direction::Inflow)
            message.setProperty(QStringLiteral("FORCE_SC_ACCEPTED"), QStringLiteral("true"),
                                PropertyScope::Axis2);
        return MediationResult::Stop;
    }
};

} // namespace

std::unique_ptr<Mediator> buildDropMediator(const XmlNode &element,
                                            const MediatorBuildContext &context)
{
    context.checkAttributes(element, {QStringLiteral("description")});
    checkChildElements(element, context, {});
    return std::make_unique<DropMediator>(element.location);
}

} // namespace sluice
