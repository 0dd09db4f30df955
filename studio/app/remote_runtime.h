// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runtime_controller.h"

#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
class QWebSocket;

namespace sluice::studio {

// A runtime elsewhere, driven through its management API (docs/management-api.md): Run and
// Redeploy zip the saved project and POST it to /management/project (the runtime swaps it in
// atomically; a 422 brings the problems back), status and connections are polled with GET, and
// message events come from the WebSocket stream /management/events/stream. Stop stops watching;
// the remote runtime keeps running what it has.
class RemoteRuntime : public RuntimeController {
    Q_OBJECT
public:
    // `baseUrl` is the management API's root ("http://127.0.0.1:9164").
    RemoteRuntime(const QUrl &baseUrl, const QString &token, QObject *parent = nullptr);
    ~RemoteRuntime() override;

    QString description() const override;
    void run(const QString &projectPath) override;
    void stop() override;
    void redeploy(const QString &projectPath) override;
    void closeConnection(const QString &id, int code, const QString &reason) override;

    QUrl baseUrl() const { return m_baseUrl; }
    // Whether the WebSocket event stream is open (events from now on reach the log).
    bool isWatching() const;
    void setPollInterval(int ms) { m_pollTimer.setInterval(ms); }

    // The project folder as a zip (relative paths), as POST /management/project takes it.
    static QByteArray zipProject(const QString &projectPath, QString *error);
    // {"error", "problems":[{file,line,column,severity,message}]} of the management API.
    static Diagnostics problemsFromJson(const QByteArray &body, QString *message);
    static RuntimeStatus statusFromJson(const QByteArray &body);
    static QList<ConnectionInfo> connectionsFromJson(const QByteArray &body);

private:
    QNetworkRequest request(const QString &path) const;
    void deploy(const QString &projectPath, bool initial);
    void onDeployed(QNetworkReply *reply, bool initial);
    void openEventStream();
    void poll();
    // A reply that failed without a usable body: one line about it.
    QString failure(QNetworkReply *reply) const;

    QUrl m_baseUrl;
    QString m_token;
    QNetworkAccessManager *m_network = nullptr;
    QWebSocket *m_events = nullptr;
    QTimer m_pollTimer;
    int m_pollsPending = 0;
};

} // namespace sluice::studio
