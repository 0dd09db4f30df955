// SPDX-License-Identifier: Apache-2.0
#include "server_tls_handshake.h"

#include <QSslSocket>
#include <QStringList>

namespace sluice {

namespace {

const char *const kRefused = "sluice.refused";

} // namespace

void startServerHandshake(QSslSocket *socket, const QSslConfiguration &configuration,
                          QObject *context, std::function<void()> encrypted,
                          std::function<void(const QString &reason)> refused)
{
    socket->setSslConfiguration(configuration);
    QObject::connect(socket, &QSslSocket::encrypted, context, [socket, encrypted] {
        if (socket->property(kRefused).toBool()) {
            socket->abort();
            return;
        }
        encrypted();
    });
    QObject::connect(socket, &QSslSocket::sslErrors, context,
                     [socket, refused](const QList<QSslError> &errors) {
                         if (socket->peerVerifyMode() != QSslSocket::QueryPeer ||
                             socket->peerCertificate().isNull())
                             return;
                         QStringList reasons;
                         for (const QSslError &error : errors)
                             reasons << error.errorString();
                         socket->setProperty(kRefused, true);
                         refused(QStringLiteral("client certificate refused: ") +
                                 reasons.join(QStringLiteral("; ")));
                     });
    QObject::connect(socket, &QAbstractSocket::errorOccurred, context, [socket, refused] {
        if (socket->isEncrypted() || socket->property(kRefused).toBool())
            return;
        socket->setProperty(kRefused, true);
        refused(socket->errorString());
    });
    socket->startServerEncryption();
}

} // namespace sluice
