// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/artifacts.h"
#include "mediation/mediator.h"
#include "mediation/mediator_registry.h"
#include "mediation/message_sender.h"

#include <optional>

namespace sluice {

class MessageContext;

// The <endpoint> child of send / call, read at build time: an inline definition, or a key
// that names a project endpoint (checked by the project compiler, looked up per message).
std::optional<EndpointDefinition> readMediatorEndpoint(const XmlNode &element,
                                                       const MediatorBuildContext &context);

// Hands the message to the sender for the endpoint's URI scheme: resolves key references,
// sets the To address, refuses a ws/wss sender that deployment.toml leaves disabled. Without an
// endpoint the message goes to its To address. Returns Continue (Send) or Suspend (Call) once
// the sender has it, Fault with ERROR_CODE / ERROR_MESSAGE set when it cannot be sent.
MediationResult dispatchToEndpoint(MessageContext &message, const EndpointDefinition *endpoint,
                                   MessageSender::Mode mode, const QString &who);

} // namespace sluice
