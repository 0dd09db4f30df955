// SPDX-License-Identifier: Apache-2.0
#include "http_connection.h"
#include "plain_socket_input.h"
#include "server_tls_handshake.h"

#include "runtime/logger.h"

#include <QAbstractSocket>
#include <QSslSocket>
#include <QTimer>
#include <charconv>
#include <cstring>
#include <sys/socket.h>

namespace sluice {

namespace {

// How long a closing connection waits for the client to close its side after the last answer,
// reading and discarding what it still sends, so that a refused upload gets its 413 instead of
// a reset.
constexpr int kLingerMs = 2000;
// What Qt buffers per socket; beyond it the kernel (and TCP flow control) holds the client back
// while pipelined requests wait for their answers. Also how much a plain connection reads in one
// turn of the event loop, so that one fast client does not keep its worker from the others.
constexpr qint64 kReadBufferBytes = 256 * 1024;
constexpr qint64 kReadChunkBytes = 64 * 1024;

HttpConnection *connectionOf(http_parser *parser)
{
    return static_cast<HttpConnection *>(parser->data);
}

bool isBodyless(int status)
{
    return status < 200 || status == 204 || status == 304;
}

// Decimal digits without the temporary QByteArray that QByteArray::number allocates.
void appendNumber(QByteArray &out, qint64 value)
{
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, qsizetype(end - digits));
}

// Room for the headers a client usually sends, so that reading them does not grow the list
// header by header (about 600 instructions per request, callgrind).
constexpr qsizetype kUsualHeaderCount = 8;

} // namespace

HttpConnection::HttpConnection(qintptr descriptor,
                               std::shared_ptr<const HttpListenerSettings> settings,
                               Handler handler, quint64 id, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_handler(std::move(handler))
    , m_id(id)
    , m_socket(m_settings->secure ? new QSslSocket(this)
                                  : new QAbstractSocket(QAbstractSocket::TcpSocket, this))
    , m_timer(new LazyDeadlineTimer(this, [this] { timedOut(); }))
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    // Plain connections are read by readPlainInput (plain_socket_input.h: Qt would close the
    // connection at the end of the client's input, before the answers are out), through a bare
    // QAbstractSocket, which unlike QTcpSocket is unbuffered (Qt only signals readyRead); HTTPS
    // is read through QSslSocket's buffer, which needs Qt to read.
    const QIODevice::OpenMode mode =
        m_settings->secure ? QIODevice::ReadWrite : QIODevice::ReadWrite | QIODevice::Unbuffered;
    if (!m_socket->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState, mode)) {
        m_gone = true;
        return;
    }
    m_socket->setReadBufferSize(kReadBufferBytes);
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket)) {
        startEncryption(tls);
    } else {
        connect(m_socket, &QAbstractSocket::readyRead, this, &HttpConnection::readInput);
    }
    connect(m_socket, &QAbstractSocket::disconnected, this, &HttpConnection::socketGone);
    connect(m_socket, &QAbstractSocket::bytesWritten, this, [this] {
        if (m_closing)
            finishClose();
    });
    m_headerDeadline = QDeadlineTimer(m_settings->headerTimeoutMs);
    updateTimer();
    // Bytes may have arrived before the socket object existed.
    if (!m_settings->secure && m_socket->bytesAvailable() > 0)
        QTimer::singleShot(0, this, &HttpConnection::readInput);
}

// HTTPS: requests are read only once the TLS handshake has finished (the header timeout,
// running from the accept, bounds it); a failed handshake is logged and closes the connection,
// nothing is ever answered in plain text.
void HttpConnection::startEncryption(QSslSocket *socket)
{
    startServerHandshake(
        socket, m_settings->tls, this,
        [this, socket] {
            connect(socket, &QAbstractSocket::readyRead, this, &HttpConnection::readInput);
            if (socket->bytesAvailable() > 0)
                readInput();
        },
        [socket](const QString &reason) {
            Logger::instance().log(LogLevel::Warn, QStringLiteral("http-listener"),
                                   QStringLiteral("HTTPS: TLS handshake with %1:%2 failed: %3")
                                       .arg(socket->peerAddress().toString())
                                       .arg(socket->peerPort())
                                       .arg(reason));
        });
}

