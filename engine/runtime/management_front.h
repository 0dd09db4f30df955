// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QTcpServer>
#include <functional>

namespace sluice {

// The listening socket of the management API. Qt HttpServer 6.4 upgrades every WebSocket
// request before any handler sees it, so nothing could answer 401 to a client without a token.
// This front peeks at each connection's request head (without consuming it): WebSocket upgrades
// go to `onUpgrade`, which checks the token and answers or hands the socket to Qt WebSockets;
// everything else is handed, untouched, to the QAbstractHttpServer bound to this server.
class ManagementFront : public QTcpServer {
    Q_OBJECT
public:
    // `head` is the request head up to (not including) the blank line.
    using UpgradeHandler = std::function<void(QTcpSocket *socket, const QByteArray &head)>;

    explicit ManagementFront(UpgradeHandler onUpgrade, QObject *parent = nullptr);

    static constexpr int kMaxRequestHead = 16 * 1024;
    static constexpr int kHeadTimeoutMs = 10000;
    static constexpr qint64 kMaxBodyBytes = qint64(64) * 1024 * 1024;

    // A complete response that closes the connection (for answers given before Qt's handlers).
    static QByteArray httpResponse(int status, const QByteArray &reason, const QByteArray &body,
                                   const QByteArray &extraHeaders = QByteArray());

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void sniff(QTcpSocket *socket);

    UpgradeHandler m_onUpgrade;
};

} // namespace sluice
