// SPDX-License-Identifier: Apache-2.0
// The TLS side of Sluice's listeners: wss inbound parameters (wss.ssl.*, $env: passwords,
// wss.ssl.verify.client) and the server configuration they build, with certificates made by the
// openssl command at test time; every problem is an error at the parameter it is about.
#include "transports/server_tls.h"
#include "transports/ws_inbound_tls.h"

#include <QFile>
#include <QSslKey>
#include <QTest>

#include "openssl_workdir.h"

using namespace sluice;
using namespace Qt::StringLiterals;

using Parameters = QList<std::pair<QString, QString>>;

class TestServerTls : public sluice::test::OpenSslTestCase {
    Q_OBJECT

    ServerTlsParameters valid() const
    {
        ServerTlsParameters parameters;
        parameters.keyStoreFile = path(u"server.pem"_s);
        return parameters;
    }

    // A wss inbound endpoint read from "in.xml", each parameter on its own line from line 3.
    static InboundEndpoint wss(const Parameters &parameters)
    {
        InboundEndpoint inbound;
        inbound.name = u"secure"_s;
        inbound.protocol = u"wss"_s;
        inbound.location = {u"in.xml"_s, 2, 1};
        int line = 3;
        for (const auto &[name, value] : parameters)
            inbound.parameters.append({name, value, {u"in.xml"_s, line++, 9}});
        return inbound;
    }

private slots:
    void initTestCase()
    {
        requireOpenSsl();
        openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
                 u"server.key"_s, u"-out"_s, u"server.crt"_s, u"-days"_s, u"2"_s, u"-subj"_s,
                 u"/CN=localhost"_s});
        openssl({u"genrsa"_s, u"-out"_s, u"other.key"_s, u"2048"_s});
        openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                 u"ec_paramgen_curve:P-256"_s, u"-nodes"_s, u"-keyout"_s, u"ec.key"_s, u"-out"_s,
                 u"ec.crt"_s, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=localhost"_s});
        openssl({u"ecparam"_s, u"-name"_s, u"prime256v1"_s, u"-genkey"_s, u"-noout"_s, u"-out"_s,
                 u"other-ec.key"_s});
        concatenate(u"server.pem"_s, {u"server.crt"_s, u"server.key"_s});
        concatenate(u"mismatch.pem"_s, {u"server.crt"_s, u"other.key"_s});
        concatenate(u"ec.pem"_s, {u"ec.crt"_s, u"ec.key"_s});
        concatenate(u"ec-mismatch.pem"_s, {u"ec.crt"_s, u"other-ec.key"_s});
    }

    void clientCertificateModes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("mode"); // -1: refused
        QTest::newRow("none") << u"none"_s << int(ClientCertificates::None);
        QTest::newRow("optional") << u"optional"_s << int(ClientCertificates::Optional);
        QTest::newRow("require, any case") << u" Require "_s << int(ClientCertificates::Require);
        QTest::newRow("MI's want") << u"want"_s << -1;
        QTest::newRow("empty") << QString() << -1;
    }

    void clientCertificateModes()
    {
        QFETCH(QString, text);
        QFETCH(int, mode);
        const auto parsed = parseClientCertificates(text);
        QCOMPARE(parsed ? int(*parsed) : -1, mode);
    }

    void secretsFromTheEnvironment()
    {
        qputenv("SLUICE_TEST_SECRET", "s3cret");
        QString error;
        QCOMPARE(resolveSecret(u"plain value"_s, &error), u"plain value"_s);
        QCOMPARE(resolveSecret(u"$env:SLUICE_TEST_SECRET"_s, &error), u"s3cret"_s);
        QCOMPARE(resolveSecret(u"$env{SLUICE_TEST_SECRET}"_s, &error), u"s3cret"_s);
        qunsetenv("SLUICE_TEST_SECRET");
        QVERIFY(!resolveSecret(u"$env:SLUICE_TEST_SECRET"_s, &error));
        QCOMPARE(error, u"environment variable SLUICE_TEST_SECRET is not set"_s);
    }

    void configurationFromAValidKeyStore()
    {
        ServerTlsProblem problem;
        auto configuration = serverTlsConfiguration(valid(), &problem);
        QVERIFY2(configuration, qPrintable(problem.reason));
        QCOMPARE(configuration->localCertificate().subjectInfo(QSslCertificate::CommonName),
                 QStringList{u"localhost"_s});
        QVERIFY(!configuration->privateKey().isNull());
        QCOMPARE(configuration->protocol(), QSsl::TlsV1_2OrLater);
        QCOMPARE(configuration->peerVerifyMode(), QSslSocket::VerifyNone);

        ServerTlsParameters ec = valid();
        ec.keyStoreFile = path(u"ec.pem"_s);
        QVERIFY2(serverTlsConfiguration(ec, &problem), qPrintable(problem.reason));
    }

    void clientVerification()
    {
        ServerTlsParameters parameters = valid();
        parameters.trustStoreFile = path(u"server.crt"_s);
        parameters.clientCertificates = ClientCertificates::Require;
        ServerTlsProblem problem;
        auto configuration = serverTlsConfiguration(parameters, &problem);
        QVERIFY2(configuration, qPrintable(problem.reason));
        QCOMPARE(configuration->peerVerifyMode(), QSslSocket::VerifyPeer);
        QCOMPARE(configuration->caCertificates().size(), 1);
        parameters.clientCertificates = ClientCertificates::Optional;
        QCOMPARE(serverTlsConfiguration(parameters, &problem)->peerVerifyMode(),
                 QSslSocket::QueryPeer);
    }

    void problems_data()
    {
        QTest::addColumn<QString>("keyStore");
        QTest::addColumn<QString>("protocols");
        QTest::addColumn<QString>("ciphers");
        QTest::addColumn<int>("clientCertificates");
        QTest::addColumn<int>("part");
        QTest::addColumn<QString>("reason");
        const int none = int(ClientCertificates::None);
        const int keyStore = int(ServerTlsProblem::Part::KeyStore);
        QTest::newRow("no key store") << QString() << QString() << QString() << none << keyStore
                                      << u"no key store is configured"_s;
        QTest::newRow("RSA key of another certificate")
            << u"mismatch.pem"_s << QString() << QString() << none << keyStore
            << u"the private key does not belong to the certificate localhost"_s;
        QTest::newRow("EC key of another certificate")
            << u"ec-mismatch.pem"_s << QString() << QString() << none << keyStore
            << u"the private key does not belong to the certificate localhost"_s;
        QTest::newRow("TLS 1.1") << u"server.pem"_s << u"TLSv1.1,TLSv1.2"_s << QString() << none
                                 << int(ServerTlsProblem::Part::Protocols)
                                 << u"protocol TLSv1.1 is refused"_s;
        QTest::newRow("unknown cipher") << u"server.pem"_s << QString() << u"NOT-A-CIPHER"_s << none
                                        << int(ServerTlsProblem::Part::CipherSuites)
                                        << u"unknown cipher suite(s): NOT-A-CIPHER"_s;
        QTest::newRow("client certificates without a trust store")
            << u"server.pem"_s << QString() << QString() << int(ClientCertificates::Require)
            << int(ServerTlsProblem::Part::TrustStore) << u"no trust store"_s;
    }

    void problems()
    {
        QFETCH(QString, keyStore);
        QFETCH(QString, protocols);
        QFETCH(QString, ciphers);
        QFETCH(int, clientCertificates);
        QFETCH(int, part);
        QFETCH(QString, reason);
        ServerTlsParameters parameters;
        if (!keyStore.isEmpty())
            parameters.keyStoreFile = path(keyStore);
        parameters.protocols = protocols;
        parameters.cipherSuites = ciphers;
        parameters.clientCertificates = ClientCertificates(clientCertificates);
        ServerTlsProblem problem;
        QVERIFY(!serverTlsConfiguration(parameters, &problem));
        QCOMPARE(int(problem.part), part);
        QVERIFY2(problem.reason.contains(reason), qPrintable(problem.reason));
    }

    void inboundParametersAndTheirErrors_data()
    {
        QTest::addColumn<Parameters>("parameters");
        QTest::addColumn<QString>("errors"); // empty: valid
        QTest::newRow("relative PEM key store")
            << Parameters{{u"wss.ssl.key.store.file"_s, u"server.pem"_s}} << QString();
        QTest::newRow("no key store")
            << Parameters{}
            << u"in.xml:2:1: inbound endpoint 'secure': protocol wss needs the parameter "
               "'wss.ssl.key.store.file' (a PEM or PKCS#12 key store)"_s;
        QTest::newRow("missing file, at its parameter")
            << Parameters{{u"wss.ssl.protocols"_s, u"TLSv1.3"_s},
                          {u"wss.ssl.key.store.file"_s, u"nope.pem"_s}}
            << u"in.xml:4:9: inbound endpoint 'secure': wss.ssl.key.store.file: key store "
               "%1/nope.pem does not exist"_s;
        QTest::newRow("unset password variable")
            << Parameters{{u"wss.ssl.key.store.file"_s, u"server.pem"_s},
                          {u"wss.ssl.key.store.pass"_s, u"$env:SLUICE_TEST_UNSET_PASS"_s}}
            << u"in.xml:4:9: inbound endpoint 'secure': wss.ssl.key.store.pass: environment "
               "variable SLUICE_TEST_UNSET_PASS is not set"_s;
        QTest::newRow("bad verify.client")
            << Parameters{{u"wss.ssl.key.store.file"_s, u"server.pem"_s},
                          {u"wss.ssl.verify.client"_s, u"want"_s}}
            << u"in.xml:4:9: inbound endpoint 'secure': wss.ssl.verify.client: 'want' is not "
               "none, optional or require"_s;
        QTest::newRow("verify.client without a trust store")
            << Parameters{{u"wss.ssl.key.store.file"_s, u"server.pem"_s},
                          {u"wss.ssl.verify.client"_s, u"require"_s}}
            << u"in.xml:4:9: inbound endpoint 'secure': wss.ssl.verify.client: client "
               "certificates are asked for but no trust store says which CAs to trust"_s;
    }

    void inboundParametersAndTheirErrors()
    {
        QFETCH(Parameters, parameters);
        QFETCH(QString, errors);
        Diagnostics diagnostics;
        const auto tls = wssInboundTls(wss(parameters), m_dir.path(), diagnostics);
        QCOMPARE(diagnostics.toString(),
                 errors.contains(u"%1"_s) ? errors.arg(m_dir.path()) : errors);
        QCOMPARE(bool(tls), errors.isEmpty());
    }

    void trustStoreRequiresClientCertificatesByDefault()
    {
        Diagnostics diagnostics;
        const auto tls = wssInboundTls(wss({{u"wss.ssl.key.store.file"_s, u"server.pem"_s},
                                            {u"wss.ssl.trust.store.file"_s, u"server.crt"_s}}),
                                       m_dir.path(), diagnostics);
        QVERIFY2(tls, qPrintable(diagnostics.toString()));
        QCOMPARE(tls->peerVerifyMode(), QSslSocket::VerifyPeer);
    }
};

QTEST_GUILESS_MAIN(TestServerTls)
#include "tst_server_tls.moc"
