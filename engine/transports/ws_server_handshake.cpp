// SPDX-License-Identifier: Apache-2.0
#include "ws_server_handshake.h"

namespace sluice {

namespace {

WsUpgradeAnswer refuse(int status, const QByteArray &reason, const QString &why,
                       const QByteArray &extraHeaders = {})
{
    WsUpgradeAnswer answer;
    answer.refusal = why;
    answer.response = wsHttpAnswer(status, reason, "text/plain", why.toUtf8() + '\n', extraHeaders);
    return answer;
}

} // namespace

QByteArray wsHttpAnswer(int status, const QByteArray &reason, const QByteArray &contentType,
                        const QByteArray &body, const QByteArray &extraHeaders)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
           "\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n" +
           extraHeaders + "\r\n" + body;
}

QStringList wsOfferedSubprotocols(const WsHttpHead &request)
{
    QStringList offered;
    const QList<QByteArray> parts = request.header("Sec-WebSocket-Protocol").split(',');
    for (const QByteArray &part : parts) {
        const QByteArray name = part.trimmed();
        if (!name.isEmpty())
            offered << QString::fromLatin1(name);
    }
    return offered;
}

WsUpgradeAnswer answerWsUpgrade(const WsHttpHead &request, const QStringList &subprotocols,
                                const std::function<bool(const QString &)> &originAllowed)
{
    if (request.method != "GET")
        return refuse(400, "Bad Request", QStringLiteral("a WebSocket upgrade must be a GET"));
    if (request.httpMajor != 1 || request.httpMinor < 1)
        return refuse(400, "Bad Request",
                      QStringLiteral("a WebSocket upgrade needs HTTP/1.1 or later"));
    if (request.header("Host").isEmpty())
        return refuse(400, "Bad Request", QStringLiteral("no Host header"));
    if (!request.headerHasToken("Upgrade", "websocket") ||
        !request.headerHasToken("Connection", "upgrade"))
        return refuse(400, "Bad Request",
                      QStringLiteral("not an upgrade to websocket (Upgrade, Connection)"));
    if (request.header("Sec-WebSocket-Version") != "13")
        return refuse(426, "Upgrade Required",
                      QStringLiteral("unsupported Sec-WebSocket-Version; this server speaks 13"),
                      "Sec-WebSocket-Version: 13\r\n");
    const QByteArray key = request.header("Sec-WebSocket-Key");
    // RFC 6455 4.2.1: the key is 16 random bytes in base64.
    const auto decoded =
        QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return refuse(400, "Bad Request",
                      QStringLiteral("Sec-WebSocket-Key is not 16 bytes in base64"));
    const QString origin = QString::fromUtf8(request.header("Origin"));
    if (!originAllowed(origin))
        return refuse(403, "Forbidden", QStringLiteral("origin not allowed"));

    WsUpgradeAnswer answer;
    answer.accepted = true;
    // Of the subprotocols both sides know, the first in sorted order: Qt WebSockets' server (used
    // before, QWebSocketHandshakeResponse) chose so, and endpoints keep choosing the same.
    const QStringList offered = wsOfferedSubprotocols(request);
    for (const QString &name : subprotocols) {
        if (offered.contains(name) && (answer.subprotocol.isEmpty() || name < answer.subprotocol))
            answer.subprotocol = name;
    }
    answer.response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                      wsAcceptFor(key) + "\r\n";
    if (!answer.subprotocol.isEmpty())
        answer.response += "Sec-WebSocket-Protocol: " + answer.subprotocol.toLatin1() + "\r\n";
    answer.response += "Server: Sluice\r\n\r\n";
    return answer;
}

} // namespace sluice
