// SPDX-License-Identifier: Apache-2.0
// REST routes of the management API (docs/management-api.md).
#include "management_routes.h"

#include "management_json.h"
#include "management_project_upload.h"
#include "message_event_json.h"
#include "runtime.h"

#include <QDir>
#include <QFileInfo>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace sluice {

namespace {

using Method = QHttpServerRequest::Method;

const QString kPrefix = QStringLiteral("/management/");

QJsonObject errorBody(const QString &message)
{
    return QJsonObject{{QStringLiteral("error"), message}};
}

} // namespace

ManagementRoutes::ManagementRoutes(Runtime &runtime)
    : m_runtime(runtime)
    , m_dataDirectory(defaultDataDirectory())
{
}

void ManagementRoutes::handle(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const Reply reply = route(request);
    const auto status = QHttpServerResponder::StatusCode(reply.status);
    if (reply.body.isUndefined()) {
        responder.write(status);
        return;
    }
    const QJsonDocument document = reply.body.isArray() ? QJsonDocument(reply.body.toArray())
                                                        : QJsonDocument(reply.body.toObject());
    // Compact: event lists can be long, and every client parses JSON anyway.
    responder.write(document.toJson(QJsonDocument::Compact), "application/json", status);
}

ManagementRoutes::Reply ManagementRoutes::route(const QHttpServerRequest &request)
{
    // The encoded path, so that "%2F" inside a file name or connection id is not a separator.
    const QString path = request.url().path(QUrl::FullyEncoded);
    if (!path.startsWith(kPrefix))
        return {404, errorBody(QStringLiteral("no such route: %1").arg(path))};
    const QString rest = path.mid(kPrefix.size());
    const qsizetype slash = rest.indexOf(QLatin1Char('/'));
    const QString resource = slash < 0 ? rest : rest.left(slash);
    const QString item =
        slash < 0 ? QString() : QUrl::fromPercentEncoding(rest.mid(slash + 1).toUtf8());
    const Method method = request.method();

    if (resource == QLatin1String("status") && item.isEmpty() && method == Method::Get)
        return status();
    if (resource == QLatin1String("cluster") && item.isEmpty() && method == Method::Get)
        return {200, clusterViewToJson(m_runtime.clusterView())};
    if (resource == QLatin1String("artifacts")) {
        if (item.isEmpty() && method == Method::Get)
            return artifacts();
        if (!item.isEmpty() && method == Method::Put)
            return putArtifact(item, request.body());
        if (!item.isEmpty() && method == Method::Delete)
            return deleteArtifact(item);
    }
    if (resource == QLatin1String("connections")) {
        if (item.isEmpty() && method == Method::Get)
            return connections();
        if (!item.isEmpty() && method == Method::Delete)
            return closeConnection(item, request);
    }
    if (resource == QLatin1String("redeploy") && item.isEmpty() && method == Method::Post)
        return redeploy();
    if (resource == QLatin1String("project") && item.isEmpty() && method == Method::Post)
        return uploadProject(request);
    if (resource == QLatin1String("events") && item.isEmpty() && method == Method::Get)
        return events(request);
    if (resource == QLatin1String("events") && item == QLatin1String("stream"))
        return {400, errorBody(QStringLiteral("the event stream is a WebSocket: send an "
                                              "Upgrade: websocket request"))};
    return {404, errorBody(QStringLiteral("no such route: %1").arg(path))};
}

ManagementRoutes::Reply ManagementRoutes::status() const
{
    return {200, runtimeStatusToJson(m_runtime.status())};
}

ManagementRoutes::Reply ManagementRoutes::artifacts() const
{
    return {200, artifactsToJson(m_runtime.project())};
}

ManagementRoutes::Reply ManagementRoutes::connections() const
{
    QJsonArray array;
    for (const ConnectionInfo &connection : m_runtime.connections())
        array.append(connectionInfoToJson(connection));
    return {200, array};
}

ManagementRoutes::Reply ManagementRoutes::closeConnection(const QString &id,
                                                          const QHttpServerRequest &request)
{
    const QUrlQuery query = request.query();
    bool codeOk = true;
    const QString codeText = query.queryItemValue(QStringLiteral("code"));
    const int code = codeText.isEmpty() ? 1000 : codeText.toInt(&codeOk);
    // RFC 6455 7.4: 1000 and 3000-4999 are the codes an endpoint may send on its own.
    if (!codeOk || (code != 1000 && (code < 3000 || code > 4999)))
        return {400, errorBody(
                         QStringLiteral("code must be 1000 or 3000-4999, not '%1'").arg(codeText))};
    const QString reason = query.queryItemValue(QStringLiteral("reason"), QUrl::FullyDecoded);
    if (reason.toUtf8().size() > 123)
        return {400, errorBody(QStringLiteral("reason is longer than 123 bytes"))};
    if (!m_runtime.closeConnection(id, code, reason))
        return {404, errorBody(QStringLiteral("no connection '%1'").arg(id))};
    return {204, QJsonValue(QJsonValue::Undefined)};
}

