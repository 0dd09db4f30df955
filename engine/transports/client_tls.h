// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>
#include <memory>

namespace sluice {

// How the senders (wss://, https://) check the servers they connect to: the trusted CAs (a trust
// store, else the system CA bundle), TLS 1.2 or later, the peer always verified. Built once per
// deployment and shared, read-only, by every connection on every worker thread.
struct ClientTls {
    QSslConfiguration configuration;
    // MI's ws.client.enable.hostname.verification: when false, a certificate issued for another
    // name is accepted (it must still be trusted and valid); no other error is ever ignored.
    bool hostnameVerification = true;
    // What the CAs came from, for messages: "trust store /x/ca.pem" or "the system CA bundle".
    QString trustSource;
    // Set when the configured trust store cannot be used (a JKS [truststore], which MI's default
    // deployment.toml names): every connection fails with this reason instead.
    QString unusable{};
};

// The client TLS settings of a sender. `trustStoreFile` empty: the system CA bundle. Returns
// nullptr with `error` set (the file and the reason, never the password) when the trust store
// cannot be used.
std::shared_ptr<const ClientTls> makeClientTls(const QString &trustStoreFile,
                                               const QString &password, bool hostnameVerification,
                                               QString *error);

// The errors of a handshake that `tls` accepts (only a host name mismatch, when hostname
// verification is off); the handshake goes on only when these are all of them.
QList<QSslError> acceptableTlsErrors(const QList<QSslError> &errors, const ClientTls &tls);

// The errors of a refused handshake, for the fault reason: "certificate expired; host name
// mismatch" (Qt's texts, joined).
QString describeTlsErrors(const QList<QSslError> &errors);

} // namespace sluice
