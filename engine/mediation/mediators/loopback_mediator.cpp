// SPDX-License-Identifier: Apache-2.0
#include "build_support.h"
#include "mediation/message_context.h"
#include "mediator_factories.h"
#include "run_support.h"

namespace sluice {

namespace {

// <loopback/>: the request turns into the response without leaving the runtime. What is left
// of the in-flow is abandoned; the artifact's out sequence runs next, or, when it has none, the
// message goes straight back to the client.
class LoopbackMediator : public Mediator {
public:
    using Mediator::Mediator;
    QString elementName() const override { return QStringLiteral("loopback"); }
    MediationResult mediate(MessageContext &message) const override
    {
        ExecutionState &state = message.execution();
        // Clearing the stack may drop the last reference to the sequence that holds this
        // mediator (after a redeploy): keep it alive until mediate() has returned.
        [[maybe_unused]] const std::shared_ptr<const CompiledSequence> self =
            state.isEmpty() ? nullptr : state.top().owner;
        message.setDirection(Direction::Outflow);
        state.clear();
        if (const auto out = message.outSequence()) {
            state.pushSequence(out);
            return MediationResult::Continue;
        }
        return respondToClient(message, QStringLiteral("loopback"));
    }
};

} // namespace

std::unique_ptr<Mediator> buildLoopbackMediator(const XmlNode &element,
                                                const MediatorBuildContext &context)
{
    context.checkAttributes(element, {QStringLiteral("description")});
    checkChildElements(element, context, {});
    return std::make_unique<LoopbackMediator>(element.location);
}

} // namespace sluice
