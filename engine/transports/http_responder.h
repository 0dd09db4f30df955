// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QString>
#include <memory>

namespace sluice {

class HttpConnection;
class MessageContext;
class MessageEventHub;

// What a handler answers. The listener adds Content-Length and Connection itself (and leaves the
// body out for HEAD, 204 and 304).
struct HttpResponse {
    int status = 200;
    QByteArray reason; // empty: the standard phrase
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    static QByteArray standardReason(int status);
};

// The way back to the client that sent one request. A handler may keep it (copies share the
// same request) and answer later, asynchronously: responses still leave in request order. It
// must be used on the worker thread that delivered the request (where mediation runs); after the
// client went away, respond() does nothing and returns false.
class HttpResponder {
public:
    HttpResponder() = default;
    HttpResponder(HttpConnection *connection, quint64 serial);

    // False when the request was already answered or its client is gone.
    bool respond(HttpResponse response) const;
    bool respond(int status, const QByteArray &contentType, const QByteArray &body) const;
    // True while the client waits for this answer.
    bool isWaiting() const;
    // From now on (for this responder and its copies) the answer is also a message event: a
    // frame out to the client of `message`'s connection, its status line as the text. Nothing
    // when `hub` is null.
    void traceAnswers(MessageEventHub *hub, const MessageContext &message);

private:
    // Who the answer belongs to, for its message event.
    struct Trail {
        MessageEventHub *hub = nullptr;
        QString connectionId;
        QString artifact;
        quint64 messageId = 0;
    };
    QPointer<HttpConnection> m_connection;
    quint64 m_serial = 0;
    std::shared_ptr<const Trail> m_trail;
};

} // namespace sluice
