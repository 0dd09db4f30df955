// SPDX-License-Identifier: Apache-2.0
#include "ws_client_handshake.h"

#include <QRandomGenerator>

namespace sluice {

QByteArray newWsKey()
{
    QByteArray bytes(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), 4);
    return bytes.toBase64();
}

QByteArray wsUpgradeRequest(const QUrl &url, const QByteArray &key, const QStringList &subprotocols,
                            const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']'; // IPv6
    if (url.port() != -1)
        host += ':' + QByteArray::number(url.port());
    QByteArray request =
        "GET " + target + " HTTP/1.1\r\nHost: " + host +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
        "\r\nSec-WebSocket-Version: 13\r\n";
    if (!subprotocols.isEmpty())
        request +=
            "Sec-WebSocket-Protocol: " + subprotocols.join(QLatin1String(", ")).toUtf8() + "\r\n";
    for (const auto &[name, value] : headers)
        request += name + ": " + value + "\r\n";
    request += "\r\n";
    return request;
}

QString checkWsUpgradeAnswer(const WsHttpHead &answer, const QByteArray &key,
                             const QStringList &offered, QString *subprotocol)
{
    if (answer.status != 101)
        return QStringLiteral("the backend answered the WebSocket upgrade with HTTP status %1")
            .arg(answer.status);
    if (!answer.headerHasToken("Upgrade", "websocket") ||
        !answer.headerHasToken("Connection", "upgrade"))
        return QStringLiteral("the backend's 101 answer does not upgrade to websocket");
    if (answer.header("Sec-WebSocket-Accept") != wsAcceptFor(key))
        return QStringLiteral("the backend's Sec-WebSocket-Accept does not match the key");
    const QString chosen = QString::fromUtf8(answer.header("Sec-WebSocket-Protocol"));
    if (!chosen.isEmpty() && !offered.contains(chosen))
        return QStringLiteral("the backend chose subprotocol '%1', which was not offered")
            .arg(chosen);
    *subprotocol = chosen;
    return QString();
}

} // namespace sluice