ManagementRoutes::Reply ManagementRoutes::redeploy()
{
    Diagnostics diagnostics;
    if (!m_runtime.redeploy(QString(), diagnostics))
        return {422, problemsToJson(QStringLiteral("the project was not redeployed; the running "
                                                   "deployment is unchanged"),
                                    diagnostics)};
    return status();
}

ManagementRoutes::Reply ManagementRoutes::uploadProject(const QHttpServerRequest &request)
{
    const QByteArray body = request.body();
    if (body.size() > kMaxUploadBytes)
        return {
            413,
            errorBody(QStringLiteral("the project is larger than %1 bytes").arg(kMaxUploadBytes))};
    Diagnostics diagnostics;
    const QString path = unpackUploadedProject(body, m_dataDirectory, diagnostics);
    if (path.isEmpty())
        return {422, problemsToJson(QStringLiteral("the upload is not a usable zip or .car"),
                                    diagnostics)};
    // The directory made for this upload: deployments/<id>/...
    const QDir deployments(QDir(m_dataDirectory).filePath(QStringLiteral("deployments")));
    const QString uploadDir =
        deployments.filePath(deployments.relativeFilePath(path).section(QLatin1Char('/'), 0, 0));
    if (!m_runtime.redeploy(path, diagnostics)) {
        QDir(uploadDir).removeRecursively();
        return {422, problemsToJson(QStringLiteral("the project was not deployed; the running "
                                                   "deployment is unchanged"),
                                    diagnostics)};
    }
    if (!m_uploadedDirectory.isEmpty() && m_uploadedDirectory != uploadDir)
        QDir(m_uploadedDirectory).removeRecursively();
    m_uploadedDirectory = uploadDir;
    return status();
}

ManagementRoutes::Reply ManagementRoutes::putArtifact(const QString &fileName,
                                                      const QByteArray &xml)
{
    if (!m_runtime.isDeployed())
        return {409, errorBody(QStringLiteral("nothing is deployed; deploy a project first"))};
    Diagnostics diagnostics;
    if (!m_runtime.deployArtifact(fileName, xml, diagnostics))
        return {422, problemsToJson(QStringLiteral("%1 was not deployed; the running artifact "
                                                   "is unchanged")
                                        .arg(fileName),
                                    diagnostics)};
    return status();
}

ManagementRoutes::Reply ManagementRoutes::deleteArtifact(const QString &name)
{
    if (!projectHasArtifact(m_runtime.project(), name))
        return {404, errorBody(QStringLiteral("no artifact '%1'").arg(name))};
    Diagnostics diagnostics;
    if (!m_runtime.undeployArtifact(name, diagnostics))
        return {409,
                problemsToJson(QStringLiteral("%1 was not undeployed").arg(name), diagnostics)};
    return {204, QJsonValue(QJsonValue::Undefined)};
}

ManagementRoutes::Reply ManagementRoutes::events(const QHttpServerRequest &request) const
{
    const QUrlQuery query = request.query();
    QString error;
    const std::optional<MessageEventFilter> filter = eventFilterFromQuery(query, error);
    if (!filter)
        return {400, errorBody(error)};
    bool ok = true;
    const QString sinceText = query.queryItemValue(QStringLiteral("since"));
    const quint64 since = sinceText.isEmpty() ? 0 : sinceText.toULongLong(&ok);
    if (!ok)
        return {400,
                errorBody(QStringLiteral("since must be an event id, not '%1'").arg(sinceText))};
    const QString limitText = query.queryItemValue(QStringLiteral("limit"));
    const qsizetype limit = limitText.isEmpty() ? -1 : limitText.toLongLong(&ok);
    if (!ok || (limit < 0 && !limitText.isEmpty()))
        return {400, errorBody(QStringLiteral("limit must be a count, not '%1'").arg(limitText))};

    QList<MessageEvent> matching;
    for (const MessageEvent &event : m_runtime.events().snapshot(since)) {
        if (filter->matches(event))
            matching.append(event);
    }
    // A page: the oldest `limit` events after `since`; the next page starts after the last id.
    if (limit >= 0 && matching.size() > limit)
        matching = matching.mid(0, limit);
    QJsonArray array;
    for (const MessageEvent &event : matching)
        array.append(messageEventToJson(event));
    return {200, array};
}

} // namespace sluice
