// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/source_location.h"
#include "execution_state.h"

#include <QList>
#include <QString>
#include <QVariant>
#include <memory>
#include <utility>
#include <vector>

namespace sluice {

class MessageContext;
enum class PropertyScope;  // message_context.h
struct EndpointDefinition; // artifacts/artifacts.h

// What a mediator amounts to as one step of a flow that only sets constants, logs and forwards
// (forward_plan.h): declared by the mediators that can be such a step, None for the others.
struct ForwardStep {
    enum class Kind {
        None,
        SetsConstants, // sets properties to constant values and nothing else
        Logs,          // writes a log line (at logLevel) and nothing else
        Sends,         // sends to `endpoint`, an inline ws:// or wss:// address, and goes on
        Responds,      // sends the message back to its client and ends the flow
    };
    Kind kind = Kind::None;
    int logLevel = 0; // Logs: a LogLevel (runtime/logger.h)
    const EndpointDefinition *endpoint = nullptr;
};

enum class MediationResult {
    Continue, // go on with the next mediator (or the branch the mediator pushed)
    Stop,     // the flow ends here (drop, respond, ...)
    Suspend,  // the mediator will call Executor::resume() later (call, async send)
    Fault,    // the mediator called MessageContext::setFault(); the fault handler runs
};

// One step of a sequence. Mediators are built once per deployment from their XML by the
// MediatorRegistry and are shared by every message and every worker thread: mediate() must not
// change the mediator, only the message. A mediator never blocks: it suspends instead.
class Mediator {
public:
    explicit Mediator(SourceLocation location)
        : m_location(std::move(location))
    {
    }
    virtual ~Mediator() = default;
    Mediator(const Mediator &) = delete;
    Mediator &operator=(const Mediator &) = delete;

    virtual QString elementName() const = 0;
    virtual MediationResult mediate(MessageContext &message) const = 0;

    const SourceLocation &location() const { return m_location; }
    // The properties this mediator sets, for message events: (name, scope) pairs. Empty for
    // mediators that set none. Data of the base, not virtual: the executor asks after every
    // mediator call whether to report properties, and message events read them by reference
    // (a copy would cost two atomic operations each time).
    using PropertyNames = QList<std::pair<QString, PropertyScope>>;
    const PropertyNames &propertiesSet() const { return m_propertiesSet; }
    // The values it sets, in propertiesSet() order, when they never depend on the message (a
    // property with a constant value), else null: message events then read them here instead
    // of capturing them with every message.
    const QVariantList *constantValues() const
    {
        return m_constantValues.isEmpty() ? nullptr : &m_constantValues;
    }
    const ForwardStep &forwardStep() const { return m_forwardStep; }

protected:
    // For mediators that set properties, from their constructor (mediators are immutable once
    // built).
    void declarePropertiesSet(PropertyNames names, QVariantList constantValues = {})
    {
        m_propertiesSet = std::move(names);
        m_constantValues = std::move(constantValues);
    }
    // For mediators that can be a step of a forwarding flow, from their constructor.
    void declareForwardStep(ForwardStep step) { m_forwardStep = step; }

private:
    SourceLocation m_location;
    PropertyNames m_propertiesSet;
    QVariantList m_constantValues;
    ForwardStep m_forwardStep;
};

struct ForwardPlan; // forward_plan.h

// A named or inline sequence after compilation.
struct CompiledSequence {
    QString name;
    QString onError;
    MediatorList mediators;
    SourceLocation location;
    // What the sequence amounts to when it only sets constants, logs and forwards; null for
    // every other sequence.
    std::shared_ptr<const ForwardPlan> forward;
};

} // namespace sluice
