// SPDX-License-Identifier: Apache-2.0
#include "http_routes.h"

#include <algorithm>

namespace sluice {

void HttpRoutes::add(const QByteArray &prefix, HttpConnection::Handler handler)
{
    QByteArray normalized = prefix;
    while (normalized.size() > 1 && normalized.endsWith('/'))
        normalized.chop(1);
    m_routes.push_back({normalized, std::move(handler)});
    std::stable_sort(m_routes.begin(), m_routes.end(), [](const Route &a, const Route &b) {
        return a.prefix.size() > b.prefix.size();
    });
}

const HttpConnection::Handler *HttpRoutes::match(const QByteArray &path) const
{
    for (const Route &route : m_routes) {
        if (!path.startsWith(route.prefix))
            continue;
        if (route.prefix == "/" || path.size() == route.prefix.size() ||
            path.at(route.prefix.size()) == '/')
            return &route.handler;
    }
    return nullptr;
}

void HttpRoutes::dispatch(const HttpRequest &request, const HttpResponder &responder) const
{
    if (const HttpConnection::Handler *handler = match(request.path)) {
        (*handler)(request, responder);
        return;
    }
    responder.respond(404, "application/json",
                      R"({"error":"no service or API at this path","path":")" +
                          request.path.toPercentEncoding("/") + "\"}");
}

} // namespace sluice
