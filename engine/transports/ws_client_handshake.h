// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ws_http_head.h"

#include <QStringList>
#include <QUrl>

namespace sluice {

// The client's side of the WebSocket opening handshake (RFC 6455 4.1), Sluice connecting to a
// backend: the upgrade request, and the check of the backend's answer.

// A new Sec-WebSocket-Key: 16 random bytes in base64.
QByteArray newWsKey();

QByteArray wsUpgradeRequest(const QUrl &url, const QByteArray &key, const QStringList &subprotocols,
                            const QList<std::pair<QByteArray, QByteArray>> &headers);

// Empty when `answer` accepts the upgrade asked with `key` and `offered`; else why not. The
// subprotocol the backend chose goes to `*subprotocol`.
QString checkWsUpgradeAnswer(const WsHttpHead &answer, const QByteArray &key,
                             const QStringList &offered, QString *subprotocol);

} // namespace sluice