HttpConnection::~HttpConnection()
{
    if (m_writeQueued)
        WriteCoalescer::forget(this);
}

bool HttpConnection::isOpen() const
{
    return !m_gone;
}

const http_parser_settings &HttpConnection::parserSettings()
{
    static const http_parser_settings settings = [] {
        http_parser_settings s;
        http_parser_settings_init(&s);
        s.on_message_begin = &HttpConnection::onMessageBegin;
        s.on_url = &HttpConnection::onUrl;
        s.on_header_field = &HttpConnection::onHeaderField;
        s.on_header_value = &HttpConnection::onHeaderValue;
        s.on_headers_complete = &HttpConnection::onHeadersComplete;
        s.on_body = &HttpConnection::onBody;
        s.on_message_complete = &HttpConnection::onMessageComplete;
        return s;
    }();
    return settings;
}

void HttpConnection::readInput()
{
    if (m_gone)
        return;
    if (!m_settings->secure) {
        readPlainInput();
        return;
    }
    if (m_stopReading || m_closing) {
        m_socket->readAll(); // nothing more will be served here; keep the window open
        return;
    }
    if (!m_pipelineFull)
        m_input.append(m_socket->readAll());
    parseInput();
}

void HttpConnection::readPlainInput()
{
    if (!m_stopReading && !m_closing && !m_pipelineFull && !m_input.isEmpty())
        parseInput(); // what waited while the pipeline was full
    QByteArray discarded;
    for (qint64 budget = kReadBufferBytes; budget > 0 && !m_gone; budget -= kReadChunkBytes) {
        // Nothing more will be served once an answer ends the connection, but reading on keeps
        // the client's window open and shows when it is done.
        const bool discard = m_stopReading || m_closing;
        if (!discard && m_pipelineFull)
            return; // the kernel, then TCP flow control, hold the rest; flush() reads on
        discarded.clear();
        switch (readPlainSocket(m_socket, discard ? discarded : m_input, kReadChunkBytes)) {
        case PlainRead::Data:
            if (!discard)
                parseInput();
            continue;
        case PlainRead::Last:
            if (!discard)
                parseInput();
            return;
        case PlainRead::Drained:
            return;
        case PlainRead::End:
            peerFinished();
            return;
        case PlainRead::Failed:
            m_socket->abort();
            socketGone();
            return;
        }
    }
    if (!m_gone)
        rearmPlainSocket(m_socket); // more may be waiting: on the next turn of the event loop
}

// The client sent all it will send (it shut down its sending side, or closed). Requests read
// in full are still answered, the last with Connection: close, before the connection closes; a
// request cut short is dropped.
void HttpConnection::peerFinished()
{
    m_peerFinished = true;
    if (m_closing) {
        finishClose(); // the answers were out already
        return;
    }
    closeGracefully();
}

void HttpConnection::parseInput()
{
    m_parsing = true;
    while (!m_input.isEmpty() && !m_stopReading && !m_pipelineFull) {
        const size_t parsed = http_parser_execute(&m_parser, &parserSettings(), m_input.constData(),
                                                  size_t(m_input.size()));
        const auto error = http_errno(m_parser.http_errno);
        if (error == HPE_PAUSED) {
            m_input.remove(0, qsizetype(parsed));
            if (!m_stopReading && !m_pipelineFull)
                http_parser_pause(&m_parser, 0);
            continue;
        }
        if (error != HPE_OK) {
            if (!m_stopReading) {
                const int status = error == HPE_HEADER_OVERFLOW ? 431 : 400;
                refuse(status, QStringLiteral("malformed request: %1 (%2) at byte %3")
                                   .arg(QLatin1String(http_errno_name(error)),
                                        QLatin1String(http_errno_description(error)))
                                   .arg(parsed));
            }
            m_input.clear();
            break;
        }
        // All consumed; after an upgrade request the rest would be another protocol, which this
        // listener does not speak (the request was answered with Connection: close).
        m_input.clear();
    }
    m_parsing = false;
    if (m_stopReading)
        m_input.clear(); // what follows a refused or final request is never served

    std::vector<std::pair<quint64, HttpRequest>> completed;
    completed.swap(m_completed);
    for (const auto &[serial, request] : completed)
        m_handler(request, HttpResponder(this, serial));
    updateTimer();
}

