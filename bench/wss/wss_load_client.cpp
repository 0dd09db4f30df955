// SPDX-License-Identifier: Apache-2.0
// The load generator of bench/wss_compare.py: QWebSocket clients over TLS, one thread, so that
// the load (on its own CPU) is not what limits the proxy under test. Python clients were.
//
//   wss_load_client messages   URL CA_PEM CONNECTIONS WARMUP_S SECONDS
//   wss_load_client handshakes URL CA_PEM WORKERS     WARMUP_S SECONDS
//
// messages: CONNECTIONS closed-loop ping-pongs of 64-byte text messages; every echo must equal
// what was sent. handshakes: WORKERS loops of open, one message, echo, close. Prints the line
// "measuring" when the warm-up ends (the caller samples the proxy's CPU then), and one JSON line
// {"done", "seconds", "mismatches", "errors", "first_problem"} when the measured time is over.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <cstdio>
#include <memory>

namespace {

constexpr int kPayloadBytes = 64;

QString payload(char kind, int client, qint64 sequence)
{
    QString text = QStringLiteral("%1%2-%3-")
                       .arg(QLatin1Char(kind))
                       .arg(client, 4, 10, QLatin1Char('0'))
                       .arg(sequence, 12, 10, QLatin1Char('0'));
    return text.leftJustified(kPayloadBytes, QLatin1Char('x'));
}

class Load : public QObject {
public:
    Load(bool handshakes, QUrl url, const QSslConfiguration &tls, int clients)
        : m_handshakes(handshakes)
        , m_url(std::move(url))
        , m_tls(tls)
        , m_clients(clients)
    {
    }

    void start(int warmupMs, int measuredMs)
    {
        m_measuredMs = measuredMs;
        QTimer::singleShot(warmupMs, this, [this] { beginMeasuring(); });
        for (int client = 0; client < m_clients; ++client)
            open(client);
    }

private:
    void beginMeasuring()
    {
        m_done = 0;
        m_mismatches = 0;
        m_errors = 0;
        m_firstProblem.clear();
        m_clock.start();
        std::fputs("measuring\n", stdout);
        std::fflush(stdout);
        QTimer::singleShot(m_measuredMs, this, [this] { finish(); });
    }

    void finish()
    {
        m_running = false;
        const QJsonObject result{{QStringLiteral("done"), m_done},
                                 {QStringLiteral("seconds"), double(m_clock.nsecsElapsed()) / 1e9},
                                 {QStringLiteral("mismatches"), m_mismatches},
                                 {QStringLiteral("errors"), m_errors},
                                 {QStringLiteral("first_problem"), m_firstProblem}};
        std::fputs(QJsonDocument(result).toJson(QJsonDocument::Compact).constData(), stdout);
        std::fputs("\n", stdout);
        std::fflush(stdout);
        QCoreApplication::exit(0);
    }

    void problem(bool mismatch, const QString &what)
    {
        (mismatch ? m_mismatches : m_errors) += 1;
        if (m_firstProblem.isEmpty())
            m_firstProblem = what;
    }

    // One client connection; in the handshake load a new one per round.
    void open(int client)
    {
        auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        socket->setSslConfiguration(m_tls);
        auto sequence = std::make_shared<qint64>(0);
        auto expected = std::make_shared<QString>();
        const char kind = m_handshakes ? 'h' : 'c';
        auto sendNext = [socket, sequence, expected, client, kind] {
            *expected = payload(kind, client, (*sequence)++);
            socket->sendTextMessage(*expected);
        };
        connect(socket, &QWebSocket::connected, socket, sendNext);
        connect(socket, &QWebSocket::textMessageReceived, socket,
                [this, socket, expected, sendNext](const QString &echoed) {
                    if (echoed != *expected) {
                        problem(true,
                                QStringLiteral("sent %1, got back %2").arg(*expected, echoed));
                        socket->close();
                        return;
                    }
                    ++m_done;
                    if (m_handshakes || !m_running)
                        socket->close();
                    else
                        sendNext();
                });
        connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), socket,
                [this, socket](QAbstractSocket::SocketError) {
                    if (m_running)
                        problem(false, socket->errorString());
                });
        connect(socket, &QWebSocket::sslErrors, socket, [this](const QList<QSslError> &errors) {
            problem(false, errors.value(0).errorString());
        });
        connect(socket, &QWebSocket::disconnected, socket, [this, socket, client] {
            socket->deleteLater();
            if (m_running && m_handshakes)
                open(client);
            else if (m_running)
                problem(false, QStringLiteral("connection %1 closed by the server").arg(client));
        });
        socket->open(m_url);
    }

    const bool m_handshakes;
    const QUrl m_url;
    const QSslConfiguration m_tls;
    const int m_clients;
    int m_measuredMs = 0;
    bool m_running = true;
    qint64 m_done = 0;
    qint64 m_mismatches = 0;
    qint64 m_errors = 0;
    QString m_firstProblem;
    QElapsedTimer m_clock;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString mode = args.value(1);
    if (args.size() != 7 || (mode != u"messages" && mode != u"handshakes")) {
        std::fputs("usage: wss_load_client messages|handshakes URL CA_PEM CLIENTS WARMUP_S "
                   "SECONDS\n",
                   stderr);
        return 2;
    }
    const auto authorities = QSslCertificate::fromPath(args.at(3));
    if (authorities.isEmpty()) {
        std::fprintf(stderr, "wss_load_client: no CA certificate in %s\n", qPrintable(args.at(3)));
        return 2;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(authorities);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);

    Load load(mode == u"handshakes", QUrl(args.at(2)), tls, args.at(4).toInt());
    load.start(int(args.at(5).toDouble() * 1000), int(args.at(6).toDouble() * 1000));
    return app.exec();
}
