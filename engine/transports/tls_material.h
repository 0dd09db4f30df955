// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QSsl>
#include <QSslCertificate>
#include <QSslCipher>
#include <QSslKey>
#include <QString>
#include <optional>

namespace sluice {

// The certificates and keys of the secure transports (wss inbound endpoints, the wss sender,
// the HTTPS listener and sender), read with Qt's TLS backend (OpenSSL): MI's key and trust store
// parameters name files, and Sluice reads PEM and PKCS#12 files. A JKS store is refused with
// the keytool command that converts it. Errors say what is wrong with the file without quoting
// passwords.

// A server's (or a client's) own certificate, its chain and its private key.
struct TlsIdentity {
    QSslCertificate certificate;
    QList<QSslCertificate> chain; // intermediates, without `certificate`
    QSslKey key;
};

// A key store: a PEM file with the certificate (then its chain) and the private key, or a
// PKCS#12 file (.p12 / .pfx). `storePassword` opens a PKCS#12 file; `keyPassword` (empty: the
// store password) decrypts an encrypted PEM key.
std::optional<TlsIdentity> loadKeyStore(const QString &file, const QString &storePassword,
                                        const QString &keyPassword, QString *error);

// Trusted certificates (CAs): a PEM bundle, or a PKCS#12 file opened with `password`.
std::optional<QList<QSslCertificate>> loadTrustStore(const QString &file, const QString &password,
                                                     QString *error);

// MI's protocol list ("TLSv1.2,TLSv1.3"; empty: that default) as the range Qt accepts. Versions
// before TLS 1.2 are refused: they are broken, and nothing falls back to them.
std::optional<QSsl::SslProtocol> parseTlsProtocols(const QString &list, QString *error);

// A comma-separated cipher suite list (OpenSSL or IANA names; empty: the backend's defaults,
// returned as an empty list). Unknown names are an error naming them.
std::optional<QList<QSslCipher>> parseCipherSuites(const QString &list, QString *error);

// Why `certificate` cannot be used now (expired, not yet valid), or an empty string.
QString certificateValidityProblem(const QSslCertificate &certificate);

// The hint for a JKS key or trust store at `file`.
QString jksStoreHint(const QString &file);

} // namespace sluice
