// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "message_events.h"

#include <QJsonObject>
#include <QList>
#include <optional>

namespace sluice {

// The JSON form of a message event, shared by the management API (REST and WebSocket stream),
// `sluice logs --json` and the studio's remote runtime. Field names are documented in
// docs/management-api.md. Payloads that are valid UTF-8 go in "payload", others in
// "payloadBase64".
QJsonObject messageEventToJson(const MessageEvent &event);
// The inverse; nullopt when `object` is not an event (no "id" or unknown "kind").
std::optional<MessageEvent> messageEventFromJson(const QJsonObject &object);

// "frame-in" and friends (messageEventKindName) back to the kind.
std::optional<MessageEventKind> messageEventKindFromName(const QString &name);

} // namespace sluice
