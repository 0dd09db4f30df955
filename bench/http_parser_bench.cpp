// SPDX-License-Identifier: Apache-2.0
// Which HTTP/1.1 request parser the listener should use (docs/http.md), measured:
//  1. parse only: Debian's libhttp-parser over the same request streams the other parts send
//     (small GETs, 1 KiB JSON POSTs, chunked bodies, pipelined batches of 16);
//  2. end to end over loopback: Qt HttpServer 6.4 (QAbstractHttpServer) and Sluice's
//     HttpListener (libhttp-parser), each on one worker thread, driven by the same client (a
//     QTcpSocket load loop in this process), and by wrk when it is installed;
//  3. behaviour probes: what each server does with a pipelined batch, Expect: 100-continue, an
//     oversized body, malformed and slow requests.
// Usage: http_parser_bench [seconds-per-run]   (default 2)
#include "transports/http_listener.h"
#include "transports/worker_pool.h"

#include <QAbstractHttpServer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>
#include <cstdio>
#include <http_parser.h>
#include <memory>
#include <vector>

using namespace sluice;

namespace {

// ---- the request streams -------------------------------------------------------------------

QByteArray smallGet(int i)
{
    return "GET /services/echo?id=" + QByteArray::number(i) +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: sluice-bench/1\r\nAccept: */*\r\n\r\n";
}

QByteArray jsonBody()
{
    QByteArray body = R"({"order":{"id":12345,"customer":"bench","items":[)";
    int i = 0;
    while (body.size() < 1000)
        body += R"({"sku":"ITEM-)" + QByteArray::number(i++) + R"(","qty":2},)";
    body.chop(1);
    body += "]}}";
    return body.leftJustified(1024, ' ');
}

QByteArray jsonPost(int)
{
    static const QByteArray body = jsonBody();
    return "POST /services/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray chunkedPost(int)
{
    static const QByteArray body = jsonBody();
    QByteArray request = "POST /services/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                         "application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (qsizetype at = 0; at < body.size(); at += 256)
        request += "100\r\n" + body.mid(at, 256) + "\r\n";
    return request + "0\r\n\r\n";
}

struct Scenario {
    const char *name;
    QByteArray (*request)(int);
    int batch; // requests written at once (pipelined) before waiting for their answers
};

const Scenario kScenarios[] = {
    {"small GET", smallGet, 1},
    {"1 KiB JSON POST", jsonPost, 1},
    {"1 KiB chunked POST", chunkedPost, 1},
    {"pipelined 16 GETs", smallGet, 16},
};

// ---- 1. parse only -------------------------------------------------------------------------

// Collects what the listener collects, so the figure includes the copying a server does.
struct Collected {
    QByteArray url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool value = false;
    long messages = 0;
};

http_parser_settings collectingSettings()
{
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_message_begin = [](http_parser *p) {
        auto *c = static_cast<Collected *>(p->data);
        c->url.clear();
        c->headers.clear();
        c->body.clear();
        c->value = false;
        return 0;
    };
    s.on_url = [](http_parser *p, const char *at, size_t n) {
        static_cast<Collected *>(p->data)->url.append(at, qsizetype(n));
        return 0;
    };
    s.on_header_field = [](http_parser *p, const char *at, size_t n) {
        auto *c = static_cast<Collected *>(p->data);
        if (c->value || c->headers.isEmpty())
            c->headers.emplaceBack();
        c->value = false;
        c->headers.last().first.append(at, qsizetype(n));
        return 0;
    };
    s.on_header_value = [](http_parser *p, const char *at, size_t n) {
        auto *c = static_cast<Collected *>(p->data);
        c->value = true;
        c->headers.last().second.append(at, qsizetype(n));
        return 0;
    };
    s.on_body = [](http_parser *p, const char *at, size_t n) {
        static_cast<Collected *>(p->data)->body.append(at, qsizetype(n));
        return 0;
    };
    s.on_message_complete = [](http_parser *p) {
        ++static_cast<Collected *>(p->data)->messages;
        return 0;
    };
    return s;
}

void parseOnly(double seconds)
{
    std::printf("1. parse only, libhttp-parser %lu.%lu.%lu (one thread, 1000 requests per "
                "buffer, fed in 16 KiB reads)\n",
                (http_parser_version() >> 16) & 255, (http_parser_version() >> 8) & 255,
                http_parser_version() & 255);
    std::printf("   %-22s %14s %10s\n", "stream", "requests/s", "MB/s");
    const http_parser_settings settings = collectingSettings();
    for (const Scenario &scenario : kScenarios) {
        QByteArray stream;
        for (int i = 0; i < 1000; ++i)
            stream += scenario.request(i);
        Collected collected;
        http_parser parser;
        http_parser_init(&parser, HTTP_REQUEST);
        parser.data = &collected;
        QElapsedTimer timer;
        timer.start();
        qint64 bytes = 0;
        while (timer.elapsed() < seconds * 1000) {
            for (qsizetype at = 0; at < stream.size(); at += 16384) {
                const size_t length = size_t(std::min<qsizetype>(16384, stream.size() - at));
                if (http_parser_execute(&parser, &settings, stream.constData() + at, length) !=
                    length) {
                    std::printf("   parse error %s\n",
                                http_errno_name(http_errno(parser.http_errno)));
                    return;
                }
            }
            bytes += stream.size();
        }
        const double elapsed = double(timer.nsecsElapsed()) / 1e9;
        std::printf("   %-22s %14.0f %10.0f\n", scenario.name, double(collected.messages) / elapsed,
                    double(bytes) / elapsed / 1e6);
    }
}

// ---- the two servers -----------------------------------------------------------------------

// Qt HttpServer 6.4: answers "hello" or echoes the body, as the Sluice handler does.
class QtEchoServer : public QAbstractHttpServer {
protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        QHttpServerResponder responder = makeResponder(request, socket);
        const QByteArray body = request.body();
        responder.write(body.isEmpty() ? QByteArray("hello") : body, "text/plain");
        return true;
    }
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
    }
};

struct Server {
    const char *name;
    quint16 port = 0;
};

// ---- 2. end to end: the load loop ----------------------------------------------------------

// Counts complete responses in a byte stream (Content-Length framed).
class ResponseCounter {
public:
    int feed(const QByteArray &data)
    {
        m_buffer += data;
        int complete = 0;
        for (;;) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                break;
            const QByteArray head = m_buffer.left(end).toLower();
            qsizetype length = 0;
            if (const qsizetype at = head.indexOf("content-length:"); at >= 0)
                length = head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toLongLong();
            if (head.startsWith("http/1.1 100"))
                length = 0;
            if (m_buffer.size() < end + 4 + length)
                break;
            m_buffer.remove(0, end + 4 + length);
            if (!head.startsWith("http/1.1 100"))
                ++complete;
        }
        return complete;
    }

private:
    QByteArray m_buffer;
};

// `connections` clients, each writing a batch and waiting for all its answers, for `seconds`.
double loadLoop(quint16 port, const Scenario &scenario, int connections, double seconds,
                bool *stalled)
{
    struct Client {
        std::unique_ptr<QTcpSocket> socket;
        ResponseCounter counter;
        int waiting = 0;
        int serial = 0;
    };
    std::vector<Client> clients(static_cast<size_t>(connections));
    long answered = 0;
    bool running = true;
    QElapsedTimer lastProgress;
    lastProgress.start();
    auto sendBatch = [&](Client &client) {
        QByteArray batch;
        for (int i = 0; i < scenario.batch; ++i)
            batch += scenario.request(client.serial++);
        client.waiting = scenario.batch;
        client.socket->write(batch);
    };
    for (Client &client : clients) {
        client.socket = std::make_unique<QTcpSocket>();
        client.socket->connectToHost(QHostAddress::LocalHost, port);
        if (!client.socket->waitForConnected(5000))
            return 0;
        QTcpSocket *socket = client.socket.get();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [&, socket] {
            for (Client &c : clients) {
                if (c.socket.get() != socket)
                    continue;
                const int got = c.counter.feed(socket->readAll());
                answered += got;
                c.waiting -= got;
                if (got > 0)
                    lastProgress.restart();
                if (c.waiting <= 0 && running)
                    sendBatch(c);
            }
        });
    }
    QElapsedTimer timer;
    timer.start();
    for (Client &client : clients)
        sendBatch(client);
    QEventLoop loop;
    QTimer stop;
    stop.setInterval(50);
    QObject::connect(&stop, &QTimer::timeout, &loop, [&] {
        if (timer.elapsed() >= seconds * 1000 || lastProgress.elapsed() > 2000)
            loop.quit();
    });
    stop.start();
    loop.exec();
    running = false;
    *stalled = lastProgress.elapsed() > 2000;
    return double(answered) / (double(timer.nsecsElapsed()) / 1e9);
}

std::optional<double> wrkRate(quint16 port, double seconds)
{
    const QString wrk = QStringLiteral("/usr/bin/wrk");
    if (!QFileInfo(wrk).isExecutable())
        return std::nullopt;
    QProcess process;
    process.start(wrk, {QStringLiteral("-t1"), QStringLiteral("-c16"),
                        QStringLiteral("-d%1s").arg(int(std::max(1.0, seconds))),
                        QStringLiteral("http://127.0.0.1:%1/services/echo").arg(port)});
    if (!process.waitForFinished(int(seconds * 1000) + 30000))
        return std::nullopt;
    const QString output = QString::fromUtf8(process.readAllStandardOutput());
    const QRegularExpressionMatch match =
        QRegularExpression(QStringLiteral("Requests/sec:\\s*([0-9.]+)")).match(output);
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1).toDouble();
}

// ---- 3. behaviour probes -------------------------------------------------------------------

// Writes `request` and returns the status lines that came back within `waitMs`, and whether the
// server closed the connection.
QString probe(quint16 port, const QByteArray &request, int waitMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(3000))
        return QStringLiteral("no connection");
    socket.write(request);
    QByteArray received;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < waitMs && socket.state() == QAbstractSocket::ConnectedState) {
        socket.waitForReadyRead(50);
        received += socket.readAll();
    }
    received += socket.readAll();
    QStringList statuses;
    static const QRegularExpression statusLine(QStringLiteral("HTTP/1\\.[01] (\\d\\d\\d)"));
    for (auto it = statusLine.globalMatch(QString::fromLatin1(received)); it.hasNext();)
        statuses << it.next().captured(1);
    const bool closed = socket.state() != QAbstractSocket::ConnectedState;
    QString summary =
        statuses.isEmpty() ? QStringLiteral("nothing") : statuses.join(QLatin1Char(' '));
    if (statuses.size() > 3)
        summary = QStringLiteral("%1 answers (%2 ... %3)")
                      .arg(statuses.size())
                      .arg(statuses.first(), statuses.last());
    return summary + (closed ? QStringLiteral(", closed") : QStringLiteral(", open"));
}

void probes(const std::vector<Server> &servers)
{
    struct Probe {
        const char *name;
        QByteArray request;
        int waitMs;
    };
    QByteArray pipelined;
    for (int i = 0; i < 16; ++i)
        pipelined += smallGet(i);
    const std::vector<Probe> list = {
        {"16 pipelined GETs", pipelined, 1500},
        {"Expect: 100-continue, body withheld",
         "POST /services/echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
         "Content-Length: 5\r\n\r\n",
         1500},
        {"Expect: other",
         "POST /services/echo HTTP/1.1\r\nHost: t\r\nExpect: fancy\r\nContent-Length: 0\r\n\r\n",
         1500},
        {"Content-Length: 1 GiB (body not sent)",
         "POST /services/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1073741824\r\n\r\n", 1500},
        {"malformed header line", "GET / HTTP/1.1\r\nHost t\r\n\r\n", 1500},
        {"headers never finish (3 s)", "GET /services/echo HTTP/1.1\r\nHost: t\r\n", 3000},
    };
    std::printf("\n3. behaviour (status lines received, connection state after the wait)\n");
    for (const Probe &p : list) {
        std::printf("   %s\n", p.name);
        for (const Server &server : servers)
            std::printf("      %-26s %s\n", server.name,
                        qPrintable(probe(server.port, p.request, p.waitMs)));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const double seconds = argc > 1 ? std::max(0.5, QByteArray(argv[1]).toDouble()) : 2.0;
    parseOnly(seconds);

    // Each server gets one event-loop thread of its own; the client runs on the main thread.
    WorkerPool qtThread(1);
    WorkerPool sluiceThread(1);
    std::unique_ptr<QtEchoServer> qtServer;
    quint16 qtPort = 0;
    qtThread.runAndWait(0, [&] {
        qtServer = std::make_unique<QtEchoServer>();
        qtPort = qtServer->listen(QHostAddress::LocalHost, 0);
    });
    HttpListenerSettings settings;
    settings.bindAddress = QStringLiteral("127.0.0.1");
    settings.port = 0;
    settings.headerTimeoutMs = 1000; // short, so that the slow-headers probe shows it
    HttpListener listener(settings, sluiceThread);
    auto routes = std::make_shared<HttpRoutes>();
    routes->add("/", [](const HttpRequest &request, const HttpResponder &responder) {
        responder.respond(200, "text/plain",
                          request.body.isEmpty() ? QByteArray("hello") : request.body);
    });
    listener.setRoutes(routes);
    QString error;
    if (qtPort == 0 || !listener.start(&error)) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(error));
        return 1;
    }
    const std::vector<Server> servers = {{"Qt HttpServer 6.4", qtPort},
                                         {"Sluice (libhttp-parser)", listener.port()}};

    std::printf("\n2. end to end over loopback, requests/s (one server thread each; client: 8 "
                "connections, same process)\n");
    std::printf("   %-22s", "stream");
    for (const Server &server : servers)
        std::printf(" %26s", server.name);
    std::printf("\n");
    for (const Scenario &scenario : kScenarios) {
        std::printf("   %-22s", scenario.name);
        for (const Server &server : servers) {
            bool stalled = false;
            const double rate = loadLoop(server.port, scenario, 8, seconds, &stalled);
            std::printf(" %26s",
                        qPrintable(QStringLiteral("%1%2")
                                       .arg(rate, 0, 'f', 0)
                                       .arg(stalled ? QStringLiteral(" (stalled)") : QString())));
            std::fflush(stdout);
        }
        std::printf("\n");
    }
    std::printf("   %-22s", "wrk -t1 -c16 GET");
    for (const Server &server : servers) {
        const std::optional<double> rate = wrkRate(server.port, seconds);
        const QByteArray text =
            rate ? QByteArray::number(*rate, 'f', 0) : QByteArray("(wrk not installed)");
        std::printf(" %26s", text.constData());
        std::fflush(stdout);
    }
    std::printf("\n");

    probes(servers);

    listener.stop();
    qtThread.runAndWait(0, [&] { qtServer.reset(); });
    return 0;
}
