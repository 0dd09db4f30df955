// SPDX-License-Identifier: Apache-2.0
#include "remote_runtime.h"

#include "artifacts/car_archive.h"
#include "runtime/message_event_json.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QWebSocket>

namespace sluice::studio {

namespace {

} // namespace

RemoteRuntime::RemoteRuntime(const QUrl &baseUrl, const QString &token, QObject *parent)
    : RuntimeController(parent)
    , m_baseUrl(baseUrl)
    , m_token(token)
    , m_network(new QNetworkAccessManager(this))
{
    m_pollTimer.setInterval(1000);
    connect(&m_pollTimer, &QTimer::timeout, this, &RemoteRuntime::poll);
}

RemoteRuntime::~RemoteRuntime() = default;

QString RemoteRuntime::description() const
{
    return tr("remote runtime %1").arg(m_baseUrl.toString());
}

QNetworkRequest RemoteRuntime::request(const QString &path) const
{
    QUrl url = m_baseUrl;
    url.setPath(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + path);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    request.setTransferTimeout(30000);
    return request;
}

QByteArray RemoteRuntime::zipProject(const QString &projectPath, QString *error)
{
    // A .car opened read-only is a zip already: it goes as it is.
    if (QFileInfo(projectPath).isFile()) {
        QFile archive(projectPath);
        if (!archive.open(QIODevice::ReadOnly)) {
            if (error)
                *error = tr("cannot read %1: %2").arg(projectPath, archive.errorString());
            return {};
        }
        return archive.readAll();
    }
    QMap<QString, QByteArray> entries;
    const QDir root(projectPath);
    QDirIterator it(projectPath, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        QFile in(file);
        if (!in.open(QIODevice::ReadOnly)) {
            if (error)
                *error = tr("cannot read %1: %2").arg(file, in.errorString());
            return {};
        }
        entries.insert(root.relativeFilePath(file), in.readAll());
    }
    QTemporaryDir dir;
    const QString zipPath = dir.filePath(QStringLiteral("project.zip"));
    if (!dir.isValid() || !writeZip(zipPath, entries, error))
        return {};
    QFile zip(zipPath);
    if (!zip.open(QIODevice::ReadOnly)) {
        if (error)
            *error = zip.errorString();
        return {};
    }
    return zip.readAll();
}

Diagnostics RemoteRuntime::problemsFromJson(const QByteArray &body, QString *message)
{
    Diagnostics problems;
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    if (message)
        *message = object.value(QStringLiteral("error")).toString();
    for (const QJsonValue &value : object.value(QStringLiteral("problems")).toArray()) {
        const QJsonObject problem = value.toObject();
        Diagnostic diagnostic;
        diagnostic.severity =
            problem.value(QStringLiteral("severity")).toString() == QLatin1String("warning")
                ? Severity::Warning
                : Severity::Error;
        diagnostic.location.file = problem.value(QStringLiteral("file")).toString();
        diagnostic.location.line = problem.value(QStringLiteral("line")).toInt();
        diagnostic.location.column = problem.value(QStringLiteral("column")).toInt();
        diagnostic.message = problem.value(QStringLiteral("message")).toString();
        problems.add(diagnostic);
    }
    return problems;
}

RuntimeStatus RemoteRuntime::statusFromJson(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    RuntimeStatus status;
    status.deployed = object.value(QStringLiteral("deployed")).toBool();
    status.projectPath = object.value(QStringLiteral("project")).toString();
    status.deployedAtMs = qint64(object.value(QStringLiteral("deployedAt")).toDouble());
    for (const QJsonValue &value : object.value(QStringLiteral("listeners")).toArray()) {
        const QJsonObject listener = value.toObject();
        status.listeners.append({listener.value(QStringLiteral("url")).toString(),
                                 listener.value(QStringLiteral("artifact")).toString(),
                                 listener.value(QStringLiteral("port")).toInt()});
    }
    status.clientConnections = object.value(QStringLiteral("clientConnections")).toInt();
    status.backendConnections = object.value(QStringLiteral("backendConnections")).toInt();
    const QJsonObject counters = object.value(QStringLiteral("counters")).toObject();
    const auto counter = [&counters](const char *name) {
        return quint64(counters.value(QLatin1String(name)).toDouble());
    };
    status.counters.connectionsAccepted = counter("connectionsAccepted");
    status.counters.framesIn = counter("framesIn");
    status.counters.framesOut = counter("framesOut");
    status.counters.faults = counter("faults");
    status.counters.deployments = counter("deployments");
    const QJsonObject events = object.value(QStringLiteral("events")).toObject();
    status.eventsLastId = quint64(events.value(QStringLiteral("lastId")).toDouble());
    status.eventsDropped = quint64(events.value(QStringLiteral("dropped")).toDouble());
    return status;
}

QList<ConnectionInfo> RemoteRuntime::connectionsFromJson(const QByteArray &body)
{
    QList<ConnectionInfo> connections;
    for (const QJsonValue &value : QJsonDocument::fromJson(body).array()) {
        const QJsonObject object = value.toObject();
        ConnectionInfo connection;
        connection.id = object.value(QStringLiteral("id")).toString();
        connection.peer = eventPeerFromName(object.value(QStringLiteral("peer")).toString());
        connection.artifact = object.value(QStringLiteral("artifact")).toString();
        connection.path = object.value(QStringLiteral("path")).toString();
        connection.subprotocol = object.value(QStringLiteral("subprotocol")).toString();
        connection.remoteAddress = object.value(QStringLiteral("remoteAddress")).toString();
        connection.clientId = object.value(QStringLiteral("clientId")).toString();
        connection.openedMs = qint64(object.value(QStringLiteral("openedAt")).toDouble());
        connection.framesIn = quint64(object.value(QStringLiteral("framesIn")).toDouble());
        connection.framesOut = quint64(object.value(QStringLiteral("framesOut")).toDouble());
        connections.append(connection);
    }
    return connections;
}

QString RemoteRuntime::failure(QNetworkReply *reply) const
{
    const int code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QString message;
    problemsFromJson(reply->readAll(), &message);
    if (code == 401)
        return tr("%1 refused the token (401)").arg(m_baseUrl.toString());
    if (code > 0)
        return tr("%1 answered %2: %3")
            .arg(m_baseUrl.toString())
            .arg(code)
            .arg(message.isEmpty() ? reply->errorString() : message);
    return tr("%1: %2").arg(m_baseUrl.toString(), reply->errorString());
}

void RemoteRuntime::run(const QString &projectPath)
{
    if (isActive())
        return;
    setState(RuntimeState::Starting);
    deploy(projectPath, true);
}

void RemoteRuntime::redeploy(const QString &projectPath)
{
    if (state() != RuntimeState::Running) {
        run(projectPath);
        return;
    }
    deploy(projectPath, false);
}

void RemoteRuntime::deploy(const QString &projectPath, bool initial)
{
    QString error;
    const QByteArray zip = zipProject(projectPath, &error);
    if (zip.isEmpty()) {
        if (initial)
            setState(RuntimeState::Failed);
        emit problemsReported(tr("The project could not be packed: %1").arg(error), {});
        return;
    }
    QNetworkRequest post = request(QStringLiteral("/management/project"));
    post.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/zip"));
    QNetworkReply *reply = m_network->post(post, zip);
    connect(reply, &QNetworkReply::finished, this, [this, reply, initial] {
        reply->deleteLater();
        onDeployed(reply, initial);
    });
}

void RemoteRuntime::onDeployed(QNetworkReply *reply, bool initial)
{
    const int code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (code == 200) {
        setStatus(statusFromJson(reply->readAll()), connections());
        if (initial) {
            setState(RuntimeState::Running);
            openEventStream();
            m_pollTimer.start();
        } else {
            emit message(
                tr("Redeployed on %1; connected clients stay connected").arg(m_baseUrl.toString()));
        }
        emit problemsReported(QString(), {});
        poll();
        return;
    }
    if (initial)
        setState(RuntimeState::Failed);
    if (code == 422) {
        QString text;
        const Diagnostics problems = problemsFromJson(reply->readAll(), &text);
        emit problemsReported(initial ? tr("The remote runtime refused the project: %1").arg(text)
                                      : tr("Redeploy refused; the previous deployment keeps "
                                           "running: %1")
                                            .arg(text),
                              problems);
        return;
    }
    emit problemsReported(failure(reply), {});
}

void RemoteRuntime::openEventStream()
{
    if (m_events)
        m_events->deleteLater();
    m_events = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    QUrl url = request(QStringLiteral("/management/events/stream")).url();
    url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss")
                                                         : QStringLiteral("ws"));
    QNetworkRequest stream(url);
    stream.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    std::shared_ptr<EventLogQueue> queue = sharedEventQueue();
    connect(m_events, &QWebSocket::textMessageReceived, this, [this, queue](const QString &text) {
        const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
        if (object.contains(QStringLiteral("dropped")) && !object.contains(QStringLiteral("id"))) {
            emit eventsDropped(quint64(object.value(QStringLiteral("dropped")).toDouble()));
            return;
        }
        if (const std::optional<MessageEvent> event = messageEventFromJson(object))
            queue->push(*event);
    });
    connect(m_events, &QWebSocket::disconnected, this, [this] {
        if (state() == RuntimeState::Running)
            emit message(tr("The event stream of %1 closed: %2")
                             .arg(m_baseUrl.toString(), m_events->closeReason()));
    });
    m_events->open(stream);
}

