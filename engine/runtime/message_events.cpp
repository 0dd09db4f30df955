// SPDX-License-Identifier: Apache-2.0
#include "message_events.h"
#include "mediation/mediator.h"
#include "mediation/message_context.h"

#include <QDateTime>
#include <chrono>

namespace sluice {

namespace {

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

QString messageEventKindName(MessageEventKind kind)
{
    switch (kind) {
    case MessageEventKind::ConnectionOpened:
        return QStringLiteral("connection-opened");
    case MessageEventKind::ConnectionClosed:
        return QStringLiteral("connection-closed");
    case MessageEventKind::BackendOpened:
        return QStringLiteral("backend-opened");
    case MessageEventKind::BackendClosed:
        return QStringLiteral("backend-closed");
    case MessageEventKind::FrameIn:
        return QStringLiteral("frame-in");
    case MessageEventKind::FrameOut:
        return QStringLiteral("frame-out");
    case MessageEventKind::MediatorEntered:
        return QStringLiteral("mediator");
    case MessageEventKind::PropertiesSet:
        return QStringLiteral("properties-set");
    case MessageEventKind::Log:
        return QStringLiteral("log");
    case MessageEventKind::Fault:
        return QStringLiteral("fault");
    }
    return QString();
}

bool MessageEventFilter::matches(const MessageEvent &event) const
{
    if (!connectionId.isEmpty() && event.connectionId != connectionId)
        return false;
    return kinds.isEmpty() || kinds.contains(event.kind);
}

MessageEventHub::MessageEventHub(int capacity)
    : m_capacity(size_t(qMax(1, capacity)))
    , m_subscribers(std::make_shared<const std::vector<Subscriber>>())
    , m_epochOffsetNs(QDateTime::currentMSecsSinceEpoch() * 1000000 - steadyNs())
{
}

MessageEventHub::~MessageEventHub() = default;

void MessageEventHub::setRecording(bool on)
{
    m_recording.store(on);
    updateEnabled();
}

void MessageEventHub::updateEnabled()
{
    m_enabled.store(m_recording.load() || m_subscriberCount.load() > 0);
}

int MessageEventHub::capacity() const
{
    std::lock_guard lock(m_ringMutex);
    return int(m_capacity);
}

void MessageEventHub::setCapacity(int capacity)
{
    const QList<MessageEvent> events = snapshot();
    std::lock_guard lock(m_ringMutex);
    m_capacity = size_t(qMax(1, capacity));
    m_ring.clear();
    m_head = 0;
    const qsizetype first = qMax<qsizetype>(0, events.size() - qsizetype(m_capacity));
    m_dropped += quint64(first);
    for (qsizetype i = first; i < events.size(); ++i)
        m_ring.push_back(events.at(i));
}

QByteArray MessageEventHub::capturePayload(const QByteArray &payload) const
{
    const int limit = capturePayloadBytes();
    return payload.size() > limit ? payload.left(limit) : payload;
}

quint64 MessageEventHub::emitEvent(MessageEvent event)
{
    if (!enabled())
        return 0;
    // One clock read: the wall-clock time follows from the steady clock and the offset taken
    // when the hub was made (no gettimeofday on the hot path).
    event.monotonicNs = steadyNs();
    event.timestampMs = (event.monotonicNs + m_epochOffsetNs) / 1000000;
    const bool record = recording();
    const bool notify = watched();
    quint64 id = 0;
    {
        std::lock_guard lock(m_ringMutex);
        id = m_nextId++;
        event.id = id;
        if (record) {
            // Moved into the ring unless a subscriber still needs it below.
            if (m_ring.size() < m_capacity) {
                m_ring.push_back(notify ? MessageEvent(event) : std::move(event));
            } else if (notify) {
                m_ring[m_head] = event;
                m_head = (m_head + 1) % m_capacity;
                ++m_dropped;
            } else {
                m_ring[m_head] = std::move(event);
                m_head = (m_head + 1) % m_capacity;
                ++m_dropped;
            }
        }
    }
    if (notify) {
        std::shared_ptr<const std::vector<Subscriber>> subscribers;
        {
            std::lock_guard lock(m_subscriberMutex);
            subscribers = m_subscribers;
        }
        for (const Subscriber &subscriber : *subscribers) {
            if (subscriber.filter.matches(event))
                subscriber.callback(event);
        }
    }
    return id;
}

int MessageEventHub::subscribe(Callback callback, MessageEventFilter filter)
{
    std::lock_guard lock(m_subscriberMutex);
    auto next = std::make_shared<std::vector<Subscriber>>(*m_subscribers);
    const int id = m_nextSubscription++;
    next->push_back(Subscriber{id, std::move(callback), std::move(filter)});
    m_subscribers = std::move(next);
    m_subscriberCount.store(int(m_subscribers->size()));
    updateEnabled();
    return id;
}

void MessageEventHub::unsubscribe(int subscription)
{
    std::lock_guard lock(m_subscriberMutex);
    auto next = std::make_shared<std::vector<Subscriber>>(*m_subscribers);
    std::erase_if(*next, [subscription](const Subscriber &s) { return s.id == subscription; });
    m_subscribers = std::move(next);
    m_subscriberCount.store(int(m_subscribers->size()));
    updateEnabled();
}

QList<MessageEvent> MessageEventHub::snapshot(quint64 sinceId) const
{
    std::lock_guard lock(m_ringMutex);
    QList<MessageEvent> events;
    events.reserve(qsizetype(m_ring.size()));
    for (size_t i = 0; i < m_ring.size(); ++i) {
        const MessageEvent &event = m_ring[(m_head + i) % m_ring.size()];
        if (event.id > sinceId)
            events.append(event);
    }
    return events;
}

quint64 MessageEventHub::droppedCount() const
{
    std::lock_guard lock(m_ringMutex);
    return m_dropped;
}

quint64 MessageEventHub::lastId() const
{
    std::lock_guard lock(m_ringMutex);
    return m_nextId - 1;
}

void MessageEventHub::clear()
{
    std::lock_guard lock(m_ringMutex);
    m_ring.clear();
    m_head = 0;
}

MessageEvent MessageEventHub::messageEvent(const MessageContext &message, MessageEventKind kind)
{
    // Initialized, not assigned: copying the shared strings is cheaper than QString::operator=.
    return MessageEvent{.kind = kind,
                        .connectionId = message.channelId(),
                        .messageId = message.messageId(),
                        .artifact = message.artifactName()};
}

void MessageEventHub::mediatorEntered(const MessageContext &message, const Mediator &mediator)
{
    if (!enabled())
        return;
    emitEvent(MessageEvent{.kind = MessageEventKind::MediatorEntered,
                           .connectionId = message.channelId(),
                           .messageId = message.messageId(),
                           .artifact = message.artifactName(),
                           .mediator = mediator.elementName(),
                           .location = mediator.location()});
}

void MessageEventHub::mediatorFinished(const MessageContext &message, const Mediator &mediator)
{
    if (!enabled())
        return;
    const QList<std::pair<QString, PropertyScope>> set = mediator.propertiesSet();
    if (set.isEmpty())
        return;
    MessageEvent event = messageEvent(message, MessageEventKind::PropertiesSet);
    event.mediator = mediator.elementName();
    event.location = mediator.location();
    event.properties.reserve(set.size());
    for (const auto &[name, scope] : set)
        event.properties.append(EventProperty{name, scope, message.property(name, scope)});
    emitEvent(std::move(event));
}

void MessageEventHub::faultRaised(const MessageContext &message, const QString &reason)
{
    if (!enabled())
        return;
    MessageEvent event = messageEvent(message, MessageEventKind::Fault);
    event.text = reason;
    emitEvent(std::move(event));
}

void MessageEventHub::logged(const MessageContext &message, const QString &category,
                             const QString &line)
{
    if (!enabled())
        return;
    MessageEvent event = messageEvent(message, MessageEventKind::Log);
    event.category = category;
    event.text = line;
    emitEvent(std::move(event));
}

} // namespace sluice
