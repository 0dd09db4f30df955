// SPDX-License-Identifier: Apache-2.0
#include "run_support.h"

#include "mediation/executor.h"
#include "mediation/message_context.h"
#include "mediation/message_formatter.h"

namespace sluice {

MediationResult failWith(MessageContext &message, int code, const QString &reason)
{
    message.setFault(code, reason);
    return MediationResult::Fault;
}

void pushBranch(MessageContext &message, const MediatorList &mediators, const QString &onError)
{
    ExecutionState &state = message.execution();
    std::shared_ptr<const CompiledSequence> owner;
    if (!state.isEmpty())
        owner = state.top().owner;
    state.push(std::move(owner), &mediators, onError);
}

MediationResult respondToClient(MessageContext &message, const QString &who)
{
    const std::shared_ptr<ResponseChannel> channel = message.responseChannel();
    if (!channel) {
        return failWith(
            message, ErrorCodes::kMediationFailure,
            QStringLiteral("%1: the message has no client connection to respond to").arg(who));
    }
    message.setDirection(Direction::Outflow);
    // The payload leaves in the format messageType / ContentType ask for, as MI's formatters write
    // it.
    formatForTransport(message);
    channel->respond(message);
    return MediationResult::Stop;
}

QRegularExpression precompiledRegex(const QString &pattern)
{
    QRegularExpression regex(pattern);
    regex.optimize();
    return regex;
}

} // namespace sluice