bool RemoteRuntime::isWatching() const
{
    return m_events && m_events->state() == QAbstractSocket::ConnectedState;
}

void RemoteRuntime::stop()
{
    m_pollTimer.stop();
    if (m_events) {
        m_events->close();
        m_events->deleteLater();
        m_events = nullptr;
    }
    setState(RuntimeState::Stopped);
}

void RemoteRuntime::closeConnection(const QString &id, int code, const QString &reason)
{
    QNetworkRequest remove = request(QStringLiteral("/management/connections/") +
                                     QString::fromUtf8(QUrl::toPercentEncoding(id)));
    QUrl url = remove.url();
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("code"), QString::number(code));
    if (!reason.isEmpty())
        query.addQueryItem(QStringLiteral("reason"), reason);
    url.setQuery(query);
    remove.setUrl(url);
    QNetworkReply *reply = m_network->deleteResource(remove);
    connect(reply, &QNetworkReply::finished, this, [this, reply, id] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        emit message(status == 204 ? tr("Closed connection %1").arg(id) : failure(reply));
        poll();
    });
}

void RemoteRuntime::poll()
{
    // Status and connections together; skip a tick while the previous poll is under way.
    if (m_pollsPending > 0 || state() != RuntimeState::Running)
        return;
    m_pollsPending = 3;
    auto status = std::make_shared<RuntimeStatus>();
    auto list = std::make_shared<QList<ConnectionInfo>>();
    auto cluster = std::make_shared<ClusterView>();
    auto finish = [this, status, list, cluster] {
        if (--m_pollsPending == 0 && state() == RuntimeState::Running) {
            setCluster(*cluster);
            setStatus(*status, *list);
        }
    };
    // A runtime older than the cluster route answers 404: shown as no cluster.
    QNetworkReply *clusterReply = m_network->get(request(QStringLiteral("/management/cluster")));
    connect(clusterReply, &QNetworkReply::finished, this, [clusterReply, cluster, finish] {
        clusterReply->deleteLater();
        if (clusterReply->error() == QNetworkReply::NoError)
            *cluster =
                clusterViewFromJson(QJsonDocument::fromJson(clusterReply->readAll()).object());
        finish();
    });
    QNetworkReply *statusReply = m_network->get(request(QStringLiteral("/management/status")));
    connect(statusReply, &QNetworkReply::finished, this, [statusReply, status, finish] {
        statusReply->deleteLater();
        if (statusReply->error() == QNetworkReply::NoError)
            *status = statusFromJson(statusReply->readAll());
        finish();
    });
    QNetworkReply *connectionsReply =
        m_network->get(request(QStringLiteral("/management/connections")));
    connect(connectionsReply, &QNetworkReply::finished, this, [connectionsReply, list, finish] {
        connectionsReply->deleteLater();
        if (connectionsReply->error() == QNetworkReply::NoError)
            *list = connectionsFromJson(connectionsReply->readAll());
        finish();
    });
}

} // namespace sluice::studio
