// SPDX-License-Identifier: Apache-2.0
#include "server_tls.h"

#include "tls_material.h"

#include <QRegularExpression>
#include <QSslKey>

namespace sluice {

std::optional<QSslConfiguration> serverTlsConfiguration(const ServerTlsParameters &parameters,
                                                        ServerTlsProblem *problem)
{
    using Part = ServerTlsProblem::Part;
    auto fail = [problem](Part part, const QString &reason) {
        problem->part = part;
        problem->reason = reason;
        return std::nullopt;
    };
    QString error;
    if (parameters.keyStoreFile.isEmpty())
        return fail(Part::KeyStore, QStringLiteral("no key store is configured: a TLS listener "
                                                   "needs a certificate and its private key"));
    const auto identity = loadKeyStore(parameters.keyStoreFile, parameters.keyStorePassword,
                                       parameters.keyPassword, &error);
    if (!identity)
        return fail(Part::KeyStore, error);
    // Serving an expired certificate only moves the error to every client: refuse it here.
    const QString validity = certificateValidityProblem(identity->certificate);
    if (!validity.isEmpty())
        return fail(Part::KeyStore,
                    QStringLiteral("key store %1: %2").arg(parameters.keyStoreFile, validity));
    const auto protocol = parseTlsProtocols(parameters.protocols, &error);
    if (!protocol)
        return fail(Part::Protocols, error);
    const auto ciphers = parseCipherSuites(parameters.cipherSuites, &error);
    if (!ciphers)
        return fail(Part::CipherSuites, error);

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(identity->certificate);
    configuration.setLocalCertificateChain(QList<QSslCertificate>{identity->certificate} +
                                           identity->chain);
    configuration.setPrivateKey(identity->key);
    configuration.setProtocol(*protocol);
    if (!ciphers->isEmpty())
        configuration.setCiphers(*ciphers);
    if (!parameters.trustStoreFile.isEmpty()) {
        const auto trusted =
            loadTrustStore(parameters.trustStoreFile, parameters.trustStorePassword, &error);
        if (!trusted)
            return fail(Part::TrustStore, error);
        // Only the configured CAs vouch for clients, not the system's.
        configuration.setCaCertificates(*trusted);
    } else if (parameters.clientCertificates != ClientCertificates::None) {
        return fail(Part::TrustStore, QStringLiteral("client certificates are asked for but no "
                                                     "trust store says which CAs to trust"));
    }
    switch (parameters.clientCertificates) {
    case ClientCertificates::None:
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        break;
    case ClientCertificates::Optional:
        // QueryPeer asks without insisting; a certificate that is offered but does not verify
        // still raises sslErrors(), on which the listener refuses the client.
        configuration.setPeerVerifyMode(QSslSocket::QueryPeer);
        break;
    case ClientCertificates::Require:
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
        break;
    }
    return configuration;
}

std::optional<ClientCertificates> parseClientCertificates(const QString &text)
{
    const QString value = text.trimmed().toLower();
    if (value == QLatin1String("none"))
        return ClientCertificates::None;
    if (value == QLatin1String("optional"))
        return ClientCertificates::Optional;
    if (value == QLatin1String("require"))
        return ClientCertificates::Require;
    return std::nullopt;
}

std::optional<QString> resolveSecret(const QString &value, QString *error)
{
    static const QRegularExpression reference(
        QStringLiteral("^\\$env(?::([A-Za-z_][A-Za-z0-9_]*)|\\{([A-Za-z_][A-Za-z0-9_]*)\\})$"));
    const QRegularExpressionMatch match = reference.match(value.trimmed());
    if (!match.hasMatch())
        return value;
    const QString name = match.captured(1).isEmpty() ? match.captured(2) : match.captured(1);
    const QByteArray variable = name.toLocal8Bit();
    if (!qEnvironmentVariableIsSet(variable.constData())) {
        *error = QStringLiteral("environment variable %1 is not set").arg(name);
        return std::nullopt;
    }
    return qEnvironmentVariable(variable.constData());
}

} // namespace sluice
