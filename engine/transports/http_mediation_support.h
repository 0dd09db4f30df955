// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediation/message_context.h"

#include <QByteArray>
#include <QString>

namespace sluice {

class HttpResponder;
struct HttpRequest;

// What proxy services and APIs share when they hand an HTTP request to mediation and answer it.

// {"error": message, "code": code[, "path": path]} as the body of an error answer.
QByteArray httpJsonError(int code, const QString &message, const QByteArray &path = QByteArray());

// How the body leaves on a WebSocket: MI's sender writes application/octet-stream as a binary
// frame and everything else as text; a body that is not UTF-8 goes binary too, since a text frame
// cannot carry it unchanged.
FrameKind httpBodyFrameKind(const QString &contentType, const QByteArray &body);

// MI's gateway answers: 504 when the backend timed out, 502 when it could not be reached or
// failed on the wire, 500 for any other fault.
int httpStatusForFault(int errorCode);

// The answer for a request whose flow ended without `respond`: MI answers 202 to OUT_ONLY and
// FORCE_SC_ACCEPTED messages; a fault that nobody answered becomes 500/502/504, anything else
// 502 (no response can come any more), each with a JSON body, so that no client waits forever.
// Nothing when a `send` to an HTTP backend will still answer (from the out path). `what` names
// the artifact in the 502 text ("proxy 'x'", "API 'y'").
void answerUnansweredHttp(MessageContext &message, const HttpResponder &responder,
                          const QString &what);

// The request as a message event (a frame in from the client, "POST /services/x" as its text),
// and its answer as one too (through `responder`), when the environment's events are on. Call
// it once the message has its channel and artifact, inside the request's time scope.
void traceHttpExchange(const MessageContext &message, const HttpRequest &request,
                       HttpResponder &responder);

} // namespace sluice
