// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>

namespace sluice {

// One HTTP request as the listener read it, complete with its body. Header names keep the case
// the client sent; lookups ignore case, and a header sent twice stays twice (in order).
struct HttpRequest {
    QByteArray method; // "GET", "POST", ...
    QByteArray target; // the request target as sent: "/services/echo?x=1"
    QByteArray path;   // target without the query, not percent-decoded
    QByteArray query;  // after '?', not decoded; empty when none
    int versionMajor = 1;
    int versionMinor = 1;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body; // de-chunked
    QHostAddress remoteAddress;
    quint16 remotePort = 0;
    bool keepAlive = true; // the connection stays open after the response
    quint64 connectionId = 0;
    bool secure = false; // read by the HTTPS listener

    // The first value of a header (case-insensitive name); empty when absent.
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const
    {
        for (const auto &entry : headers) {
            if (entry.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    // Every value of a header, in the order received.
    QList<QByteArray> headerValues(QByteArrayView name) const
    {
        QList<QByteArray> values;
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                values.append(value);
        }
        return values;
    }
    bool isHead() const { return method == "HEAD"; }
};

} // namespace sluice
