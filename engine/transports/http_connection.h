// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http_listener_settings.h"
#include "http_request.h"
#include "http_responder.h"
#include "lazy_deadline_timer.h"
#include "write_coalescer.h"

#include <QDeadlineTimer>
#include <QObject>
#include <deque>
#include <functional>
#include <http_parser.h>
#include <memory>
#include <vector>

class QSslSocket;
class QAbstractSocket;

namespace sluice {

// One client connection of an HTTP listener, on the worker thread that accepted it. It parses
// requests with libhttp-parser (pipelined requests are read ahead, up to a bound), hands each
// complete request to the handler, and writes the answers back in request order whatever order
// they come in. It enforces the listener's limits: 413 for bodies over max_request_bytes (at once
// when Content-Length says so), 417 for expectations other than 100-continue, 408 when a request
// stalls, 400/431 for what the parser refuses. It deletes itself when the client goes away.
// Plain connections write what a pass of the event loop answered at the end of the pass
// (write_coalescer.h); HTTPS ones leave that to QSslSocket, which buffers anyway.
class HttpConnection : public QObject, private CoalescedWriter {
    Q_OBJECT
public:
    using Handler = std::function<void(const HttpRequest &, const HttpResponder &)>;

    HttpConnection(qintptr descriptor, std::shared_ptr<const HttpListenerSettings> settings,
                   Handler handler, quint64 id, QObject *parent = nullptr);
    ~HttpConnection() override;

    // False when the socket could not be taken over (the connection then deletes itself).
    bool isOpen() const;
    quint64 id() const { return m_id; }

    // Called through HttpResponder.
    bool answer(quint64 serial, HttpResponse response);
    bool isWaiting(quint64 serial) const;

    // Stops reading and closes once what is already answered has been written.
    void closeGracefully();
    // Requests read and not answered yet (in mediation, or their answer still being written).
    bool answering() const { return !m_slots.empty() || !m_output.isEmpty(); }

signals:
    void closed(quint64 id);

private:
    // A response slot, in request order; `response` is set once it is ready.
    struct Slot {
        quint64 serial = 0;
        bool ready = false;
        bool head = false;
        bool keepAlive = true;
        int versionMinor = 1;
        HttpResponse response;
    };

    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    static const http_parser_settings &parserSettings();

    void startEncryption(QSslSocket *socket);
    void readInput();
    void readPlainInput();
    void peerFinished();
    void parseInput();
    void finishHeader();
    // Ends the conversation with an error answer queued after the requests already read.
    void refuse(int status, const QString &message);
    void flush();
    void send(QByteArray bytes);
    void writeCoalesced() override;
    void updateTimer();
    void timedOut();
    void finishClose();
    void socketGone();
    QByteArray serialize(const HttpResponse &response, const Slot &slot) const;

    std::shared_ptr<const HttpListenerSettings> m_settings;
    Handler m_handler;
    quint64 m_id;
    QAbstractSocket *m_socket;
    LazyDeadlineTimer *m_timer;
    http_parser m_parser;
    QByteArray m_input;  // received, not parsed yet (while parsing is paused)
    QByteArray m_output; // plain connections: answered, written at the end of the pass
    bool m_writeQueued = false;

    HttpRequest m_request;      // the request being read
    bool m_inMessage = false;   // between its first byte and its end
    bool m_headersDone = false; // its headers are complete
    bool m_headerIsValue = false;
    qint64 m_headerBytes = 0;
    bool m_continueOwed = false; // client waits for 100 Continue before sending the body
    QDeadlineTimer m_headerDeadline;
    bool m_servedAny = false;

    std::deque<Slot> m_slots;
    // Read, not handed to the handler yet (after the parser returns, never from its callbacks).
    std::vector<std::pair<quint64, HttpRequest>> m_completed;
    quint64 m_nextSerial = 1;
    bool m_parsing = false;
    bool m_pipelineFull = false;
    bool m_stopReading = false; // an answer ends the connection: read nothing more
    bool m_closing = false;     // the last answer is out: half-close, then wait for the client
    bool m_halfClosed = false;
    bool m_peerFinished = false; // the client shut down its sending side
    bool m_gone = false;
};

} // namespace sluice
