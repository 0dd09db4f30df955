// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ws_http_head.h"

#include <QStringList>
#include <functional>

namespace sluice {

// The server's side of the WebSocket opening handshake (RFC 6455 4.2) for an inbound endpoint:
// checks an upgrade request and makes the 101 answer, or the refusal (400; 426 for another
// protocol version; 403 for an origin not allowed).
struct WsUpgradeAnswer {
    bool accepted = false;
    QByteArray response; // the whole answer to write
    QString subprotocol; // the one agreed, if any
    QString refusal;     // why it was refused, for the log
};

WsUpgradeAnswer answerWsUpgrade(const WsHttpHead &request, const QStringList &subprotocols,
                                const std::function<bool(const QString &)> &originAllowed);

// A whole HTTP/1.1 answer that closes the connection.
QByteArray wsHttpAnswer(int status, const QByteArray &reason, const QByteArray &contentType,
                        const QByteArray &body, const QByteArray &extraHeaders = {});

// The subprotocols the client offers, in its order.
QStringList wsOfferedSubprotocols(const WsHttpHead &request);

} // namespace sluice
