// SPDX-License-Identifier: Apache-2.0
#include "management_front.h"

#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>

namespace sluice {

namespace {
const char kSniffed[] = "sluice.sniffed";
}

ManagementFront::ManagementFront(UpgradeHandler onUpgrade, QObject *parent)
    : QTcpServer(parent)
    , m_onUpgrade(std::move(onUpgrade))
{
}

QByteArray ManagementFront::httpResponse(int status, const QByteArray &reason,
                                         const QByteArray &body, const QByteArray &extraHeaders)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
           "\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\nConnection: close\r\n" + extraHeaders + "\r\n" +
           body;
}

void ManagementFront::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { sniff(socket); });
    connect(socket, &QTcpSocket::disconnected, socket, [socket] {
        if (!socket->property(kSniffed).toBool())
            socket->deleteLater();
    });
    // A client that never finishes its request head does not hold a socket forever.
    QTimer::singleShot(kHeadTimeoutMs, socket, [socket] {
        if (!socket->property(kSniffed).toBool())
            socket->abort();
    });
}

void ManagementFront::sniff(QTcpSocket *socket)
{
    const QByteArray head = socket->peek(kMaxRequestHead);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() >= kMaxRequestHead) {
            socket->setProperty(kSniffed, true);
            socket->write(httpResponse(431, "Request Header Fields Too Large",
                                       R"({"error":"request head too large"})"));
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
        return;
    }
    socket->setProperty(kSniffed, true);
    disconnect(socket, nullptr, this, nullptr);
    disconnect(socket, &QTcpSocket::disconnected, socket, nullptr);
    static const QRegularExpression upgrade(QStringLiteral("\\r\\nupgrade:[ \\t]*websocket"),
                                            QRegularExpression::CaseInsensitiveOption);
    if (upgrade.match(QString::fromLatin1(head.left(end + 2))).hasMatch()) {
        m_onUpgrade(socket, head.left(end));
        return;
    }
    // Qt HttpServer reads a whole body into memory before any handler runs: a body that no
    // route accepts is refused here, before it is sent.
    static const QRegularExpression contentLength(
        QStringLiteral("\\r\\ncontent-length:[ \\t]*(\\d+)"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch length = contentLength.match(QString::fromLatin1(head.left(end)));
    if (length.hasMatch() && length.captured(1).toLongLong() > kMaxBodyBytes) {
        socket->write(httpResponse(413, "Payload Too Large",
                                   R"({"error":"the request body is larger than 64 MiB"})"));
        socket->disconnectFromHost();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    // Plain HTTP: the bound QAbstractHttpServer takes the socket from the pending queue, then
    // reads the bytes we only peeked at once it is told they are there.
    addPendingConnection(socket);
    if (socket->bytesAvailable() > 0)
        Q_EMIT socket->readyRead();
}

} // namespace sluice
