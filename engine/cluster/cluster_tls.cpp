// SPDX-License-Identifier: Apache-2.0
#include "cluster_tls.h"

#include "transports/client_tls.h"

#include <QDir>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace sluice {

std::shared_ptr<const ClientTls> loadClusterTls(const ClusterConfig &config, const QString &root,
                                                Diagnostics &diagnostics)
{
    if (!config.tls)
        return nullptr;
    const QDir base(root);
    auto resolve = [&](const QString &file) {
        return file.isEmpty() ? file : QDir::cleanPath(base.absoluteFilePath(file));
    };
    QString error;
    const std::shared_ptr<const ClientTls> trust =
        makeClientTls(resolve(config.tlsCaFile), QString(), config.tlsVerifyHostname, &error);
    if (!trust) {
        diagnostics.error(config.location, QStringLiteral("[cluster] tls_ca_file: %1").arg(error));
        return nullptr;
    }
    auto tls = std::make_shared<ClientTls>(*trust);
    if (config.tlsCertFile.isEmpty())
        return tls;
    const QString certFile = resolve(config.tlsCertFile);
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certFile, QSsl::Pem);
    if (chain.isEmpty()) {
        diagnostics.error(
            config.location,
            QStringLiteral("[cluster] tls_cert_file: no PEM certificate in %1").arg(certFile));
        return nullptr;
    }
    const QString keyFile = resolve(config.tlsKeyFile);
    QFile file(keyFile);
    QSslKey key;
    if (file.open(QIODevice::ReadOnly)) {
        const QByteArray pem = file.readAll();
        key = QSslKey(pem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    }
    if (key.isNull()) {
        diagnostics.error(config.location,
                          QStringLiteral("[cluster] tls_key_file: no unencrypted PEM RSA or EC "
                                         "key in %1")
                              .arg(keyFile));
        return nullptr;
    }
    tls->configuration.setLocalCertificateChain(chain);
    tls->configuration.setPrivateKey(key);
    return tls;
}

} // namespace sluice
