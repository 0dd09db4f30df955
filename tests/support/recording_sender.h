// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/artifacts.h"
#include "mediation/message_context.h"
#include "mediation/message_sender.h"

#include <QList>
#include <functional>

namespace sluice::test {

// A sender that keeps what it was given instead of opening a connection, so sequences can be
// tested without any network. For Call mode, `callHandler` decides the reply (it must call
// Executor::resume or Executor::resumeWithFault); without one, a call is left suspended.
class RecordingSender : public MessageSender {
public:
    struct Sent {
        QString uri;
        QByteArray payload;
        QString contentType;
        FrameKind frameKind = FrameKind::Text;
        bool payloadModified = false;
        Mode mode = Mode::Send;
        QVariantHash defaultProperties;
        QVariantHash axis2Properties;
        QVariantHash transportHeaders;
        std::shared_ptr<MessageContext> message;
    };

    void send(const std::shared_ptr<MessageContext> &message, const EndpointDefinition &endpoint,
              Mode mode) override;

    QList<Sent> sent;
    std::function<void(const std::shared_ptr<MessageContext> &, const EndpointDefinition &)>
        callHandler;
};

// A response channel that keeps what `respond` delivered.
class RecordingResponseChannel : public ResponseChannel {
public:
    void respond(MessageContext &message) override;

    struct Response {
        QByteArray payload;
        QString contentType;
        FrameKind frameKind = FrameKind::Text;
        QVariantHash axis2Properties;
        QVariantHash transportHeaders;
    };
    QList<Response> responses;
};

} // namespace sluice::test