int HttpConnection::onMessageBegin(http_parser *parser)
{
    HttpConnection *self = connectionOf(parser);
    self->m_request = HttpRequest();
    self->m_request.headers.reserve(kUsualHeaderCount);
    self->m_inMessage = true;
    self->m_headersDone = false;
    self->m_headerIsValue = false;
    self->m_headerBytes = 0;
    // The first request's clock runs from the accept; later ones from their first byte.
    if (self->m_servedAny)
        self->m_headerDeadline = QDeadlineTimer(self->m_settings->headerTimeoutMs);
    return 0;
}

int HttpConnection::onUrl(http_parser *parser, const char *at, size_t length)
{
    connectionOf(parser)->m_request.target.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *self = connectionOf(parser);
    auto &headers = self->m_request.headers;
    if (self->m_headerIsValue || headers.isEmpty())
        headers.emplaceBack();
    self->m_headerIsValue = false;
    headers.last().first.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *self = connectionOf(parser);
    self->m_headerIsValue = true;
    self->m_request.headers.last().second.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeadersComplete(http_parser *parser)
{
    HttpConnection *self = connectionOf(parser);
    HttpRequest &request = self->m_request;
    self->m_headersDone = true;
    // The parser's method names are static strings: no copy.
    const char *method = http_method_str(http_method(parser->method));
    request.method = QByteArray::fromRawData(method, qsizetype(std::strlen(method)));
    request.versionMajor = parser->http_major;
    request.versionMinor = parser->http_minor;
    request.keepAlive = http_should_keep_alive(parser) != 0 && !parser->upgrade;
    request.remoteAddress = self->m_socket->peerAddress();
    request.remotePort = self->m_socket->peerPort();
    request.connectionId = self->m_id;
    request.secure = self->m_settings->secure;
    for (auto &header : request.headers)
        header.second = header.second.trimmed();

    // Absolute-form targets (proxies send them) carry the path after the authority.
    QByteArray target = request.target;
    if (const qsizetype scheme = target.indexOf("://");
        scheme > 0 && scheme < target.indexOf('/')) {
        const qsizetype slash = target.indexOf('/', scheme + 3);
        target = slash < 0 ? QByteArrayLiteral("/") : target.mid(slash);
    }
    if (const qsizetype hash = target.indexOf('#'); hash >= 0)
        target.truncate(hash);
    const qsizetype question = target.indexOf('?');
    request.path = question < 0 ? target : target.left(question);
    request.query = question < 0 ? QByteArray() : target.mid(question + 1);

    const QByteArray expect = request.header("Expect");
    const bool http11 = request.versionMajor == 1 && request.versionMinor >= 1;
    if (!expect.isEmpty() && http11 && expect.compare("100-continue", Qt::CaseInsensitive) != 0) {
        self->refuse(417, QStringLiteral("expectation '%1' is not supported (only 100-continue)")
                              .arg(QString::fromLatin1(expect)));
        return 0;
    }
    const bool hasLength = parser->content_length != ULLONG_MAX;
    if (hasLength && parser->content_length > quint64(self->m_settings->maxRequestBytes)) {
        self->refuse(413, QStringLiteral("request body of %1 bytes exceeds the limit of %2 "
                                         "bytes ([transport.http] max_request_bytes)")
                              .arg(parser->content_length)
                              .arg(self->m_settings->maxRequestBytes));
        return 0;
    }
    const bool bodyComing =
        (parser->flags & F_CHUNKED) || (hasLength && parser->content_length > 0);
    if (!expect.isEmpty() && http11 && bodyComing) {
        // 100 goes out only once the answers to earlier pipelined requests are out.
        self->m_continueOwed = true;
        if (self->m_slots.empty())
            self->flush();
    }
    return 0;
}

int HttpConnection::onBody(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *self = connectionOf(parser);
    HttpRequest &request = self->m_request;
    if (request.body.size() + qint64(length) > self->m_settings->maxRequestBytes) {
        self->refuse(413, QStringLiteral("request body exceeds the limit of %1 bytes "
                                         "([transport.http] max_request_bytes)")
                              .arg(self->m_settings->maxRequestBytes));
        return 0;
    }
    request.body.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onMessageComplete(http_parser *parser)
{
    HttpConnection *self = connectionOf(parser);
    Slot slot;
    slot.serial = self->m_nextSerial++;
    slot.head = self->m_request.isHead();
    slot.keepAlive = self->m_request.keepAlive;
    slot.versionMinor = self->m_request.versionMinor;
    self->m_slots.push_back(slot);
    self->m_completed.emplace_back(slot.serial, std::move(self->m_request));
    self->m_request = HttpRequest();
    self->m_inMessage = false;
    self->m_continueOwed = false;
    self->m_servedAny = true;
    if (!slot.keepAlive) {
        self->m_stopReading = true;
        http_parser_pause(parser, 1);
    } else if (qsizetype(self->m_slots.size()) >= self->m_settings->maxPipelinedRequests) {
        self->m_pipelineFull = true;
        http_parser_pause(parser, 1);
    }
    return 0;
}

bool HttpConnection::isWaiting(quint64 serial) const
{
    for (const Slot &slot : m_slots) {
        if (slot.serial == serial)
            return !slot.ready;
    }
    return false;
}

bool HttpConnection::answer(quint64 serial, HttpResponse response)
{
    for (Slot &slot : m_slots) {
        if (slot.serial != serial)
            continue;
        if (slot.ready)
            return false;
        slot.response = std::move(response);
        slot.ready = true;
        flush();
        return true;
    }
    return false;
}

void HttpConnection::refuse(int status, const QString &message)
{
    Slot slot;
    slot.serial = m_nextSerial++;
    slot.keepAlive = false;
    HttpResponse response;
    response.status = status;
    response.headers.emplaceBack(QByteArrayLiteral("Content-Type"),
                                 QByteArrayLiteral("text/plain; charset=utf-8"));
    response.body = QByteArray::number(status) + ' ' + HttpResponse::standardReason(status) + ": " +
                    message.toUtf8() + '\n';
    slot.response = std::move(response);
    slot.ready = true;
    m_slots.push_back(slot);
    m_stopReading = true;
    m_inMessage = false;
    m_continueOwed = false;
    // While the parser runs over m_input it must stay; parseInput drops it afterwards.
    if (!m_parsing)
        m_input.clear();
    if (http_errno(m_parser.http_errno) == HPE_OK)
        http_parser_pause(&m_parser, 1);
    flush();
}

void HttpConnection::flush()
{
    if (m_closing || m_gone)
        return;
    while (!m_slots.empty() && m_slots.front().ready) {
        const Slot slot = std::move(m_slots.front());
        m_slots.pop_front();
        // Serialized only now: whether the connection stays open may have changed meanwhile.
        send(serialize(slot.response, slot));
        if (!slot.keepAlive) {
            m_closing = true;
            m_slots.clear();
            finishClose();
            return;
        }
    }
    if (m_continueOwed && m_slots.empty() && m_inMessage) {
        send(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        m_continueOwed = false;
    }
    if (m_pipelineFull && qsizetype(m_slots.size()) < m_settings->maxPipelinedRequests) {
        m_pipelineFull = false;
        http_parser_pause(&m_parser, 0);
        // Not from inside the handler that answered: parse on the next event-loop turn.
        QMetaObject::invokeMethod(this, &HttpConnection::readInput, Qt::QueuedConnection);
    }
    if (!m_parsing)
        updateTimer();
}

void HttpConnection::send(QByteArray bytes)
{
    if (m_settings->secure) {
        m_socket->write(bytes);
        return;
    }
    if (m_output.isEmpty())
        m_output = std::move(bytes);
    else
        m_output += bytes;
    if (!m_writeQueued) {
        m_writeQueued = true;
        WriteCoalescer::queue(this);
    }
}

void HttpConnection::writeCoalesced()
{
    m_writeQueued = false;
    if (m_gone)
        return;
    // Unbuffered, Qt writes at once; what the kernel does not take it keeps and writes when the
    // socket is writable again (bytesToWrite, then bytesWritten).
    m_socket->write(m_output);
    m_output.clear();
    if (m_closing)
        finishClose();
}

void HttpConnection::closeGracefully()
{
    if (m_gone || m_closing)
        return;
    m_stopReading = true;
    m_inMessage = false; // a request still arriving is not answered
    m_continueOwed = false;
    if (m_slots.empty()) {
        m_closing = true;
        finishClose();
        return;
    }
    // The last request read is answered with Connection: close, then the connection closes.
    m_slots.back().keepAlive = false;
    m_timer->stop();
    flush();
}

void HttpConnection::finishClose()
{
    if (m_gone || !m_output.isEmpty() || m_socket->bytesToWrite() > 0)
        return; // writeCoalesced, then bytesWritten, come back here
    if (m_peerFinished) {
        // Both sides are done: close (the kernel still sends what it holds, then FIN).
        m_socket->disconnectFromHost();
        socketGone();
        return;
    }
    if (m_halfClosed)
        return;
    // Half-close: the client reads every answer, then closes; what it still sends is discarded.
    m_halfClosed = true;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    m_timer->expireIn(kLingerMs);
}

void HttpConnection::updateTimer()
{
    if (m_gone || m_closing)
        return;
    if (m_stopReading) {
        m_timer->stop(); // the handler's turn; then the connection closes
        return;
    }
    if (m_inMessage && !m_headersDone) {
        m_timer->expireAt(m_headerDeadline);
    } else if (m_inMessage) {
        m_timer->expireIn(m_settings->idleTimeoutMs); // body bytes must keep coming
    } else if (!m_slots.empty()) {
        m_timer->stop(); // the client waits for us, not the other way round
    } else if (m_servedAny) {
        m_timer->expireIn(m_settings->idleTimeoutMs); // keep-alive between requests
    } else {
        m_timer->expireAt(m_headerDeadline);
    }
}

void HttpConnection::timedOut()
{
    if (m_gone)
        return;
    if (m_closing) {
        m_socket->abort(); // the client did not close after its last answer
        socketGone();
        return;
    }
    if (m_inMessage) {
        refuse(408, m_headersDone
                        ? QStringLiteral("request body stalled for %1 ms ([transport.http] "
                                         "idle_timeout_ms)")
                              .arg(m_settings->idleTimeoutMs)
                        : QStringLiteral("request headers not complete within %1 ms "
                                         "([transport.http] header_timeout_ms)")
                              .arg(m_settings->headerTimeoutMs));
        return;
    }
    if (m_slots.empty()) {
        auto *tls = qobject_cast<QSslSocket *>(m_socket);
        if (tls && !tls->isEncrypted()) {
            Logger::instance().log(LogLevel::Warn, QStringLiteral("http-listener"),
                                   QStringLiteral("HTTPS: TLS handshake with %1:%2 did not finish "
                                                  "within %3 ms ([transport.http] "
                                                  "header_timeout_ms); closed")
                                       .arg(m_socket->peerAddress().toString())
                                       .arg(m_socket->peerPort())
                                       .arg(m_settings->headerTimeoutMs));
        }
        // Idle keep-alive connection (or one that never sent a byte): close without a word.
        m_stopReading = true;
        m_closing = true;
        finishClose();
    }
}

void HttpConnection::socketGone()
{
    if (m_gone)
        return;
    m_gone = true;
    m_timer->stop();
    m_slots.clear(); // responders still held by handlers now answer false
    m_completed.clear();
    emit closed(m_id);
    deleteLater();
}

QByteArray HttpConnection::serialize(const HttpResponse &response, const Slot &slot) const
{
    QByteArray out;
    out.reserve(128 + response.body.size());
    out += "HTTP/1.1 ";
    appendNumber(out, response.status);
    out += ' ';
    out +=
        response.reason.isEmpty() ? HttpResponse::standardReason(response.status) : response.reason;
    out += "\r\n";
    QByteArray givenLength;
    for (const auto &[name, value] : response.headers) {
        // The listener owns the framing of its connection.
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            givenLength = value;
            continue;
        }
        if (name.compare("Connection", Qt::CaseInsensitive) == 0 ||
            name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0)
            continue;
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    const bool bodyless = isBodyless(response.status);
    if (!bodyless) {
        out += "Content-Length: ";
        // A HEAD answer may state the length of the body a GET would get.
        if (slot.head && response.body.isEmpty() && !givenLength.isEmpty())
            out += givenLength;
        else
            appendNumber(out, response.body.size());
        out += "\r\n";
    }
    if (!slot.keepAlive)
        out += "Connection: close\r\n";
    else if (slot.versionMinor == 0)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    if (!bodyless && !slot.head)
        out += response.body;
    return out;
}

} // namespace sluice
