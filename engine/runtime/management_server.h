// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <memory>

class QTcpSocket;
class QWebSocketServer;
class QUrlQuery;

namespace sluice {

class ManagementFront;
class ManagementHttp;
class ManagementRoutes;
class Runtime;

// The management API of a running runtime (docs/management-api.md): REST routes to look at and
// change the deployment, and a WebSocket stream of message events. Every request needs the
// bearer token. Lives on the runtime's thread.
class ManagementServer : public QObject {
    Q_OBJECT
public:
    explicit ManagementServer(Runtime &runtime, QObject *parent = nullptr);
    ~ManagementServer() override;

    // Port 0 picks a free port. False with `error` when the address cannot be bound.
    bool listen(const QString &host, quint16 port, const QByteArray &token, QString &error);
    void close();
    quint16 port() const;
    // "http://127.0.0.1:9164"
    QString url() const;
    // Where uploaded projects are unpacked (defaultDataDirectory() unless set).
    void setDataDirectory(const QString &directory);

    static constexpr quint16 kDefaultPort = 9164;
    static const QString kStreamPath; // "/management/events/stream"

    // The token a request presents: "Authorization: Bearer T", else "?token=T".
    static QByteArray presentedToken(const QByteArray &authorization, const QUrlQuery &query);

private:
    bool authorised(const QByteArray &authorization, const QUrlQuery &query) const;
    void handleUpgrade(QTcpSocket *socket, const QByteArray &head);
    void acceptStreamClients();

    Runtime &m_runtime;
    QByteArray m_token;
    QString m_host;
    std::unique_ptr<ManagementRoutes> m_routes;
    ManagementHttp *m_http = nullptr;      // owned through QObject
    ManagementFront *m_front = nullptr;    // owned by m_http once bound
    QWebSocketServer *m_streams = nullptr; // not listening: handed authorised upgrades
};

} // namespace sluice
