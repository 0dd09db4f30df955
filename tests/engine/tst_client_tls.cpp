// SPDX-License-Identifier: Apache-2.0
// The client side of TLS for the wss:// and https:// senders: trust stores loaded once per
// deployment (a PKCS#12 store of certificates only, as keytool makes from a JKS trust store, the
// system bundle when none is named), the only error hostname verification = false accepts, and
// deployment errors that name the key and never the password. Files made by openssl at test time.
#include "transports/client_tls.h"
#include "transports/secure_sender_tls.h"
#include "transports/tls_material.h"

#include <QTest>

#include "openssl_workdir.h"

using namespace sluice;
using namespace Qt::StringLiterals;

class TestClientTls : public sluice::test::OpenSslTestCase {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        requireOpenSsl();
        openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
                 u"ca.key"_s, u"-out"_s, u"ca.pem"_s, u"-days"_s, u"2"_s, u"-subj"_s,
                 u"/CN=Sluice Client Test CA"_s});
        // A trust store without a private key, which Qt's own PKCS#12 import refuses.
        openssl({u"pkcs12"_s, u"-export"_s, u"-nokeys"_s, u"-in"_s, u"ca.pem"_s, u"-out"_s,
                 u"trust.p12"_s, u"-passout"_s, u"pass:trustpass"_s});
    }

    void certificateOnlyPkcs12TrustStore()
    {
        QString error;
        const auto certificates = loadTrustStore(path(u"trust.p12"_s), u"trustpass"_s, &error);
        QVERIFY2(certificates, qPrintable(error));
        QCOMPARE(certificates->size(), 1);
        QCOMPARE(certificates->first().subjectInfo(QSslCertificate::CommonName).value(0),
                 u"Sluice Client Test CA"_s);

        QVERIFY(!loadTrustStore(path(u"trust.p12"_s), u"not-the-password"_s, &error));
        QVERIFY2(error.contains(u"wrong password"_s), qPrintable(error));
        QVERIFY(!error.contains(u"not-the-password"_s));
    }

    void trustStoreOrSystemBundle()
    {
        QString error;
        const auto fromStore = makeClientTls(path(u"ca.pem"_s), QString(), true, &error);
        QVERIFY2(fromStore, qPrintable(error));
        QCOMPARE(fromStore->configuration.caCertificates().size(), 1);
        QCOMPARE(fromStore->configuration.protocol(), QSsl::TlsV1_2OrLater);
        QCOMPARE(fromStore->configuration.peerVerifyMode(), QSslSocket::VerifyPeer);
        QVERIFY(fromStore->trustSource.contains(path(u"ca.pem"_s)));

        const auto system = makeClientTls(QString(), QString(), true, &error);
        QVERIFY(system);
        QCOMPARE(system->trustSource, u"the system CA bundle"_s);
        QCOMPARE(system->configuration.caCertificates(), QSslConfiguration::systemCaCertificates());

        QVERIFY(!makeClientTls(path(u"missing.pem"_s), QString(), true, &error));
        QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));
    }

    void hostnameVerificationOffAcceptsOnlyAMismatch()
    {
        const QList<QSslError> errors{QSslError(QSslError::HostNameMismatch),
                                      QSslError(QSslError::CertificateExpired)};
        ClientTls tls;
        QVERIFY(acceptableTlsErrors(errors, tls).isEmpty());
        tls.hostnameVerification = false;
        const QList<QSslError> acceptable = acceptableTlsErrors(errors, tls);
        QCOMPARE(acceptable.size(), 1);
        QCOMPARE(acceptable.first().error(), QSslError::HostNameMismatch);
        QVERIFY(describeTlsErrors(errors).contains(u"expired"_s));
    }

    void deploymentErrorsNameTheKey()
    {
        ProjectConfig config;
        config.sourceFile = u"deployment.toml"_s;
        Diagnostics none;
        const auto defaults = loadSecureSenderTls(config, none);
        QVERIFY(defaults);
        QVERIFY(!defaults->wss); // the wss sender is off by default
        QVERIFY(defaults->https);

        config.wss.enabled = true;
        config.wss.trustStoreFile = path(u"trust.p12"_s);
        config.wss.trustStorePassword = u"s3cret-wrong"_s;
        config.wss.trustStoreSource = {u"deployment.toml"_s, 3, 30};
        config.truststore.file = path(u"nowhere.pem"_s);
        config.truststore.fileNameSource = {u"deployment.toml"_s, 7, 13};
        Diagnostics diagnostics;
        QVERIFY(!loadSecureSenderTls(config, diagnostics));
        const QString text = diagnostics.toString();
        QVERIFY2(text.contains(u"deployment.toml:3:30"_s), qPrintable(text));
        QVERIFY2(text.contains(u"[transport.wss] sender.truststore_location"_s), qPrintable(text));
        QVERIFY2(text.contains(u"deployment.toml:7:13"_s), qPrintable(text));
        QVERIFY2(text.contains(u"[truststore] file_name"_s), qPrintable(text));
        QVERIFY(!text.contains(u"s3cret-wrong"_s));

        // From an EI 6.x axis2.xml, the parameter is named as it is written there.
        config.sourceFile = u"conf/axis2/axis2.xml"_s;
        config.truststore = TrustStoreConfig();
        config.wss.trustStoreSource = {u"conf/axis2/axis2.xml"_s, 12, 5};
        Diagnostics axis2;
        QVERIFY(!loadSecureSenderTls(config, axis2));
        QVERIFY2(axis2.toString().startsWith(u"conf/axis2/axis2.xml:12:5: transportSender wss "
                                             "parameter ws.trust.store.location: "_s),
                 qPrintable(axis2.toString()));
    }
};

QTEST_GUILESS_MAIN(TestClientTls)
#include "tst_client_tls.moc"
