// SPDX-License-Identifier: Apache-2.0
#include "cluster_link.h"

#include "cluster_envelope.h"
#include "cluster_node.h"
#include "runtime/logger.h"

#include <QDateTime>
#include <QJsonDocument>
#include <algorithm>

namespace sluice {

namespace {

const QString kCategory = QStringLiteral("cluster");
constexpr int kFirstBackoffMs = 200;
constexpr int kLastBackoffMs = 3000;
// Above this many bytes waiting for a slow Redis, broadcasts are dropped rather than queued
// without bound (each is counted).
constexpr qint64 kMaxQueuedBytes = 16 * 1024 * 1024;

RedisTarget targetOf(const ClusterConfig &config, std::shared_ptr<const ClientTls> tls)
{
    return RedisTarget{config.host, config.port, config.username, config.password, std::move(tls)};
}

} // namespace

ClusterLink::ClusterLink(ClusterNode &node, const ClusterConfig &config,
                         std::shared_ptr<const ClientTls> tls,
                         std::function<ClusterCounts()> counts, const QByteArray &instance)
    : m_node(node)
    , m_config(config)
    , m_instance(instance)
    , m_address(QStringLiteral("%1:%2%3")
                    .arg(config.host)
                    .arg(config.port)
                    .arg(config.tls ? QStringLiteral(" (TLS)") : QString()))
    , m_counts(std::move(counts))
    , m_commands(targetOf(config, tls), this)
    , m_subscriber(targetOf(config, tls), this)
    , m_heartbeat(this) // children: they move to the cluster thread with the link
    , m_retry(this)
{
    m_heartbeat.setInterval(config.heartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &ClusterLink::heartbeat);
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &ClusterLink::connectBoth);
    for (RedisConnection *connection : {&m_commands, &m_subscriber}) {
        connect(connection, &RedisConnection::ready, this, &ClusterLink::connectionReady);
        connect(connection, &RedisConnection::lost, this, &ClusterLink::connectionLost);
    }
    connect(&m_subscriber, &RedisConnection::pushed, this, &ClusterLink::messageArrived);
}

QByteArray ClusterLink::key(const QString &suffix) const
{
    return (m_config.keyPrefix + QLatin1Char(':') + suffix).toUtf8();
}

void ClusterLink::start()
{
    m_sampleClock.start();
    const ClusterCounts counts = m_counts();
    m_lastIn = counts.framesIn;
    m_lastOut = counts.framesOut;
    m_node.setNodes({selfInfo()});
    connectBoth();
}

void ClusterLink::connectBoth()
{
    m_subscribed = false;
    const int timeoutMs = std::max(1000, 2 * m_config.heartbeatMs);
    m_commands.open(timeoutMs);
    m_subscriber.open(timeoutMs);
}

void ClusterLink::connectionReady()
{
    if (!m_commands.isReady() || !m_subscriber.isReady() || m_subscribed)
        return;
    m_subscribed = true;
    m_subscriber.command(
        {QByteArrayLiteral("PSUBSCRIBE"), broadcastPattern(m_config.keyPrefix)},
        [this](const RedisValue &reply) {
            if (!m_subscribed) // closed meanwhile
                return;
            if (reply.isError())
                connectionLost(
                    QStringLiteral("PSUBSCRIBE refused: %1").arg(QString::fromUtf8(reply.text)));
            else
                joined();
        });
}

void ClusterLink::joined()
{
    const State before = m_state;
    m_state = State::Connected;
    m_backoffMs = kFirstBackoffMs;
    m_awaitingCommands = m_awaitingSubscriber = false;
    m_node.setState(QStringLiteral("connected"), true);
    if (before == State::Degraded) {
        Logger::instance().log(LogLevel::Info, kCategory,
                               QStringLiteral("cluster rejoined: node '%1' is back on Redis %2 "
                                              "after %3 s")
                                   .arg(m_config.node, m_address)
                                   .arg(double(m_degradedFor.elapsed()) / 1000.0, 0, 'f', 1));
    } else {
        Logger::instance().log(LogLevel::Info, kCategory,
                               QStringLiteral("node '%1' joined the cluster on Redis %2")
                                   .arg(m_config.node, m_address));
    }
    heartbeat();
    m_heartbeat.start();
}

void ClusterLink::connectionLost(const QString &reason)
{
    // Both connections go together: a node is in the cluster with both or with neither.
    m_heartbeat.stop();
    m_subscribed = false;
    m_commands.close();
    m_subscriber.close();
    if (m_state != State::Degraded) {
        m_state = State::Degraded;
        m_degradedFor.start();
        m_node.setState(QStringLiteral("degraded"), false);
        m_node.setNodes({selfInfo()});
        Logger::instance().log(LogLevel::Warn, kCategory,
                               QStringLiteral("cluster degraded: Redis %1: %2; node '%3' serves "
                                              "its own clients only and keeps trying to rejoin")
                                   .arg(m_address, reason, m_config.node));
    }
    m_retry.start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, kLastBackoffMs);
}

