// SPDX-License-Identifier: Apache-2.0
#include "ws_inbound_tls.h"

#include "artifacts/parameter_spec.h"
#include "server_tls.h"

#include <QDir>
#include <QFileInfo>

namespace sluice {

namespace {

const QString kKeyStoreFile = QStringLiteral("wss.ssl.key.store.file");
const QString kKeyStorePass = QStringLiteral("wss.ssl.key.store.pass");
const QString kCertPass = QStringLiteral("wss.ssl.cert.pass");
const QString kTrustStoreFile = QStringLiteral("wss.ssl.trust.store.file");
const QString kTrustStorePass = QStringLiteral("wss.ssl.trust.store.pass");
const QString kProtocols = QStringLiteral("wss.ssl.protocols");
const QString kCipherSuites = QStringLiteral("wss.ssl.cipher.suites");
const QString kVerifyClient = QStringLiteral("wss.ssl.verify.client");

class Reader {
public:
    Reader(const InboundEndpoint &inbound, Diagnostics &diagnostics)
        : m_inbound(inbound)
        , m_diagnostics(diagnostics)
    {
    }

    QString text(const QString &name) const
    {
        if (const NamedValue *given = m_inbound.findParameter(name))
            return given->value.trimmed();
        const ParameterSpec *spec = findInboundParameterSpec(m_inbound.protocol, name);
        return spec ? spec->defaultValue : QString();
    }

    // Where a problem with parameter `name` is reported: the parameter, else the endpoint.
    SourceLocation where(const QString &name) const
    {
        const NamedValue *given = m_inbound.findParameter(name);
        return given && given->location.isValid() ? given->location : m_inbound.location;
    }

    void error(const QString &name, const QString &reason)
    {
        m_diagnostics.error(
            where(name),
            QStringLiteral("inbound endpoint '%1': %2: %3").arg(m_inbound.name, name, reason));
    }

    std::optional<QString> secret(const QString &name)
    {
        QString problem;
        auto value = resolveSecret(text(name), &problem);
        if (!value)
            error(name, problem);
        return value;
    }

private:
    const InboundEndpoint &m_inbound;
    Diagnostics &m_diagnostics;
};

} // namespace

QString projectDirectoryOf(const QString &rootPath)
{
    const QFileInfo root(rootPath);
    return root.isDir() ? root.absoluteFilePath() : root.absolutePath();
}

std::optional<QSslConfiguration> wssInboundTls(const InboundEndpoint &inbound,
                                               const QString &projectDirectory,
                                               Diagnostics &diagnostics)
{
    Reader reader(inbound, diagnostics);
    const QDir base(projectDirectory);
    ServerTlsParameters parameters;
    const QString keyStore = reader.text(kKeyStoreFile);
    if (keyStore.isEmpty()) {
        diagnostics.error(inbound.location,
                          QStringLiteral("inbound endpoint '%1': protocol wss needs the "
                                         "parameter '%2' (a PEM or PKCS#12 key store)")
                              .arg(inbound.name, kKeyStoreFile));
        return std::nullopt;
    }
    parameters.keyStoreFile = QDir::cleanPath(base.absoluteFilePath(keyStore));
    const QString trustStore = reader.text(kTrustStoreFile);
    if (!trustStore.isEmpty())
        parameters.trustStoreFile = QDir::cleanPath(base.absoluteFilePath(trustStore));
    const auto keyStorePassword = reader.secret(kKeyStorePass);
    const auto keyPassword = reader.secret(kCertPass);
    const auto trustStorePassword = reader.secret(kTrustStorePass);
    if (!keyStorePassword || !keyPassword || !trustStorePassword)
        return std::nullopt;
    parameters.keyStorePassword = *keyStorePassword;
    parameters.keyPassword = *keyPassword;
    parameters.trustStorePassword = *trustStorePassword;
    parameters.protocols = reader.text(kProtocols);
    parameters.cipherSuites = reader.text(kCipherSuites);
    // As MI: a trust store means client certificates are required, unless said otherwise.
    const QString verify = reader.text(kVerifyClient);
    if (verify.isEmpty()) {
        parameters.clientCertificates =
            trustStore.isEmpty() ? ClientCertificates::None : ClientCertificates::Require;
    } else if (const auto mode = parseClientCertificates(verify)) {
        parameters.clientCertificates = *mode;
    } else {
        reader.error(kVerifyClient,
                     QStringLiteral("'%1' is not none, optional or require").arg(verify));
        return std::nullopt;
    }

    ServerTlsProblem problem;
    auto configuration = serverTlsConfiguration(parameters, &problem);
    if (!configuration) {
        switch (problem.part) {
        case ServerTlsProblem::Part::KeyStore:
            reader.error(kKeyStoreFile, problem.reason);
            break;
        case ServerTlsProblem::Part::TrustStore:
            reader.error(trustStore.isEmpty() ? kVerifyClient : kTrustStoreFile, problem.reason);
            break;
        case ServerTlsProblem::Part::Protocols:
            reader.error(kProtocols, problem.reason);
            break;
        case ServerTlsProblem::Part::CipherSuites:
            reader.error(kCipherSuites, problem.reason);
            break;
        }
    }
    return configuration;
}

} // namespace sluice
