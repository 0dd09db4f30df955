// SPDX-License-Identifier: Apache-2.0
#include "ws_inbound_settings.h"

#include "artifacts/parameter_spec.h"

#include <QRegularExpression>

namespace sluice {

namespace {

QString value(const InboundEndpoint &inbound, const QString &name)
{
    if (const NamedValue *given = inbound.findParameter(name))
        return given->value.trimmed();
    const ParameterSpec *spec = findInboundParameterSpec(inbound.protocol, name);
    return spec ? spec->defaultValue : QString();
}

int number(const InboundEndpoint &inbound, const QString &name)
{
    return value(inbound, name).toInt();
}

// MI names subprotocol handlers by Java class; Sluice offers the subprotocol the handler would
// (the simple class name without "SubprotocolHandler", lower case), or the name as given.
QString subprotocolName(const QString &entry)
{
    QString name = entry.trimmed();
    if (name.contains(QLatin1Char('.'))) {
        name = name.section(QLatin1Char('.'), -1);
        name.remove(QStringLiteral("SubprotocolHandler"));
        name.remove(QStringLiteral("SubProtocolHandler"));
        name = name.toLower();
    }
    return name;
}

} // namespace

WsInboundSettings WsInboundSettings::from(const InboundEndpoint &inbound,
                                          const ProjectConfig &config)
{
    WsInboundSettings s;
    s.name = inbound.name;
    s.protocol = inbound.protocol;
    s.host = value(inbound, QStringLiteral("inbound.ws.host"));
    if (s.host.isEmpty())
        s.host = config.server.bindAddress;
    s.port = number(inbound, QStringLiteral("inbound.ws.port"));
    if (value(inbound, QStringLiteral("ws.use.port.offset")) == QLatin1String("true"))
        s.port += config.server.offset;
    s.broadcastLevel = number(inbound, QStringLiteral("ws.client.side.broadcast.level"));
    const QString custom = value(inbound, QStringLiteral("dispatch.custom.sequence"));
    s.dispatchSequence = custom.isEmpty() ? inbound.sequence : custom;
    s.onError = inbound.onError;
    s.outflowSequence = value(inbound, QStringLiteral("ws.outflow.dispatch.sequence"));
    s.outflowFaultSequence = value(inbound, QStringLiteral("ws.outflow.dispatch.fault.sequence"));
    s.defaultContentType = value(inbound, QStringLiteral("ws.default.content.type"));
    s.shutdownCode = number(inbound, QStringLiteral("ws.shutdown.status.code"));
    s.shutdownMessage = value(inbound, QStringLiteral("ws.shutdown.status.message"));
    s.workerThreads = number(inbound, QStringLiteral("ws.worker.thread.pool.size"));
    const QString handlers = value(inbound, QStringLiteral("ws.subprotocol.handler.class"));
    for (const QString &entry :
         handlers.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts))
        s.subprotocols << subprotocolName(entry);
    s.clientIdleSeconds = number(inbound, QStringLiteral("ws.dispatch.idleTime"));
    s.backendIdleSeconds = number(inbound, QStringLiteral("ws.outflow.dispatch.idleTime"));
    s.passThroughControlFrames =
        value(inbound, QStringLiteral("ws.pass.through.control.frames")) == QLatin1String("true");
    s.maxMessageSize = value(inbound, QStringLiteral("ws.max.message.size")).toLongLong();
    s.maxConnections = number(inbound, QStringLiteral("ws.max.connections"));
    s.handshakeTimeoutSeconds = number(inbound, QStringLiteral("ws.handshake.timeout"));
    for (const QString &origin : value(inbound, QStringLiteral("ws.allowed.origins"))
                                     .split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (const QString trimmed = origin.trimmed(); !trimmed.isEmpty())
            s.allowedOrigins << trimmed;
    }
    s.maxConnectionsPerAddress = number(inbound, QStringLiteral("ws.max.connections.per.address"));
    s.pingIntervalSeconds = number(inbound, QStringLiteral("ws.ping.interval"));
    s.pingTimeoutSeconds = number(inbound, QStringLiteral("ws.ping.timeout"));
    s.maxWriteBufferBytes = value(inbound, QStringLiteral("ws.max.write.buffer.size")).toLongLong();
    s.suspended = inbound.suspend == QLatin1String("true");
    return s;
}

QStringList synapseSubprotocols()
{
    return {QStringLiteral("synapse(contentType='application/json')"),
            QStringLiteral("synapse(contentType='application/xml')"),
            QStringLiteral("synapse(contentType='text/xml')"),
            QStringLiteral("synapse(contentType='text/plain')")};
}

QString contentTypeOfSubprotocol(const QString &subprotocol)
{
    static const QRegularExpression pattern(QStringLiteral("^synapse\\(contentType='([^']+)'\\)$"));
    const auto match = pattern.match(subprotocol.trimmed());
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace sluice
