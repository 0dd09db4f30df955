// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http_listener_settings.h"
#include "http_routes.h"

#include <QObject>
#include <atomic>
#include <memory>
#include <vector>

class QTcpServer;

namespace sluice {

class HttpListenerShard;
class WorkerPool;

// The HTTP/1.1 listener of proxy services and APIs (deployment.toml [server]
// http_listener_port): one listening socket on worker 0, accepted connections handed round
// robin to a shard per worker thread, the same threads that serve WebSocket endpoints. See
// docs/http.md for the protocol handling and limits.
class HttpListener : public QObject {
    Q_OBJECT
public:
    HttpListener(const HttpListenerSettings &settings, WorkerPool &workers);
    ~HttpListener() override;

    // Thread-safe; requests read from now on are routed with `routes`.
    void setRoutes(std::shared_ptr<const HttpRoutes> routes);
    // Listens; false with a reason (port in use, bad address) and nothing listening.
    bool start(QString *error);
    // Stops listening and closes every connection: answers already given are written, requests
    // still waiting for their handler get up to 2 s, then their connections are dropped.
    void stop();

    const HttpListenerSettings &settings() const { return *m_settings; }
    // The port it listens on (the one picked when settings().port is 0); 0 when stopped.
    quint16 port() const { return m_port; }
    QString url() const;
    int connectionCount() const;
    // Connections with a request still to answer.
    int answeringCount() const;

private:
    void handOver(qintptr descriptor);

    std::shared_ptr<const HttpListenerSettings> m_settings;
    std::shared_ptr<const HttpRoutes> m_routes;
    WorkerPool &m_workers;
    QTcpServer *m_server = nullptr;            // lives on worker 0
    std::vector<HttpListenerShard *> m_shards; // one per worker, each on its thread
    std::atomic<quint64> m_nextConnectionId{1};
    quint16 m_port = 0;
};

} // namespace sluice