void ClusterLink::publish(const QByteArray &channel, const QByteArray &envelope)
{
    if (!m_commands.isReady() || m_commands.bytesToWrite() > kMaxQueuedBytes) {
        m_node.m_dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    m_commands.command({QByteArrayLiteral("PUBLISH"), channel, envelope});
    m_node.m_relayed.fetch_add(1, std::memory_order_relaxed);
}

void ClusterLink::messageArrived(const RedisValue &value)
{
    // ["pmessage", pattern, channel, payload]
    if (!value.isArrayOf("pmessage") || value.elements.size() != 4)
        return;
    const std::optional<ClusterEnvelope> envelope =
        ClusterEnvelope::decode(value.elements.at(3).text);
    if (!envelope) {
        m_node.m_malformed.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    // Its own clients had it from the origin already.
    if (envelope->originInstance == m_instance)
        return;
    m_node.deliver(*envelope);
}

ClusterNodeInfo ClusterLink::selfInfo()
{
    const ClusterCounts counts = m_counts();
    const quint64 relayed = m_node.m_relayed.load(std::memory_order_relaxed);
    const quint64 received = m_node.m_received.load(std::memory_order_relaxed);
    const double seconds = std::max(0.001, double(m_sampleClock.restart()) / 1000.0);
    ClusterNodeInfo self;
    self.name = m_config.node;
    self.self = true;
    self.connections = counts.connections;
    self.inPerSecond = double(counts.framesIn - m_lastIn) / seconds;
    self.outPerSecond = double(counts.framesOut - m_lastOut) / seconds;
    self.relayedPerSecond = double(relayed - m_lastRelayed) / seconds;
    self.receivedPerSecond = double(received - m_lastReceived) / seconds;
    self.updatedMs = QDateTime::currentMSecsSinceEpoch();
    m_lastIn = counts.framesIn;
    m_lastOut = counts.framesOut;
    m_lastRelayed = relayed;
    m_lastReceived = received;
    return self;
}

void ClusterLink::heartbeat()
{
    if (m_awaitingCommands || m_awaitingSubscriber) {
        if (m_unanswered.elapsed() > 3 * m_config.heartbeatMs)
            connectionLost(QStringLiteral("no reply for %1 ms").arg(m_unanswered.elapsed()));
        return;
    }
    m_unanswered.start();
    m_awaitingCommands = m_awaitingSubscriber = true;
    m_subscriber.command({QByteArrayLiteral("PING")},
                         [this](const RedisValue &) { m_awaitingSubscriber = false; });

    const ClusterNodeInfo self = selfInfo();
    QJsonObject presence = clusterNodeToJson(self);
    presence.remove(QStringLiteral("self"));
    presence.insert(QStringLiteral("instance"), QString::fromLatin1(m_instance));
    const QByteArray ttl = QByteArray::number(3 * m_config.heartbeatMs);
    m_commands.command({QByteArrayLiteral("SET"), key(QStringLiteral("node:") + m_config.node),
                        QJsonDocument(presence).toJson(QJsonDocument::Compact),
                        QByteArrayLiteral("PX"), ttl});
    m_commands.command(
        {QByteArrayLiteral("SADD"), key(QStringLiteral("nodes")), m_config.node.toUtf8()});
    m_commands.command({QByteArrayLiteral("SMEMBERS"), key(QStringLiteral("nodes"))},
                       [this, self](const RedisValue &reply) {
                           if (reply.type != RedisValue::Type::Array)
                               return; // lost: connectionLost() says why
                           QList<QByteArray> names;
                           for (const RedisValue &name : reply.elements)
                               names << name.text;
                           m_lastSelf = self;
                           readNodes(names);
                       });
}

void ClusterLink::readNodes(const QList<QByteArray> &names)
{
    QList<QByteArray> mget{QByteArrayLiteral("MGET")};
    for (const QByteArray &name : names)
        mget << key(QStringLiteral("node:") + QString::fromUtf8(name));
    m_commands.command(mget, [this, names](const RedisValue &reply) {
        if (reply.type != RedisValue::Type::Array || reply.elements.size() != names.size())
            return;
        m_awaitingCommands = false;
        QList<ClusterNodeInfo> others;
        for (qsizetype i = 0; i < names.size(); ++i) {
            const RedisValue &value = reply.elements.at(i);
            const QString name = QString::fromUtf8(names.at(i));
            if (value.isNil()) { // expired: a node that stopped or lost Redis
                m_commands.command(
                    {QByteArrayLiteral("SREM"), key(QStringLiteral("nodes")), names.at(i)});
                continue;
            }
            const QJsonObject object = QJsonDocument::fromJson(value.text).object();
            if (name == m_config.node) {
                const QByteArray instance =
                    object.value(QStringLiteral("instance")).toString().toLatin1();
                if (instance != m_instance && !m_nameClashLogged) {
                    m_nameClashLogged = true;
                    Logger::instance().log(LogLevel::Error, kCategory,
                                           QStringLiteral("another runtime also calls itself "
                                                          "'%1' in this cluster; give each a "
                                                          "[cluster] node name of its own")
                                               .arg(m_config.node));
                }
                continue;
            }
            others << clusterNodeFromJson(object);
        }
        std::sort(
            others.begin(), others.end(),
            [](const ClusterNodeInfo &a, const ClusterNodeInfo &b) { return a.name < b.name; });
        others.prepend(m_lastSelf);
        m_node.setNodes(others);
    });
}

void ClusterLink::leave()
{
    m_heartbeat.stop();
    m_retry.stop();
    if (m_commands.isReady()) {
        m_commands.command(
            {QByteArrayLiteral("DEL"), key(QStringLiteral("node:") + m_config.node)});
        m_commands.command(
            {QByteArrayLiteral("SREM"), key(QStringLiteral("nodes")), m_config.node.toUtf8()});
        m_commands.flush();
    }
    m_commands.close();
    m_subscriber.close();
}

} // namespace sluice
