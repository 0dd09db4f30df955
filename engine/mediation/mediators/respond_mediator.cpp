// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediator_factories.h"
#include "run_support.h"

namespace sluice {

namespace {

// <respond/>: the message goes back to the client it came from, and the flow ends.
class RespondMediator : public Mediator {
public:
    explicit RespondMediator(SourceLocation location)
        : Mediator(std::move(location))
    {
        declareForwardStep({.kind = ForwardStep::Kind::Responds});
    }
    QString elementName() const override { return QStringLiteral("respond"); }
    MediationResult mediate(MessageContext &message) const override
    {
        return respondToClient(message, QStringLiteral("respond"));
    }
};

} // namespace

std::unique_ptr<Mediator> buildRespondMediator(const XmlNode &element,
                                               const MediatorBuildContext &context)
{
    context.checkAttributes(element, {QStringLiteral("description")});
    checkChildElements(element, context, {});
    return std::make_unique<RespondMediator>(element.location);
}

} // namespace sluice
