// SPDX-License-Identifier: Apache-2.0
#include "recording_sender.h"

namespace sluice::test {

void RecordingSender::send(const std::shared_ptr<MessageContext> &message,
                           const EndpointDefinition &endpoint, Mode mode)
{
    Sent s;
    s.uri = endpoint.uri;
    s.payload = message->payload();
    s.contentType = message->contentType();
    s.frameKind = message->frameKind();
    s.payloadModified = message->payloadModified();
    s.mode = mode;
    s.defaultProperties = message->properties(PropertyScope::Default).toHash();
    s.axis2Properties = message->properties(PropertyScope::Axis2).toHash();
    s.transportHeaders = message->properties(PropertyScope::Transport).toHash();
    s.message = message;
    sent.append(s);
    if (mode == Mode::Call && callHandler)
        callHandler(message, endpoint);
}

void RecordingResponseChannel::respond(MessageContext &message)
{
    responses.append({message.payload(), message.contentType(), message.frameKind(),
                      message.properties(PropertyScope::Axis2).toHash(),
                      message.properties(PropertyScope::Transport).toHash()});
}

} // namespace sluice::test
