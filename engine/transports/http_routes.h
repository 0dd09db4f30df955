// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http_connection.h"

#include <QByteArray>
#include <vector>

namespace sluice {

// Which handler serves a request: the longest path prefix that matches at a segment boundary
// ("/services/echo" serves "/services/echo", "/services/echo/x", not "/services/echoes").
// Requests nothing matches get 404. Immutable once built; listeners share it across threads.
class HttpRoutes {
public:
    void add(const QByteArray &prefix, HttpConnection::Handler handler);
    // Null when no prefix matches.
    const HttpConnection::Handler *match(const QByteArray &path) const;
    // Serves `request` with the matching handler, or answers 404.
    void dispatch(const HttpRequest &request, const HttpResponder &responder) const;

private:
    struct Route {
        QByteArray prefix;
        HttpConnection::Handler handler;
    };
    std::vector<Route> m_routes; // longest prefix first
};

} // namespace sluice
