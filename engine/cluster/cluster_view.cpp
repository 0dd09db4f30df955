// SPDX-License-Identifier: Apache-2.0
#include "cluster_view.h"

#include <QJsonArray>

namespace sluice {

QJsonObject clusterNodeToJson(const ClusterNodeInfo &node)
{
    QJsonObject object{{QStringLiteral("name"), node.name},
                       {QStringLiteral("connections"), node.connections},
                       {QStringLiteral("inPerSecond"), node.inPerSecond},
                       {QStringLiteral("outPerSecond"), node.outPerSecond},
                       {QStringLiteral("relayedPerSecond"), node.relayedPerSecond},
                       {QStringLiteral("receivedPerSecond"), node.receivedPerSecond},
                       {QStringLiteral("updatedMs"), node.updatedMs}};
    if (node.self)
        object.insert(QStringLiteral("self"), true);
    return object;
}

ClusterNodeInfo clusterNodeFromJson(const QJsonObject &object)
{
    ClusterNodeInfo node;
    node.name = object.value(QStringLiteral("name")).toString();
    node.self = object.value(QStringLiteral("self")).toBool();
    node.connections = object.value(QStringLiteral("connections")).toInt();
    node.inPerSecond = object.value(QStringLiteral("inPerSecond")).toDouble();
    node.outPerSecond = object.value(QStringLiteral("outPerSecond")).toDouble();
    node.relayedPerSecond = object.value(QStringLiteral("relayedPerSecond")).toDouble();
    node.receivedPerSecond = object.value(QStringLiteral("receivedPerSecond")).toDouble();
    node.updatedMs = qint64(object.value(QStringLiteral("updatedMs")).toDouble());
    return node;
}

QJsonObject clusterViewToJson(const ClusterView &view)
{
    if (!view.enabled)
        return QJsonObject{{QStringLiteral("enabled"), false}};
    QJsonArray nodes;
    for (const ClusterNodeInfo &node : view.nodes)
        nodes.append(clusterNodeToJson(node));
    return QJsonObject{{QStringLiteral("enabled"), true},
                       {QStringLiteral("node"), view.node},
                       {QStringLiteral("redis"), view.redis},
                       {QStringLiteral("tls"), view.tls},
                       {QStringLiteral("state"), view.state},
                       {QStringLiteral("connected"), view.state == QLatin1String("connected")},
                       {QStringLiteral("stateSinceMs"), view.stateSinceMs},
                       {QStringLiteral("relayed"), qint64(view.relayed)},
                       {QStringLiteral("received"), qint64(view.received)},
                       {QStringLiteral("dropped"), qint64(view.dropped)},
                       {QStringLiteral("malformed"), qint64(view.malformed)},
                       {QStringLiteral("nodes"), nodes}};
}

ClusterView clusterViewFromJson(const QJsonObject &object)
{
    ClusterView view;
    view.enabled = object.value(QStringLiteral("enabled")).toBool();
    view.node = object.value(QStringLiteral("node")).toString();
    view.redis = object.value(QStringLiteral("redis")).toString();
    view.tls = object.value(QStringLiteral("tls")).toBool();
    view.state = object.value(QStringLiteral("state")).toString();
    view.stateSinceMs = qint64(object.value(QStringLiteral("stateSinceMs")).toDouble());
    view.relayed = quint64(object.value(QStringLiteral("relayed")).toDouble());
    view.received = quint64(object.value(QStringLiteral("received")).toDouble());
    view.dropped = quint64(object.value(QStringLiteral("dropped")).toDouble());
    view.malformed = quint64(object.value(QStringLiteral("malformed")).toDouble());
    for (const QJsonValue &node : object.value(QStringLiteral("nodes")).toArray())
        view.nodes.append(clusterNodeFromJson(node.toObject()));
    return view;
}

} // namespace sluice
