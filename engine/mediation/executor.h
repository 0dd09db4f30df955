// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediator.h"

#include <QString>
#include <memory>

namespace sluice {

class MessageContext;
class MediationObserver;
struct ForwardPlan;

// Runs mediators over a message using the execution stack kept in the message, so a flow can
// stop at a send/call and go on later from the event loop.
class Executor {
public:
    // Runs `sequence` on the message. `faultSequence` names the handler of the artifact that
    // accepted the message (proxy faultSequence, inbound onError); without it, a fault goes to
    // the sequence's onError, then to the global "fault" sequence.
    static void start(const std::shared_ptr<MessageContext> &message,
                      const std::shared_ptr<const CompiledSequence> &sequence,
                      const QString &faultSequence = QString());
    // Continues a suspended flow.
    static void resume(const std::shared_ptr<MessageContext> &message);
    // Continues a suspended flow (or starts one for a message whose flow had ended, e.g. a send
    // that failed later) with a fault: ERROR_CODE / ERROR_MESSAGE set, fault handler runs.
    static void resumeWithFault(const std::shared_ptr<MessageContext> &message, int code,
                                const QString &reason, const QString &faultSequence = QString());

    // A planned sequence (forward_plan.h, Mode::Observed) over `message`: reports to `observer`
    // what run() would, up to entering the last mediator, the forward, which the caller then
    // makes itself before it calls observer.runEnded(). The steps before it only set constants
    // and log, which cannot fail, suspend or stop the flow.
    static void enterPlanned(MessageContext &message, const CompiledSequence &sequence,
                             const ForwardPlan &plan, MediationObserver &observer);

private:
    static void run(const std::shared_ptr<MessageContext> &message);
    static bool enterFaultHandler(MessageContext &message, const QString &preferred);
};

// Synapse's error codes that Sluice uses.
namespace ErrorCodes {
constexpr int kMediationFailure = 0;
constexpr int kExpressionFailure = 101500;
constexpr int kSenderDisabled = 101501;
constexpr int kConnectionFailed = 101503;
constexpr int kConnectionTimeout = 101504;
constexpr int kConnectionClosed = 101505;
constexpr int kSendFailure = 101507;
constexpr int kEndpointNotFound = 303001;
} // namespace ErrorCodes

} // namespace sluice
