// SPDX-License-Identifier: Apache-2.0
#include "client_tls.h"

#include "tls_material.h"

namespace sluice {

std::shared_ptr<const ClientTls> makeClientTls(const QString &trustStoreFile,
                                               const QString &password, bool hostnameVerification,
                                               QString *error)
{
    auto tls = std::make_shared<ClientTls>();
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    if (trustStoreFile.isEmpty()) {
        configuration.setCaCertificates(QSslConfiguration::systemCaCertificates());
        tls->trustSource = QStringLiteral("the system CA bundle");
    } else {
        const auto certificates = loadTrustStore(trustStoreFile, password, error);
        if (!certificates)
            return nullptr;
        // Only the trust store's CAs: a backend certificate from a public CA is not trusted
        // unless the store holds that CA, as with MI's ws.trust.store.
        configuration.setCaCertificates(*certificates);
        tls->trustSource = QStringLiteral("trust store %1").arg(trustStoreFile);
    }
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    tls->configuration = configuration;
    tls->hostnameVerification = hostnameVerification;
    return tls;
}

QList<QSslError> acceptableTlsErrors(const QList<QSslError> &errors, const ClientTls &tls)
{
    QList<QSslError> acceptable;
    if (tls.hostnameVerification)
        return acceptable;
    for (const QSslError &error : errors) {
        if (error.error() == QSslError::HostNameMismatch)
            acceptable.append(error);
    }
    return acceptable;
}

QString describeTlsErrors(const QList<QSslError> &errors)
{
    QStringList texts;
    for (const QSslError &error : errors) {
        if (!texts.contains(error.errorString()))
            texts.append(error.errorString());
    }
    return texts.join(QStringLiteral("; "));
}

} // namespace sluice
