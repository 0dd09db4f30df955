// SPDX-License-Identifier: Apache-2.0
#include "http_listener.h"

#include "hand_over_server.h"
#include "http_listener_shard.h"
#include "runtime/logger.h"
#include "worker_pool.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QThread>
#include <limits>

namespace sluice {

namespace {

const QString kCategory = QStringLiteral("http-listener");
constexpr int kStopGraceMs = 2000;

} // namespace

HttpListener::HttpListener(const HttpListenerSettings &settings, WorkerPool &workers)
    : m_settings(std::make_shared<const HttpListenerSettings>(settings))
    , m_routes(std::make_shared<const HttpRoutes>())
    , m_workers(workers)
{
}

HttpListener::~HttpListener()
{
    stop();
}

QString HttpListener::url() const
{
    return QStringLiteral("%1://%2:%3/")
        .arg(m_settings->secure ? QLatin1String("https") : QLatin1String("http"),
             m_settings->bindAddress)
        .arg(m_port);
}

void HttpListener::setRoutes(std::shared_ptr<const HttpRoutes> routes)
{
    m_routes = routes;
    for (int i = 0; i < int(m_shards.size()); ++i)
        m_workers.runAndWait(i, [=, this] { m_shards[size_t(i)]->setRoutes(routes); });
}

bool HttpListener::start(QString *error)
{
    QHostAddress address;
    if (m_settings->bindAddress == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(m_settings->bindAddress)) {
        *error =
            QStringLiteral("'%1' is not an IP address to listen on").arg(m_settings->bindAddress);
        return false;
    }
    for (int i = 0; i < m_workers.size(); ++i) {
        m_workers.runAndWait(
            i, [this] { m_shards.push_back(new HttpListenerShard(m_settings, m_routes)); });
    }
    QString reason;
    m_workers.runAndWait(0, [&] {
        auto *server = new HandOverServer([this](qintptr descriptor) { handOver(descriptor); });
        server->setMaxPendingConnections(std::numeric_limits<int>::max());
        server->setListenBacklogSize(4096);
        if (!server->listen(address, quint16(m_settings->port))) {
            reason = server->errorString();
            delete server;
            return;
        }
        m_port = server->serverPort();
        m_server = server;
    });
    if (!m_server) {
        *error = QStringLiteral("cannot listen for %1 on %2:%3: %4")
                     .arg(m_settings->secure ? QLatin1String("HTTPS") : QLatin1String("HTTP"),
                          m_settings->bindAddress)
                     .arg(m_settings->port)
                     .arg(reason);
        stop();
        return false;
    }
    Logger::instance().log(
        LogLevel::Info, kCategory,
        QStringLiteral("%1 listener on %2 (%3 worker threads)")
            .arg(m_settings->secure ? QLatin1String("HTTPS") : QLatin1String("HTTP"), url())
            .arg(m_workers.size()));
    return true;
}

void HttpListener::handOver(qintptr descriptor)
{
    HttpListenerShard *shard = m_shards[size_t(m_workers.nextIndex())];
    const quint64 id = m_nextConnectionId.fetch_add(1);
    QMetaObject::invokeMethod(
        shard, [shard, descriptor, id] { shard->acceptSocket(descriptor, id); },
        Qt::QueuedConnection);
}

int HttpListener::connectionCount() const
{
    int count = 0;
    for (int i = 0; i < int(m_shards.size()); ++i)
        m_workers.runAndWait(i, [&, i] { count += m_shards[size_t(i)]->connectionCount(); });
    return count;
}

int HttpListener::answeringCount() const
{
    int count = 0;
    for (int i = 0; i < int(m_shards.size()); ++i)
        m_workers.runAndWait(i, [&, i] { count += m_shards[size_t(i)]->answeringCount(); });
    return count;
}

void HttpListener::stop()
{
    if (m_server) {
        m_workers.runAndWait(0, [this] {
            m_server->close();
            delete m_server;
        });
        m_server = nullptr;
        Logger::instance().log(LogLevel::Info, kCategory,
                               QStringLiteral("HTTP listener on %1 stopped").arg(url()));
    }
    // Requests in mediation are answered (with Connection: close) for up to
    // [transport.http] drain_timeout_ms; connections that only wait for their client to close
    // get a moment. Then they go with their shard.
    for (int i = 0; i < int(m_shards.size()); ++i)
        m_workers.runAndWait(i, [=, this] { m_shards[size_t(i)]->closeAll(); });
    const QDeadlineTimer drain(m_settings->drainTimeoutMs);
    const QDeadlineTimer linger(kStopGraceMs);
    int unanswered = 0;
    while (!m_shards.empty() && connectionCount() > 0) {
        unanswered = answeringCount();
        if (unanswered > 0 ? drain.hasExpired() : linger.hasExpired())
            break;
        unanswered = 0;
        QThread::msleep(10);
    }
    if (unanswered > 0) {
        Logger::instance().log(LogLevel::Warn, kCategory,
                               QStringLiteral("%1 request(s) still in mediation after %2 ms "
                                              "([transport.http] drain_timeout_ms); their "
                                              "connections are closed")
                                   .arg(unanswered)
                                   .arg(m_settings->drainTimeoutMs));
    }
    for (int i = 0; i < int(m_shards.size()); ++i)
        m_workers.runAndWait(i, [=, this] { delete m_shards[size_t(i)]; });
    m_shards.clear();
    m_port = 0;
}

} // namespace sluice
