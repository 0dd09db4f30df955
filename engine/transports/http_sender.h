// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/message_sender.h"

#include <QString>
#include <QtGlobal>
#include <memory>

namespace sluice {

struct ClientTls;

// MI's socket timeout of the pass-through HTTP sender ([transport.http] socket_timeout), used
// when an endpoint has no <timeout><duration>.
constexpr qint64 kDefaultHttpTimeoutMillis = 180000;

// Set (axis2 scope) on a message whose backend answer is still to come after a `send`: the
// proxy must not answer its client when the in-flow ends, the outSequence will.
inline const QString kHttpReplyPending = QStringLiteral("SLUICE_HTTP_REPLY_PENDING");

// The HTTP transport sender (http://; https:// with the secure issue). Requests go through one
// QNetworkAccessManager per worker thread, which keeps a keep-alive connection pool per host.
// The method, headers, content type and body come from the message (docs/http.md, "HTTP
// sender"). The answer re-enters mediation as in MI: for `call` the flow resumes with it as the
// payload and HTTP_SC set; for `send` it runs the RECEIVING_SEQUENCE or the artifact's
// outSequence, or goes straight back to the client. A failure (refused, timed out, closed) runs
// the fault sequence with MI's ERROR_CODE (101503, 101504, 101505, 101500), except a timeout of
// an endpoint whose <timeout><responseAction> is discard: that message is dropped, as in MI.
//
// The https:// sender is an HttpSender made with the deployment's client TLS settings (the CAs of
// [truststore], else the system bundle; the host name always checked): a refused certificate or
// a failed handshake runs the fault sequence with 101503 and the reason, and the client gets 502.
class HttpSender : public MessageSender {
public:
    HttpSender() = default;
    explicit HttpSender(std::shared_ptr<const ClientTls> tls)
        : m_tls(std::move(tls))
    {
    }
    void send(const std::shared_ptr<MessageContext> &message, const EndpointDefinition &endpoint,
              Mode mode) override;

private:
    std::shared_ptr<const ClientTls> m_tls;
};

} // namespace sluice
