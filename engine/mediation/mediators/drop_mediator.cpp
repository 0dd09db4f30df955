// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediator_factories.h"

namespace sluice {

namespace {

// <drop/>: the flow ends here and nothing is sent.
class DropMediator : public Mediator {
public:
    using Mediator::Mediator;
    QString elementName() const override { return QStringLiteral("drop"); }
    MediationResult mediate(MessageContext &) const override { return MediationResult::Stop; }
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
