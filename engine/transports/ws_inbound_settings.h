// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/artifacts.h"
#include "artifacts/project.h"

#include <QSslConfiguration>
#include <QString>
#include <QStringList>

namespace sluice {

// The parameters of a WebSocket inbound endpoint, with the defaults of parameter_spec.cpp, read
// once at deploy time (validation has already checked every value).
struct WsInboundSettings {
    QString name;
    QString protocol;
    QString host;
    int port = 0;
    int broadcastLevel = 0;
    QString dispatchSequence; // `sequence`, or dispatch.custom.sequence
    QString onError;
    QString outflowSequence;
    QString outflowFaultSequence;
    QString defaultContentType;
    int shutdownCode = 1001;
    QString shutdownMessage;
    int workerThreads = 0;
    QStringList subprotocols; // offered besides synapse(contentType=...)
    int clientIdleSeconds = 0;
    int backendIdleSeconds = 0;
    bool passThroughControlFrames = false;
    qint64 maxMessageSize = 16 * 1024 * 1024;
    int maxConnections = 10000;
    int handshakeTimeoutSeconds = 10;
    // Sluice's own protections (not in MI), docs/websocket.md "Who gets in" and "Dead peers
    // and slow readers".
    QStringList allowedOrigins;       // empty: any Origin (and requests without one)
    int maxConnectionsPerAddress = 0; // 0: no limit beyond ws.max.connections
    int pingIntervalSeconds = 0;      // 0: no keep-alive pings
    int pingTimeoutSeconds = 10;
    qint64 maxWriteBufferBytes = 64 * 1024 * 1024;
    bool suspended = false;
    // protocol wss: certificate, key, versions, ciphers and client checks, built by the
    // deployment from the wss.ssl.* parameters (wssInboundTls); unused for ws.
    QSslConfiguration tls;

    bool secure() const { return protocol == QLatin1String("wss"); }

    static WsInboundSettings from(const InboundEndpoint &inbound, const ProjectConfig &config);
    bool operator==(const WsInboundSettings &) const = default;
};

// The subprotocols by which a client names its content type, as MI: synapse(contentType='...').
QStringList synapseSubprotocols();
// The content type named by a synapse(contentType='...') subprotocol, empty if it is not one.
QString contentTypeOfSubprotocol(const QString &subprotocol);

} // namespace sluice
