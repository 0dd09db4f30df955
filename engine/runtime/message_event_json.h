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
// Every kind, in the order of the enum (for filters and menus).
const QList<MessageEventKind> &allMessageEventKinds();

// "client" / "backend" (empty for EventPeer::None), as the JSON and the API spell peers.
QString eventPeerName(EventPeer peer);
EventPeer eventPeerFromName(const QString &name);

} // namespace sluice
