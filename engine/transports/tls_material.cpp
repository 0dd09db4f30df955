// SPDX-License-Identifier: Apache-2.0
#include "tls_material.h"

#include "pkcs12_certificates.h"

#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSslConfiguration>

namespace sluice {

namespace {

// Java key stores begin with a magic number (JKS 0xFEEDFEED, JCEKS 0xCECECECE).
bool isJavaKeyStore(const QByteArray &data)
{
    static const QByteArray kJks("\xfe\xed\xfe\xed", 4);
    static const QByteArray kJceks("\xce\xce\xce\xce", 4);
    return data.startsWith(kJks) || data.startsWith(kJceks);
}

bool isPem(const QByteArray &data)
{
    return data.contains("-----BEGIN ");
}

std::optional<QByteArray> readStore(const QString &file, const char *what, QString *error)
{
    QFile in(file);
    if (!QFileInfo(file).isFile()) {
        *error = QStringLiteral("%1 %2 does not exist").arg(QLatin1String(what), file);
        return std::nullopt;
    }
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the %1 %2: %3")
                     .arg(QLatin1String(what), file, in.errorString());
        return std::nullopt;
    }
    const QByteArray data = in.readAll();
    if (isJavaKeyStore(data)) {
        *error = QStringLiteral("%1 %2 is a Java key store: %3")
                     .arg(QLatin1String(what), file, jksStoreHint(file));
        return std::nullopt;
    }
    return data;
}

// The private key of a PEM file: Qt needs the algorithm, which a PKCS#8 block does not name.
QSslKey pemPrivateKey(const QByteArray &data, const QByteArray &passphrase)
{
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa, QSsl::Dh}) {
        QSslKey key(data, algorithm, QSsl::Pem, QSsl::PrivateKey, passphrase);
        if (!key.isNull())
            return key;
    }
    return QSslKey();
}

} // namespace

QString jksStoreHint(const QString &file)
{
    QString base = file.isEmpty() ? QStringLiteral("keystore") : file;
    if (base.endsWith(QLatin1String(".jks"), Qt::CaseInsensitive))
        base.chop(4);
    return QStringLiteral("JKS stores are not supported; convert it with keytool -importkeystore "
                          "-srckeystore %1.jks -destkeystore %1.p12 -deststoretype PKCS12")
        .arg(base);
}

std::optional<TlsIdentity> loadKeyStore(const QString &file, const QString &storePassword,
                                        const QString &keyPassword, QString *error)
{
    const auto data = readStore(file, "key store", error);
    if (!data)
        return std::nullopt;
    TlsIdentity identity;
    if (isPem(*data)) {
        QList<QSslCertificate> certificates = QSslCertificate::fromData(*data, QSsl::Pem);
        if (certificates.isEmpty()) {
            *error = QStringLiteral("key store %1 holds no certificate").arg(file);
            return std::nullopt;
        }
        if (!data->contains("PRIVATE KEY-----")) {
            *error = QStringLiteral("key store %1 holds no private key").arg(file);
            return std::nullopt;
        }
        const QString password = keyPassword.isEmpty() ? storePassword : keyPassword;
        identity.key = pemPrivateKey(*data, password.toUtf8());
        if (identity.key.isNull()) {
            *error = QStringLiteral("cannot read the private key of key store %1 (wrong key "
                                    "password, or an unsupported key)")
                         .arg(file);
            return std::nullopt;
        }
        identity.certificate = certificates.takeFirst();
        identity.chain = certificates;
    } else {
        QByteArray bytes = *data;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::ReadOnly);
        if (!QSslCertificate::importPkcs12(&buffer, &identity.key, &identity.certificate,
                                           &identity.chain, storePassword.toUtf8())) {
            *error = QStringLiteral("cannot open key store %1 as PKCS#12 (wrong password, or "
                                    "not a PEM or PKCS#12 file)")
                         .arg(file);
            return std::nullopt;
        }
    }
    if (identity.certificate.publicKey() != QSslKey() &&
        identity.certificate.publicKey().algorithm() != identity.key.algorithm()) {
        *error = QStringLiteral("the private key of key store %1 does not belong to its "
                                "certificate")
                     .arg(file);
        return std::nullopt;
    }
    return identity;
}

