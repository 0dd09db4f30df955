// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/message_sender.h"

namespace sluice {

// The WebSocket transport sender (ws://; wss:// with the secure issue). One backend connection
// per (client connection, backend URI), opened on the first send, reused, closed when the client
// closes; messages that did not come from a WebSocket client share one connection per URI. The
// connections of a client live on the client's worker thread (see ws_backend_pool.h).
class WsSender : public MessageSender {
public:
    void send(const std::shared_ptr<MessageContext> &message, const EndpointDefinition &endpoint,
              Mode mode) override;
};

} // namespace sluice
