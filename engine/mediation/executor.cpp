// SPDX-License-Identifier: Apache-2.0
#include "executor.h"
#include "forward_plan.h"
#include "mediator_trail.h"

#include "mediation_environment.h"
#include "message_context.h"
#include "runtime/logger.h"

namespace sluice {

QString ExecutionState::innermostFaultSequence() const
{
    for (size_t index = m_depth; index-- > 0;) {
        if (!frame(index).faultSequence.isEmpty())
            return frame(index).faultSequence;
    }
    return QString();
}

void ExecutionState::pushSequence(const std::shared_ptr<const CompiledSequence> &sequence)
{
    push(sequence, &sequence->mediators, sequence->onError);
}

void Executor::start(const std::shared_ptr<MessageContext> &message,
                     const std::shared_ptr<const CompiledSequence> &sequence,
                     const QString &faultSequence)
{
    ExecutionState &state = message->execution();
    state.clear();
    state.inFaultHandler = false;
    state.finished = false;
    // The artifact's handler sits below the sequence's own onError, which wins when both exist.
    if (!faultSequence.isEmpty())
        state.push(nullptr, nullptr, faultSequence);
    state.pushSequence(sequence);
    run(message);
}

void Executor::resume(const std::shared_ptr<MessageContext> &message)
{
    run(message);
}

void Executor::resumeWithFault(const std::shared_ptr<MessageContext> &message, int code,
                               const QString &reason, const QString &faultSequence)
{
    message->setFault(code, reason);
    message->execution().finished = false;
    if (!enterFaultHandler(*message, faultSequence))
        message->execution().clear();
    run(message);
}

void Executor::run(const std::shared_ptr<MessageContext> &message)
{
    ExecutionState &state = message->execution();
    state.suspended = false;
    const quint64 run = ++state.runs;
    MediationObserver *observer = message->environment().observer();
    MediationObserver *mediators = observer && observer->observesMediators() ? observer : nullptr;
    MediatorTrail *trail = mediators ? mediators->mediatorTrail() : nullptr;
    while (!state.isEmpty()) {
        ExecutionFrame &frame = state.top();
        if (!frame.mediators || frame.next >= frame.mediators->size()) {
            state.pop();
            continue;
        }
        // Take the mediator before calling it: mediate() may push frames and move `frame`.
        const Mediator &mediator = *(*frame.mediators)[frame.next++];
        if (mediators && !(trail && trail->tryAppend(*message, mediator)))
            mediators->mediatorEntered(*message, mediator);
        const MediationResult result = mediator.mediate(*message);
        // Only the mediators that set properties have something to report afterwards.
        if (mediators && !mediator.propertiesSet().isEmpty() &&
            !(trail && trail->tryMarkConstants(*message, mediator)))
            mediators->mediatorFinished(*message, mediator);
        switch (result) {
        case MediationResult::Continue:
            break;
        case MediationResult::Stop:
            state.clear();
            break;
        case MediationResult::Suspend:
            if (state.runs == run)
                state.suspended = true;
            if (observer)
                observer->runEnded(*message);
            return;
        case MediationResult::Fault:
            if (!enterFaultHandler(*message, QString()))
                state.clear();
            break;
        }
    }
    state.finished = true;
    if (observer)
        observer->runEnded(*message);
    message->complete();
}

void Executor::enterPlanned(MessageContext &message, const CompiledSequence &sequence,
                            const ForwardPlan &plan, MediationObserver &observer)
{
    // The same calls in the same order as run() makes for these mediators; the leading ones
    // that only set constants, whose calls would leave the trail the plan's head, in one go.
    MediatorTrail *trail = observer.mediatorTrail();
    const Mediator *forward = sequence.mediators.back().get();
    size_t first = 0;
    if (trail && trail->tryAppendAll(message, plan.trailHead.data(), int(plan.trailHead.size())))
        first = plan.trailHead.size();
    for (size_t index = first; index < sequence.mediators.size(); ++index) {
        const Mediator &mediator = *sequence.mediators[index];
        if (!(trail && trail->tryAppend(message, mediator)))
            observer.mediatorEntered(message, mediator);
        if (&mediator == forward)
            return;
        // Constants the trail notes are read from the mediator, not the message: nothing reads
        // them from the message after this flow, so they need not be stored there.
        if (mediator.forwardStep().kind == ForwardStep::Kind::SetsConstants && trail &&
            trail->tryMarkConstants(message, mediator))
            continue;
        mediator.mediate(message);
        if (!mediator.propertiesSet().isEmpty() &&
            !(trail && trail->tryMarkConstants(message, mediator)))
            observer.mediatorFinished(message, mediator);
    }
}

bool Executor::enterFaultHandler(MessageContext &message, const QString &preferred)
{
    ExecutionState &state = message.execution();
    const QString reason = message.property(kErrorMessage).toString();
    if (MediationObserver *observer = message.environment().observer())
        observer->faultRaised(message, reason);
    if (state.inFaultHandler) {
        Logger::instance().log(LogLevel::Error, QStringLiteral("mediation"),
                               QStringLiteral("fault while running a fault sequence, message %1 "
                                              "dropped: %2")
                                   .arg(message.messageId())
                                   .arg(reason));
        return false;
    }
    const QString name = preferred.isEmpty() ? state.innermostFaultSequence() : preferred;
    std::shared_ptr<const CompiledSequence> handler =
        name.isEmpty() ? nullptr : message.environment().sequence(name);
    if (!handler)
        handler = message.environment().faultSequence();
    state.clear();
    state.inFaultHandler = true;
    if (!handler)
        return false;
    state.push(handler, &handler->mediators);
    return true;
}

} // namespace sluice
