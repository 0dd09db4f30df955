// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QSslConfiguration>
#include <QString>

namespace sluice {

struct ProjectConfig;

// How an HTTP listener listens and what it tolerates from clients: deployment.toml [server]
// (bind_address, http_listener_port + offset) and [transport.http] (docs/http.md).
struct HttpListenerSettings {
    QString bindAddress = QStringLiteral("127.0.0.1"); // "localhost" or an IP address
    int port = 8290;                                   // 0: any free port (tests)
    qint64 maxRequestBytes = 10 * 1024 * 1024;         // body bytes; beyond: 413
    int headerTimeoutMs = 30000;   // from a request's first byte (or the accept) to its blank line
    int idleTimeoutMs = 180000;    // keep-alive wait and body stalls; MI's socket_timeout
    int maxPipelinedRequests = 64; // requests read ahead of their responses per connection
    int drainTimeoutMs = 10000;    // stop(): how long requests in mediation may take to finish
    // The HTTPS listener ([server] https_listener_port): every connection is TLS with `tls`
    // (built at deployment from [keystore.tls] or [keystore.primary]); nothing is served before
    // its handshake finishes.
    bool secure = false;
    QSslConfiguration tls;

    bool operator==(const HttpListenerSettings &) const = default;

    static HttpListenerSettings fromConfig(const ProjectConfig &config);
    // The HTTPS listener's address and port and the same limits; `tls` is left to the caller.
    static HttpListenerSettings httpsFromConfig(const ProjectConfig &config);
};

} // namespace sluice
