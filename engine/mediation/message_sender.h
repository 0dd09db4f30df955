// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

namespace sluice {

class MessageContext;
struct EndpointDefinition;

// What send / call hand a message to. Transports implement it per URI scheme (ws, wss, http,
// https); tests use a recording one (tests/support/recording_sender.h).
class MessageSender {
public:
    enum class Mode {
        Send, // fire and forget: replies enter the runtime as new outflow messages
        Call, // the flow waits: the sender calls Executor::resume() with the reply in `message`,
              // or Executor::resumeWithFault(); exactly one of them, exactly once
    };
    virtual ~MessageSender() = default;
    virtual void send(const std::shared_ptr<MessageContext> &message,
                      const EndpointDefinition &endpoint, Mode mode) = 0;
};

} // namespace sluice
