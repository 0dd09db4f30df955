// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSslConfiguration>
#include <QString>
#include <optional>

namespace sluice {

// The TLS side of a listener (a wss inbound endpoint, the HTTPS listener): its own certificate
// and key, the TLS versions and cipher suites it offers and whether it asks clients for a
// certificate. Built once at deployment, so that every file problem is a deployment error and
// accepting a connection reads no file.

// How a listener treats client certificates (axis2's SSLVerifyClient values).
enum class ClientCertificates {
    None,     // not asked for
    Optional, // asked for; a client without one is served, one with an untrusted one refused
    Require,  // a client without a trusted certificate is refused
};

struct ServerTlsParameters {
    // Absolute file names; the passwords are already resolved (never logged).
    QString keyStoreFile;
    QString keyStorePassword;
    QString keyPassword; // empty: the key store password
    QString trustStoreFile;
    QString trustStorePassword;
    QString protocols;    // MI's list, empty: TLSv1.2,TLSv1.3
    QString cipherSuites; // empty: the TLS library's defaults
    ClientCertificates clientCertificates = ClientCertificates::None;
};

// Which parameter a problem is about (the caller maps it to a file:line:col) and why.
struct ServerTlsProblem {
    enum class Part { KeyStore, TrustStore, Protocols, CipherSuites };
    Part part = Part::KeyStore;
    QString reason;
};

// The configuration QSslSocket::startServerEncryption() needs, or the first problem: a missing
// or unreadable store, a wrong password, a JKS store, an expired or not yet valid certificate,
// a key that is not the certificate's, a refused protocol or an unknown cipher suite.
std::optional<QSslConfiguration> serverTlsConfiguration(const ServerTlsParameters &parameters,
                                                        ServerTlsProblem *problem);

// "none", "optional", "require" (case-insensitive); nullopt for anything else.
std::optional<ClientCertificates> parseClientCertificates(const QString &text);

// A password parameter's value: "$env:NAME" (or "$env{NAME}") is read from the environment.
// A missing variable is an error naming the variable, never a value.
std::optional<QString> resolveSecret(const QString &value, QString *error);

} // namespace sluice
