// SPDX-License-Identifier: Apache-2.0
#include "server_tls.h"

#include "tls_material.h"

#include <QRegularExpression>
#include <QSslKey>

namespace sluice {

namespace {

// The largest INTEGER or BIT STRING in DER data (searching inside BIT STRINGs that hold DER):
// of a public key, its RSA modulus or its EC point.
void largestKeyPart(QByteArrayView der, QByteArrayView &largest, int depth = 0)
{
    qsizetype at = 0;
    while (depth < 8 && at + 2 <= der.size()) {
        const auto tag = quint8(der[at]);
        qsizetype length = quint8(der[at + 1]);
        at += 2;
        if (length & 0x80) {
            const int bytes = int(length & 0x7f);
            if (bytes == 0 || bytes > 4 || at + bytes > der.size())
                return;
            length = 0;
            for (int i = 0; i < bytes; ++i)
                length = (length << 8) | quint8(der[at++]);
        }
        if (length > der.size() - at)
            return;
        const QByteArrayView content = der.sliced(at, length);
        at += length;
        if (tag == 0x30 || (tag & 0xe0) == 0xa0) { // SEQUENCE, or a context-specific wrapper
            largestKeyPart(content, largest, depth + 1);
        } else if (tag == 0x02 && content.size() > largest.size()) { // INTEGER
            largest = content;
        } else if (tag == 0x03 && content.size() > 1) { // BIT STRING: skip the unused-bits byte
            const QByteArrayView bits = content.sliced(1);
            // An RSA key's bits are DER (a SEQUENCE of modulus and exponent); an EC key's are
            // its point.
            QByteArrayView inner;
            if (bits.startsWith('\x30'))
                largestKeyPart(bits, inner, depth + 1);
            const QByteArrayView candidate = inner.isEmpty() ? bits : inner;
            if (candidate.size() > largest.size())
                largest = candidate;
        }
    }
}

// Whether `key` is the private half of `certificate`'s public key: its modulus (RSA) or point
// (EC) appears in the private key. Unknown layouts are given the benefit of the doubt (the
// TLS library still refuses the pair at the first handshake).
bool keyBelongsToCertificate(const QSslKey &key, const QSslCertificate &certificate)
{
    const QByteArray publicDer = certificate.publicKey().toDer();
    QByteArrayView part;
    largestKeyPart(publicDer, part);
    if (part.size() < 32)
        return true;
    return key.toDer().contains(part);
}

} // namespace

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
    if (!keyBelongsToCertificate(identity->key, identity->certificate))
        return fail(Part::KeyStore,
                    QStringLiteral("key store %1: the private key does not belong to the "
                                   "certificate %2")
                        .arg(parameters.keyStoreFile, identity->certificate.subjectDisplayName()));
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
