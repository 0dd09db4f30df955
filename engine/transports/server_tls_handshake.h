// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSslConfiguration>
#include <QString>
#include <functional>

class QObject;
class QSslSocket;

namespace sluice {

// The server side of one TLS handshake, shared by the wss inbound endpoints and the HTTPS
// listener: starts it on `socket` with `configuration`; `encrypted` runs once it has finished
// and the client was accepted, so that nothing is read before (and nothing is ever served in
// plain text). A failed handshake, or a client certificate that an "optional" listener refuses
// (VerifyPeer fails the handshake by itself, QueryPeer does not), calls `refused` once with the
// reason; a refused client is closed once the handshake returns, not from inside it. `context`
// owns the connections.
void startServerHandshake(QSslSocket *socket, const QSslConfiguration &configuration,
                          QObject *context, std::function<void()> encrypted,
                          std::function<void(const QString &reason)> refused);

} // namespace sluice
