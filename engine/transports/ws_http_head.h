// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <utility>

namespace sluice {

// The head of an HTTP/1.1 upgrade request or of the answer to one, as the WebSocket opening
// handshakes need it, parsed with libhttp-parser (as the HTTP listener does).
struct WsHttpHead {
    QByteArray method; // requests
    QByteArray target; // requests: the request target as sent
    int status = 0;    // responses
    unsigned short httpMajor = 0;
    unsigned short httpMinor = 0;
    QList<std::pair<QByteArray, QByteArray>> headers; // names and values as received

    // The value of header `name` (any case); repeated headers joined with ", " (RFC 9110 5.3).
    QByteArray header(const char *name) const;
    // Whether the comma-separated header `name` holds `token` (any case), e.g. Connection.
    bool headerHasToken(const char *name, const char *token) const;
};

// Parses `head`, the bytes up to and including the blank line that ends it. False, with the
// reason in `*error`, when it is not a valid HTTP/1.x head.
bool parseWsHttpHead(const QByteArray &head, bool response, WsHttpHead *out, QString *error);

// Sec-WebSocket-Accept for `key` (RFC 6455 4.2.2).
QByteArray wsAcceptFor(const QByteArray &key);

} // namespace sluice
