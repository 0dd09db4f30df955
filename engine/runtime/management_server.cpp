// SPDX-License-Identifier: Apache-2.0
#include "management_server.h"

#include "management_event_stream.h"
#include "management_front.h"
#include "management_json.h"
#include "management_routes.h"
#include "management_token.h"
#include "runtime.h"

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

namespace sluice {

const QString ManagementServer::kStreamPath = QStringLiteral("/management/events/stream");

namespace {

const QByteArray kUnauthorizedBody =
    R"({"error":"missing or wrong token: send Authorization: Bearer <token from the token file>"})";
const QByteArray kAuthenticate = R"(Bearer realm="sluice")";

} // namespace

// Qt's HTTP server with our routes behind the token check.
class ManagementHttp : public QAbstractHttpServer {
public:
    using Authoriser = std::function<bool(const QByteArray &, const QUrlQuery &)>;

    ManagementHttp(ManagementRoutes &routes, Authoriser authorise, QObject *parent)
        : QAbstractHttpServer(parent)
        , m_routes(routes)
        , m_authorise(std::move(authorise))
    {
    }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        QHttpServerResponder responder = makeResponder(request, socket);
        if (!m_authorise(request.value("Authorization"), request.query())) {
            responder.write(QJsonDocument::fromJson(kUnauthorizedBody),
                            {{"WWW-Authenticate", kAuthenticate}},
                            QHttpServerResponder::StatusCode::Unauthorized);
            return true;
        }
        m_routes.handle(request, responder);
        return true;
    }

    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
    }

private:
    ManagementRoutes &m_routes;
    Authoriser m_authorise;
};

ManagementServer::ManagementServer(Runtime &runtime, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_routes(std::make_unique<ManagementRoutes>(runtime))
{
}

ManagementServer::~ManagementServer()
{
    close();
}

QByteArray ManagementServer::presentedToken(const QByteArray &authorization, const QUrlQuery &query)
{
    static const QByteArray bearer = "bearer ";
    const QByteArray trimmed = authorization.trimmed();
    if (trimmed.size() > bearer.size() && trimmed.left(bearer.size()).toLower() == bearer)
        return trimmed.mid(bearer.size()).trimmed();
    return query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8();
}

bool ManagementServer::authorised(const QByteArray &authorization, const QUrlQuery &query) const
{
    return ManagementToken::equals(m_token, presentedToken(authorization, query));
}

bool ManagementServer::listen(const QString &host, quint16 port, const QByteArray &token,
                              QString &error)
{
    close();
    if (token.isEmpty()) {
        error = QStringLiteral("the management API needs a token");
        return false;
    }
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(host)) {
        error = QStringLiteral("management host '%1' is not an IP address").arg(host);
        return false;
    }
    m_token = token;
    m_host = address.protocol() == QAbstractSocket::IPv6Protocol
                 ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
                 : address.toString();
    m_http = new ManagementHttp(
        *m_routes,
        [this](const QByteArray &authorization, const QUrlQuery &query) {
            return authorised(authorization, query);
        },
        this);
    m_front = new ManagementFront(
        [this](QTcpSocket *socket, const QByteArray &head) { handleUpgrade(socket, head); });
    if (!m_front->listen(address, port)) {
        error = QStringLiteral("management API cannot listen on %1:%2: %3")
                    .arg(m_host)
                    .arg(port)
                    .arg(m_front->errorString());
        delete m_front;
        m_front = nullptr;
        delete m_http;
        m_http = nullptr;
        return false;
    }
    m_http->bind(m_front); // takes ownership
    m_streams = new QWebSocketServer(QStringLiteral("sluice-management"),
                                     QWebSocketServer::NonSecureMode, this);
    connect(m_streams, &QWebSocketServer::newConnection, this,
            &ManagementServer::acceptStreamClients);
    return true;
}

void ManagementServer::close()
{
    for (ManagementEventStream *stream : findChildren<ManagementEventStream *>())
        stream->closeStream();
    delete m_http; // with the front and every REST socket
    m_http = nullptr;
    m_front = nullptr;
    delete m_streams; // stream clients are children of this; they go when it goes
    m_streams = nullptr;
}

quint16 ManagementServer::port() const
{
    return m_front ? m_front->serverPort() : 0;
}

QString ManagementServer::url() const
{
    return QStringLiteral("http://%1:%2").arg(m_host).arg(port());
}

void ManagementServer::setDataDirectory(const QString &directory)
{
    m_routes->setDataDirectory(directory);
}

// A WebSocket upgrade: answered here with 401 / 404 / 400 before any handshake, or handed to
// Qt WebSockets, which parses the handshake itself.
void ManagementServer::handleUpgrade(QTcpSocket *socket, const QByteArray &head)
{
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    const QUrl target(QString::fromLatin1(requestLine.value(1)));
    const QUrlQuery query(target);
    static const QRegularExpression authorizationLine(
        QStringLiteral("\\r\\nauthorization:[ \\t]*([^\\r\\n]*)"),
        QRegularExpression::CaseInsensitiveOption);
    const QByteArray authorization =
        authorizationLine.match(QString::fromLatin1(head)).captured(1).toLatin1();

    auto refuse = [socket](int status, const QByteArray &reason, const QByteArray &body,
                           const QByteArray &headers = QByteArray()) {
        socket->write(ManagementFront::httpResponse(status, reason, body, headers));
        socket->disconnectFromHost();
    };
    if (!authorised(authorization, query)) {
        refuse(401, "Unauthorized", kUnauthorizedBody,
               "WWW-Authenticate: " + kAuthenticate + "\r\n");
        return;
    }
    if (requestLine.value(0) != "GET" || target.path() != kStreamPath) {
        refuse(404, "Not Found",
               R"({"error":"the only WebSocket route is )" + kStreamPath.toUtf8() + "\"}");
        return;
    }
    QString error;
    if (!eventFilterFromQuery(query, error)) {
        refuse(400, "Bad Request",
               QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
                   .toJson(QJsonDocument::Compact));
        return;
    }
    disconnect(socket, &QTcpSocket::disconnected, socket, nullptr);
    socket->setParent(nullptr); // Qt WebSockets owns it from here
    m_streams->handleConnection(socket);
}

void ManagementServer::acceptStreamClients()
{
    while (QWebSocket *socket = m_streams->nextPendingConnection()) {
        QString error;
        // Checked before the handshake; cannot fail now.
        const MessageEventFilter filter =
            eventFilterFromQuery(QUrlQuery(socket->requestUrl()), error)
                .value_or(MessageEventFilter{});
        new ManagementEventStream(socket, m_runtime.events(), filter, this);
    }
}

} // namespace sluice
