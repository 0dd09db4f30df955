// SPDX-License-Identifier: Apache-2.0
#include "pkcs12_certificates.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <memory>

namespace sluice {

namespace {

QSslCertificate toQt(X509 *certificate)
{
    const int size = i2d_X509(certificate, nullptr);
    if (size <= 0)
        return QSslCertificate();
    QByteArray der(size, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    i2d_X509(certificate, &out);
    return QSslCertificate(der, QSsl::Der);
}

} // namespace

std::optional<QList<QSslCertificate>> readPkcs12Certificates(const QByteArray &data,
                                                             const QString &password)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(data.constData(), int(data.size())), &BIO_free);
    if (!bio)
        return std::nullopt;
    std::unique_ptr<PKCS12, decltype(&PKCS12_free)> store(d2i_PKCS12_bio(bio.get(), nullptr),
                                                          &PKCS12_free);
    EVP_PKEY *key = nullptr;
    X509 *certificate = nullptr;
    STACK_OF(X509) *others = nullptr;
    const QByteArray passphrase = password.toUtf8();
    const bool parsed = store && PKCS12_parse(store.get(), passphrase.constData(), &key,
                                              &certificate, &others) == 1;
    // OpenSSL's error queue is per thread and Qt's TLS backend reads it: leave it empty.
    ERR_clear_error();
    if (!parsed)
        return std::nullopt;
    QList<QSslCertificate> certificates;
    if (certificate)
        certificates.append(toQt(certificate));
    for (int i = 0; others && i < sk_X509_num(others); ++i)
        certificates.append(toQt(sk_X509_value(others, i)));
    EVP_PKEY_free(key);
    X509_free(certificate);
    sk_X509_pop_free(others, X509_free);
    certificates.removeIf([](const QSslCertificate &c) { return c.isNull(); });
    return certificates;
}

} // namespace sluice
