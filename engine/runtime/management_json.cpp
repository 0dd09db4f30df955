// SPDX-License-Identifier: Apache-2.0
#include "management_json.h"

#include "message_event_json.h"

#include <QDir>

namespace sluice {

namespace {

// The project-relative file an artifact was read from ("" when it was not read from a file).
QString relativeFile(const SourceLocation &location)
{
    return QDir::fromNativeSeparators(location.file);
}

void addArtifact(QJsonArray &array, const QString &name, const char *kind,
                 const SourceLocation &location)
{
    if (name.isEmpty())
        return;
    array.append(QJsonObject{{QStringLiteral("name"), name},
                             {QStringLiteral("kind"), QLatin1String(kind)},
                             {QStringLiteral("file"), relativeFile(location)}});
}

} // namespace

QJsonObject runtimeStatusToJson(const RuntimeStatus &status)
{
    QJsonArray listeners;
    for (const ListenerInfo &listener : status.listeners) {
        listeners.append(QJsonObject{{QStringLiteral("url"), listener.url},
                                     {QStringLiteral("artifact"), listener.artifact},
                                     {QStringLiteral("port"), listener.port}});
    }
    const RuntimeCounters &c = status.counters;
    const QJsonObject counters{
        {QStringLiteral("connectionsAccepted"), qint64(c.connectionsAccepted)},
        {QStringLiteral("framesIn"), qint64(c.framesIn)},
        {QStringLiteral("framesOut"), qint64(c.framesOut)},
        {QStringLiteral("faults"), qint64(c.faults)},
        {QStringLiteral("deployments"), qint64(c.deployments)}};
    return QJsonObject{{QStringLiteral("version"), QStringLiteral(SLUICE_VERSION)},
                       {QStringLiteral("deployed"), status.deployed},
                       {QStringLiteral("project"), status.projectPath},
                       {QStringLiteral("deployedAt"), status.deployedAtMs},
                       {QStringLiteral("listeners"), listeners},
                       {QStringLiteral("clientConnections"), status.clientConnections},
                       {QStringLiteral("backendConnections"), status.backendConnections},
                       {QStringLiteral("counters"), counters},
                       {QStringLiteral("events"),
                        QJsonObject{{QStringLiteral("lastId"), qint64(status.eventsLastId)},
                                    {QStringLiteral("dropped"), qint64(status.eventsDropped)}}}};
}

QJsonObject connectionInfoToJson(const ConnectionInfo &connection)
{
    QJsonObject object{{QStringLiteral("id"), connection.id},
                       {QStringLiteral("peer"), eventPeerName(connection.peer)},
                       {QStringLiteral("artifact"), connection.artifact},
                       {QStringLiteral("path"), connection.path},
                       {QStringLiteral("subprotocol"), connection.subprotocol},
                       {QStringLiteral("remoteAddress"), connection.remoteAddress},
                       {QStringLiteral("openedAt"), connection.openedMs},
                       {QStringLiteral("framesIn"), qint64(connection.framesIn)},
                       {QStringLiteral("framesOut"), qint64(connection.framesOut)}};
    if (!connection.clientId.isEmpty())
        object.insert(QStringLiteral("clientId"), connection.clientId);
    return object;
}

QJsonArray artifactsToJson(const Project &project)
{
    const ArtifactSet &a = project.artifacts;
    QJsonArray array;
    for (const Sequence &item : a.sequences)
        addArtifact(array, item.name, "sequence", item.location);
    for (const EndpointDefinition &item : a.endpoints)
        addArtifact(array, item.name, "endpoint", item.location);
    for (const InboundEndpoint &item : a.inboundEndpoints)
        addArtifact(array, item.name, "inboundEndpoint", item.location);
    for (const ProxyService &item : a.proxyServices)
        addArtifact(array, item.name, "proxy", item.location);
    for (const Api &item : a.apis)
        addArtifact(array, item.name, "api", item.location);
    for (const LocalEntry &item : a.localEntries)
        addArtifact(array, item.key, "localEntry", item.location);
    return array;
}

bool projectHasArtifact(const Project &project, const QString &name)
{
    const QJsonArray all = artifactsToJson(project);
    for (const QJsonValue &artifact : all) {
        if (artifact.toObject().value(QStringLiteral("name")).toString() == name)
            return true;
    }
    return false;
}

QJsonObject problemsToJson(const QString &message, const Diagnostics &diagnostics)
{
    QJsonArray problems;
    for (const Diagnostic &d : diagnostics.sorted()) {
        problems.append(QJsonObject{{QStringLiteral("file"), d.location.file},
                                    {QStringLiteral("line"), d.location.line},
                                    {QStringLiteral("column"), d.location.column},
                                    {QStringLiteral("severity"), d.severity == Severity::Error
                                                                     ? QStringLiteral("error")
                                                                     : QStringLiteral("warning")},
                                    {QStringLiteral("message"), d.message}});
    }
    return QJsonObject{{QStringLiteral("error"), message}, {QStringLiteral("problems"), problems}};
}

std::optional<MessageEventFilter> eventFilterFromQuery(const QUrlQuery &query, QString &error)
{
    MessageEventFilter filter;
    filter.connectionId = query.queryItemValue(QStringLiteral("connection"), QUrl::FullyDecoded);
    const QStringList kinds = query.queryItemValue(QStringLiteral("kind"), QUrl::FullyDecoded)
                                  .split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &name : kinds) {
        const std::optional<MessageEventKind> kind = messageEventKindFromName(name.trimmed());
        if (!kind) {
            error = QStringLiteral("unknown event kind '%1' (connection-opened, "
                                   "connection-closed, backend-opened, backend-closed, frame-in, "
                                   "frame-out, mediator, properties-set, log, fault)")
                        .arg(name);
            return std::nullopt;
        }
        filter.kinds.append(*kind);
    }
    return filter;
}

} // namespace sluice