std::optional<QList<QSslCertificate>> loadTrustStore(const QString &file, const QString &password,
                                                     QString *error)
{
    const auto data = readStore(file, "trust store", error);
    if (!data)
        return std::nullopt;
    QList<QSslCertificate> certificates;
    if (isPem(*data)) {
        certificates = QSslCertificate::fromData(*data, QSsl::Pem);
    } else if (auto read = readPkcs12Certificates(*data, password); read && !read->isEmpty()) {
        // libcrypto first: a trust store usually holds no key, which Qt's import refuses (and
        // logs "Unable to convert private key" for).
        certificates = *read;
    } else {
        QByteArray bytes = *data;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::ReadOnly);
        QSslKey key;
        QSslCertificate certificate;
        // A PKCS#12 trust store holds certificates only; Qt's import wants a key, so read the
        // certificates with the key optional through the CA list.
        if (!QSslCertificate::importPkcs12(&buffer, &key, &certificate, &certificates,
                                           password.toUtf8())) {
            *error = QStringLiteral("cannot open trust store %1 as PKCS#12 (wrong password, "
                                    "or not a PEM or PKCS#12 file)")
                         .arg(file);
            return std::nullopt;
        }
        if (!certificate.isNull())
            certificates.prepend(certificate);
    }
    if (certificates.isEmpty()) {
        *error = QStringLiteral("trust store %1 holds no certificate").arg(file);
        return std::nullopt;
    }
    return certificates;
}

std::optional<QSsl::SslProtocol> parseTlsProtocols(const QString &list, QString *error)
{
    bool v12 = false;
    bool v13 = false;
    const QStringList names = list.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &raw : names) {
        const QString name = raw.trimmed();
        if (name.compare(QLatin1String("TLSv1.2"), Qt::CaseInsensitive) == 0) {
            v12 = true;
        } else if (name.compare(QLatin1String("TLSv1.3"), Qt::CaseInsensitive) == 0) {
            v13 = true;
        } else if (name.compare(QLatin1String("TLSv1"), Qt::CaseInsensitive) == 0 ||
                   name.compare(QLatin1String("TLSv1.1"), Qt::CaseInsensitive) == 0 ||
                   name.startsWith(QLatin1String("SSL"), Qt::CaseInsensitive)) {
            *error = QStringLiteral("protocol %1 is refused: it is broken (use TLSv1.2 and "
                                    "TLSv1.3)")
                         .arg(name);
            return std::nullopt;
        } else if (!name.isEmpty()) {
            *error = QStringLiteral("unknown protocol '%1' (expected TLSv1.2, TLSv1.3)").arg(name);
            return std::nullopt;
        }
    }
    if (v12 && !v13)
        return QSsl::TlsV1_2;
    if (v13 && !v12)
        return QSsl::TlsV1_3;
    return QSsl::TlsV1_2OrLater; // both, or the default
}

std::optional<QList<QSslCipher>> parseCipherSuites(const QString &list, QString *error)
{
    QList<QSslCipher> ciphers;
    QStringList unknown;
    const QList<QSslCipher> supported = QSslConfiguration::supportedCiphers();
    for (const QString &raw : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString name = raw.trimmed();
        if (name.isEmpty())
            continue;
        // OpenSSL names first (QSslCipher's), then IANA names (TLS_...), which OpenSSL spells
        // with dashes and without the prefix for TLS 1.2 suites.
        QSslCipher cipher(name);
        if (cipher.isNull()) {
            for (const QSslCipher &candidate : supported) {
                if (candidate.name().compare(name, Qt::CaseInsensitive) == 0) {
                    cipher = candidate;
                    break;
                }
            }
        }
        if (cipher.isNull())
            unknown.append(name);
        else
            ciphers.append(cipher);
    }
    if (!unknown.isEmpty()) {
        *error =
            QStringLiteral("unknown cipher suite(s): %1").arg(unknown.join(QLatin1String(", ")));
        return std::nullopt;
    }
    return ciphers;
}

QString certificateValidityProblem(const QSslCertificate &certificate)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (certificate.expiryDate() < now)
        return QStringLiteral("certificate %1 expired on %2")
            .arg(certificate.subjectDisplayName(), certificate.expiryDate().toString(Qt::ISODate));
    if (certificate.effectiveDate() > now)
        return QStringLiteral("certificate %1 is not valid before %2")
            .arg(certificate.subjectDisplayName(),
                 certificate.effectiveDate().toString(Qt::ISODate));
    return QString();
}

} // namespace sluice
