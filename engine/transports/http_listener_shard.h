// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http_listener_settings.h"
#include "http_routes.h"

#include <QHash>
#include <QObject>
#include <memory>

namespace sluice {

class HttpConnection;

// The part of an HTTP listener on one worker thread: it turns accepted socket descriptors into
// connections on this thread and routes their requests.
class HttpListenerShard : public QObject {
    Q_OBJECT
public:
    HttpListenerShard(std::shared_ptr<const HttpListenerSettings> settings,
                      std::shared_ptr<const HttpRoutes> routes);
    ~HttpListenerShard() override;

    void acceptSocket(qintptr descriptor, quint64 id);
    // On this shard's thread: requests read from now on use `routes`.
    void setRoutes(std::shared_ptr<const HttpRoutes> routes);
    void closeAll();
    int connectionCount() const { return int(m_connections.size()); }
    int answeringCount() const;

private:
    std::shared_ptr<const HttpListenerSettings> m_settings;
    std::shared_ptr<const HttpRoutes> m_routes;
    QHash<quint64, HttpConnection *> m_connections;
};

} // namespace sluice
