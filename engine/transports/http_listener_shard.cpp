// SPDX-License-Identifier: Apache-2.0
#include "http_listener_shard.h"

#include "http_connection.h"

#include <unistd.h>

namespace sluice {

HttpListenerShard::HttpListenerShard(std::shared_ptr<const HttpListenerSettings> settings,
                                     std::shared_ptr<const HttpRoutes> routes)
    : m_settings(std::move(settings))
    , m_routes(std::move(routes))
{
}

HttpListenerShard::~HttpListenerShard()
{
    // Connections are children: they go with the shard, their responders turn inert.
    m_connections.clear();
}

void HttpListenerShard::acceptSocket(qintptr descriptor, quint64 id)
{
    // The routes are looked up per request, so a route change reaches open connections too.
    auto handler = [this](const HttpRequest &request, const HttpResponder &responder) {
        const std::shared_ptr<const HttpRoutes> routes = m_routes;
        routes->dispatch(request, responder);
    };
    auto *connection = new HttpConnection(descriptor, m_settings, handler, id, this);
    if (!connection->isOpen()) {
        delete connection;
        ::close(int(descriptor)); // Qt did not take it over
        return;
    }
    m_connections.insert(id, connection);
    connect(connection, &HttpConnection::closed, this,
            [this](quint64 closedId) { m_connections.remove(closedId); });
}

void HttpListenerShard::setRoutes(std::shared_ptr<const HttpRoutes> routes)
{
    m_routes = std::move(routes);
}

int HttpListenerShard::answeringCount() const
{
    int count = 0;
    for (const HttpConnection *connection : std::as_const(m_connections))
        count += connection->answering() ? 1 : 0;
    return count;
}

void HttpListenerShard::closeAll()
{
    for (HttpConnection *connection : std::as_const(m_connections))
        connection->closeGracefully();
}

} // namespace sluice
