// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/message_sender.h"

#include <memory>

namespace sluice {

struct ClientTls;

// The WebSocket transport sender (ws://; wss:// with the secure issue). One backend connection
// per (client connection, backend URI), opened on the first send, reused, closed when the client
// closes; messages that did not come from a WebSocket client share one connection per URI. The
// connections of a client live on the client's worker thread (see ws_backend_pool.h).
// The wss:// sender is a WsSender made with the deployment's client TLS settings; without them
// a wss:// URI fails rather than being sent in plain text.
class WsSender : public MessageSender {
public:
    WsSender() = default;
    explicit WsSender(std::shared_ptr<const ClientTls> tls)
        : m_tls(std::move(tls))
    {
    }
    void send(const std::shared_ptr<MessageContext> &message, const EndpointDefinition &endpoint,
              Mode mode) override;

private:
    std::shared_ptr<const ClientTls> m_tls;
};

} // namespace sluice
