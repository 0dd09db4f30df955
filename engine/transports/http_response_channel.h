// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http_responder.h"
#include "mediation/message_context.h"

namespace sluice {

// Where `respond` (and a response-direction `send` without endpoint) writes a message that came
// in as an HTTP request: back to the client waiting for it. Status, content type and body follow
// MI's axis2-scope properties (docs/http.md, "Proxy services"): HTTP_SC, messageType /
// ContentType, NO_ENTITY_BODY; transport-scope properties the mediation set become headers.
class HttpResponseChannel : public ResponseChannel {
public:
    explicit HttpResponseChannel(HttpResponder responder)
        : m_responder(std::move(responder))
    {
    }

    void respond(MessageContext &message) override;

    const HttpResponder &responder() const { return m_responder; }
    // The HTTP answer `message` stands for (exposed for tests).
    static HttpResponse responseFor(const MessageContext &message);

private:
    HttpResponder m_responder;
};

} // namespace sluice
