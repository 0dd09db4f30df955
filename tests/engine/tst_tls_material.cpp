// SPDX-License-Identifier: Apache-2.0
// Key and trust stores as the secure transports read them: PEM and PKCS#12 files made by the
// openssl command at test time (no key is committed), wrong passwords, JKS refused with the
// keytool hint, missing files; MI's protocol and cipher lists.
#include "transports/tls_material.h"

#include <QFile>
#include <QTest>

#include "openssl_workdir.h"

using namespace sluice;
using namespace Qt::StringLiterals;

class TestTlsMaterial : public sluice::test::OpenSslTestCase {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        requireOpenSsl();
        // A CA, a server certificate it signs, the key plain and encrypted, and PKCS#12 files.
        openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
                 u"ca.key"_s, u"-out"_s, u"ca.pem"_s, u"-days"_s, u"2"_s, u"-subj"_s,
                 u"/CN=Sluice Test CA"_s});
        openssl({u"req"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s,
                 u"-nodes"_s, u"-keyout"_s, u"server.key"_s, u"-out"_s, u"server.csr"_s, u"-subj"_s,
                 u"/CN=localhost"_s});
        openssl({u"x509"_s, u"-req"_s, u"-in"_s, u"server.csr"_s, u"-CA"_s, u"ca.pem"_s,
                 u"-CAkey"_s, u"ca.key"_s, u"-CAcreateserial"_s, u"-out"_s, u"server.crt"_s,
                 u"-days"_s, u"2"_s});
        openssl({u"pkcs8"_s, u"-topk8"_s, u"-in"_s, u"server.key"_s, u"-out"_s, u"server-enc.key"_s,
                 u"-passout"_s, u"pass:keypass"_s});
        openssl({u"pkcs12"_s, u"-export"_s, u"-in"_s, u"server.crt"_s, u"-inkey"_s, u"server.key"_s,
                 u"-certfile"_s, u"ca.pem"_s, u"-out"_s, u"server.p12"_s, u"-passout"_s,
                 u"pass:storepass"_s});
        QVERIFY2(
            m_dir.concatenate(u"server.pem"_s, {u"server.crt"_s, u"ca.pem"_s, u"server.key"_s}),
            qPrintable(m_dir.lastError()));
        QVERIFY2(m_dir.concatenate(u"server-enc.pem"_s, {u"server.crt"_s, u"server-enc.key"_s}),
                 qPrintable(m_dir.lastError()));
        QFile jks(path(u"keystore.jks"_s));
        QVERIFY(jks.open(QIODevice::WriteOnly));
        jks.write(QByteArray("\xfe\xed\xfe\xed\x00\x00\x00\x02", 8));
    }

    void pemKeyStoreWithChain()
    {
        QString error;
        const auto identity = loadKeyStore(path(u"server.pem"_s), QString(), QString(), &error);
        QVERIFY2(identity, qPrintable(error));
        QCOMPARE(identity->certificate.subjectInfo(QSslCertificate::CommonName).value(0),
                 u"localhost"_s);
        QCOMPARE(identity->chain.size(), 1);
        QCOMPARE(identity->key.algorithm(), QSsl::Ec);
        QVERIFY(certificateValidityProblem(identity->certificate).isEmpty());
    }

    void encryptedPemKeyNeedsItsPassword()
    {
        QString error;
        QVERIFY(loadKeyStore(path(u"server-enc.pem"_s), QString(), u"keypass"_s, &error));
        // The store password stands in for a missing key password, as in MI.
        QVERIFY(loadKeyStore(path(u"server-enc.pem"_s), u"keypass"_s, QString(), &error));
        QVERIFY(!loadKeyStore(path(u"server-enc.pem"_s), QString(), u"wrong"_s, &error));
        QVERIFY2(error.contains(u"wrong key password"_s), qPrintable(error));
    }

    void pkcs12KeyStore()
    {
        QString error;
        const auto identity =
            loadKeyStore(path(u"server.p12"_s), u"storepass"_s, QString(), &error);
        QVERIFY2(identity, qPrintable(error));
        QCOMPARE(identity->certificate.subjectInfo(QSslCertificate::CommonName).value(0),
                 u"localhost"_s);
        QVERIFY(!identity->key.isNull());
        QVERIFY(!loadKeyStore(path(u"server.p12"_s), u"nope"_s, QString(), &error));
        QVERIFY2(error.contains(u"wrong password"_s), qPrintable(error));
    }

    void jksAndMissingFilesAreRefused()
    {
        QString error;
        QVERIFY(!loadKeyStore(path(u"keystore.jks"_s), u"x"_s, QString(), &error));
        QVERIFY2(error.contains(u"keytool -importkeystore"_s) &&
                     error.contains(u"-deststoretype PKCS12"_s),
                 qPrintable(error));
        QVERIFY(!loadTrustStore(path(u"keystore.jks"_s), QString(), &error));
        QVERIFY2(error.contains(u"keytool"_s), qPrintable(error));
        QVERIFY(!loadKeyStore(path(u"absent.pem"_s), QString(), QString(), &error));
        QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));
        QVERIFY(!loadKeyStore(path(u"ca.pem"_s), QString(), QString(), &error));
        QVERIFY2(error.contains(u"no private key"_s), qPrintable(error));
    }

    void trustStores()
    {
        QString error;
        const auto pem = loadTrustStore(path(u"ca.pem"_s), QString(), &error);
        QVERIFY2(pem, qPrintable(error));
        QCOMPARE(pem->size(), 1);
        const auto p12 = loadTrustStore(path(u"server.p12"_s), u"storepass"_s, &error);
        QVERIFY2(p12, qPrintable(error));
        QVERIFY(p12->size() >= 1);
        QVERIFY(!loadTrustStore(path(u"server.key"_s), QString(), &error));
        QVERIFY2(error.contains(u"no certificate"_s), qPrintable(error));
    }

    void protocols()
    {
        QString error;
        QCOMPARE(*parseTlsProtocols(QString(), &error), QSsl::TlsV1_2OrLater);
        QCOMPARE(*parseTlsProtocols(u"TLSv1.2, TLSv1.3"_s, &error), QSsl::TlsV1_2OrLater);
        QCOMPARE(*parseTlsProtocols(u"TLSv1.3"_s, &error), QSsl::TlsV1_3);
        QCOMPARE(*parseTlsProtocols(u"TLSv1.2"_s, &error), QSsl::TlsV1_2);
        QVERIFY(!parseTlsProtocols(u"TLSv1.1,TLSv1.2"_s, &error));
        QVERIFY2(error.contains(u"TLSv1.1 is refused"_s), qPrintable(error));
        QVERIFY(!parseTlsProtocols(u"TLSv9"_s, &error));
        QVERIFY2(error.contains(u"unknown protocol 'TLSv9'"_s), qPrintable(error));
    }

    void cipherSuites()
    {
        QString error;
        const auto none = parseCipherSuites(QString(), &error);
        QVERIFY(none && none->isEmpty());
        const auto some =
            parseCipherSuites(u"ECDHE-RSA-AES128-GCM-SHA256, TLS_AES_128_GCM_SHA256"_s, &error);
        QVERIFY2(some, qPrintable(error));
        QCOMPARE(some->size(), 2);
        QVERIFY(!parseCipherSuites(u"ECDHE-RSA-AES128-GCM-SHA256,NOT-A-CIPHER"_s, &error));
        QVERIFY2(error.contains(u"NOT-A-CIPHER"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestTlsMaterial)
#include "tst_tls_material.moc"
