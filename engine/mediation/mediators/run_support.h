// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/mediator.h"

#include <QRegularExpression>
#include <QString>

namespace sluice {

class MessageContext;

// Run-time steps shared by several mediators.

// Records the fault (ERROR_CODE / ERROR_MESSAGE) and returns Fault, so a mediator can write
// `return failWith(message, code, reason);`.
MediationResult failWith(MessageContext &message, int code, const QString &reason);

// Runs `mediators` next (a filter branch, a switch case, an inline sequence). The frame shares
// the owner of the frame that is running now, which keeps the list alive until it is done.
void pushBranch(MessageContext &message, const MediatorList &mediators,
                const QString &onError = QString());

// Hands the message back to the client it came from, as respond does; Stop, or a fault when the
// message has no client (`who` names the mediator in the reason).
MediationResult respondToClient(MessageContext &message, const QString &who);

// A regular expression compiled now. QRegularExpression compiles on first use, which writes to
// the shared object; compiled once up front it can be matched from several threads at a time.
QRegularExpression precompiledRegex(const QString &pattern);

} // namespace sluice
