// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "message_events.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace sluice {

// One open WebSocket connection as the runtime sees it: a client of an inbound endpoint, or a
// backend connection the sender opened for a client. Plain values, safe to hand across threads.
struct ConnectionInfo {
    QString id; // "ws-7" for a client; "ws-7/b1" style for its backend connections
    EventPeer peer = EventPeer::Client;
    QString artifact;      // inbound endpoint name
    QString path;          // request path of a client, URL of a backend
    QString subprotocol;   // negotiated subprotocol, empty when none
    QString remoteAddress; // "127.0.0.1:53312"
    QString clientId;      // for a backend connection: the client it serves
    qint64 openedMs = 0;   // ms since the epoch
    quint64 framesIn = 0;
    quint64 framesOut = 0;
};

// A listening socket of the runtime.
struct ListenerInfo {
    QString url;      // "ws://127.0.0.1:9092"
    QString artifact; // inbound endpoint name
    int port = 0;
};

// Counters kept whether or not message events are recorded (relaxed atomics on the hot path).
struct RuntimeCounters {
    quint64 connectionsAccepted = 0;
    quint64 framesIn = 0;  // from clients and backends
    quint64 framesOut = 0; // to clients and backends
    quint64 faults = 0;
    quint64 deployments = 0; // successful deploy / redeploy / artifact deploys
};

struct RuntimeStatus {
    bool deployed = false;
    QString projectPath;
    qint64 deployedAtMs = 0;
    QList<ListenerInfo> listeners;
    int clientConnections = 0;
    int backendConnections = 0;
    RuntimeCounters counters;
    quint64 eventsLastId = 0;
    quint64 eventsDropped = 0;
};

} // namespace sluice
