// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <optional>

namespace sluice {

// Every certificate of a PKCS#12 file opened with `password`, read with OpenSSL's libcrypto.
// Qt's QSslCertificate::importPkcs12 refuses a store without a private key, which is what a
// trust store is (keytool -importkeystore of a JKS trust store, openssl pkcs12 -export -nokeys).
// nullopt when the data is not PKCS#12 or the password does not open it.
std::optional<QList<QSslCertificate>> readPkcs12Certificates(const QByteArray &data,
                                                             const QString &password);

} // namespace sluice
