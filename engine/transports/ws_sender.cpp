// SPDX-License-Identifier: Apache-2.0
#include "ws_sender.h"

#include "mediation/executor.h"
#include "mediation/message_context.h"
#include "ws_backend_pool.h"

#include <QTimer>

namespace sluice {

void WsSender::send(const std::shared_ptr<MessageContext> &message,
                    const EndpointDefinition &endpoint, Mode mode)
{
    if (mode == Mode::Call) {
        // A WebSocket backend has no request/response pairing to wait on; replies are outflow
        // messages. Answer on the next turn of the event loop so the caller has suspended.
        QTimer::singleShot(0, [message] {
            Executor::resumeWithFault(message, ErrorCodes::kSendFailure,
                                      QStringLiteral("call is not supported for WebSocket "
                                                     "endpoints; use send (replies arrive in "
                                                     "the outflow dispatch sequence)"));
        });
        return;
    }
    WsBackendPool::forCurrentThread().send(message, endpoint, m_tls);
}

} // namespace sluice
