// SPDX-License-Identifier: Apache-2.0
#include "message_events.h"
#include "event_ring.h"
#include "mediation/mediator.h"
#include "mediation/message_context.h"

#include <QDateTime>
#include <algorithm>
#include <cstring>

namespace sluice {

namespace {

std::atomic<quint64> g_nextHubSerial{1};

// The same string data (a copy of the same QString), without comparing characters.
bool sameString(const QString &a, const QString &b)
{
    return a.constData() == b.constData() && a.size() == b.size();
}

// The connection id and artifact name of a record, by side-ring slot.
void internChannel(EventSegment &own, EventRecord &record, const QString &connection,
                   const QString &artifact)
{
    record.connection = own.connections.intern(
        [&connection](const QString &slot) { return sameString(slot, connection); },
        [&connection] { return connection; }, own.capacity);
    record.artifact = own.artifacts.intern(
        [&artifact](const QString &slot) { return sameString(slot, artifact); },
        [&artifact] { return artifact; }, own.capacity);
}

// A property's value as the message holds it (null when it has none), without copying it.
// Most messages carry a handful of properties per scope: comparing the keys costs less than
// hashing the name (Qt's seeded string hash is otherwise the most expensive step of a
// properties-set event).
const QVariant *findProperty(const MessageContext &message, const QString &name,
                             PropertyScope scope)
{
    constexpr qsizetype kScanLimit = 8;
    const QVariantHash &properties = message.properties(scope);
    if (properties.size() > kScanLimit) {
        const auto it = properties.constFind(name);
        return it == properties.cend() ? nullptr : &it.value();
    }
    for (auto it = properties.cbegin(); it != properties.cend(); ++it) {
        if (it.key() == name)
            return &it.value();
    }
    return nullptr;
}

QVariant propertyValue(const MessageContext &message, const QString &name, PropertyScope scope)
{
    const QVariant *value = findProperty(message, name, scope);
    return value ? *value : QVariant();
}

// The same value without comparing contents: the same string data (a property set from a
// constant keeps sharing the mediator's string), or an equal value of a plain type.
bool sameValue(const QVariant &a, const QVariant &b)
{
    const QMetaType type = a.metaType();
    if (type != b.metaType())
        return false;
    switch (type.id()) {
    case QMetaType::QString:
        return sameString(*static_cast<const QString *>(a.constData()),
                          *static_cast<const QString *>(b.constData()));
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::Double:
        return a == b;
    case QMetaType::UnknownType:
        return true;
    default:
        return false;
    }
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
    , m_serial(g_nextHubSerial.fetch_add(1, std::memory_order_relaxed))
    , m_readerGate(std::make_unique<EventReaderGate>())
    , m_subscribers(std::make_shared<const std::vector<Subscriber>>())
    , m_epochOffsetNs(QDateTime::currentMSecsSinceEpoch() * 1000000 - EventClock::steadyNs())
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

template <typename Visit> void MessageEventHub::withAllSegments(Visit visit) const
{
    std::lock_guard lock(m_segmentsMutex);
    m_readerGate->beginRead();
    for (const auto &segment : m_segments) {
        if (segment->writer.needsReaderLock())
            segment->lock();
        else
            segment->writer.waitForWriter();
    }
    assignAllPending();
    visit();
    for (const auto &segment : m_segments) {
        if (segment->writer.needsReaderLock())
            segment->unlock();
    }
    m_readerGate->endRead();
}

EventSegment &MessageEventHub::segment()
{
    // One cache entry per thread: the runtime has one hub, so this is a hit on every event but
    // the first of each worker thread. A hub's serial is never reused, so a stale entry left by
    // a destroyed hub never matches.
    thread_local quint64 cachedSerial = 0;
    thread_local EventSegment *cachedSegment = nullptr;
    if (cachedSerial == m_serial) [[likely]]
        return *cachedSegment;
    EventSegment &found = newSegment();
    cachedSerial = m_serial;
    cachedSegment = &found;
    return found;
}

EventSegment &MessageEventHub::newSegment()
{
    std::lock_guard lock(m_segmentsMutex);
    EventSegment *&segment = m_segmentByThread[std::this_thread::get_id()];
    if (!segment) {
        m_segments.push_back(std::make_unique<EventSegment>(m_capacity.load(), *m_readerGate));
        segment = m_segments.back().get();
    }
    return *segment;
}

void MessageEventHub::setCapacity(int capacity)
{
    const size_t size = size_t(qMax(1, capacity));
    const double nsPerTick = m_clock.nsPerTick();
    withAllSegments([&] {
        m_capacity.store(size);
        for (const auto &segment : m_segments) {
            std::vector<MessageEvent> events;
            events.reserve(segment->records.size());
            segment->forEach([&](const EventRecord &record) {
                events.push_back(materialise(*segment, record, nsPerTick));
            });
            // Kept as whole events: the side rings start again at the new size.
            segment->records.clear();
            segment->head = 0;
            segment->enteredSeq = 0; // no follow-up may borrow a timestamp from the old ring
            segment->capacity = size;
            segment->connections.reset();
            segment->artifacts.reset();
            segment->texts.reset();
            segment->lines.reset();
            segment->categories.reset();
            segment->environments.reset();
            for (SideRing<QVariant> &values : segment->values)
                values.reset();
            const size_t first = events.size() > size ? events.size() - size : 0;
            m_trimmed += first;
            for (size_t i = first; i < events.size(); ++i) {
                EventRecord &record = segment->records.emplace_back();
                record.id = events[i].id;
                record.full = std::make_unique<MessageEvent>(std::move(events[i]));
            }
        }
    });
}

QByteArray MessageEventHub::capturePayload(const QByteArray &payload) const
{
    const int limit = capturePayloadBytes();
    return payload.size() > limit ? payload.left(limit) : payload;
}

EventRecord &MessageEventHub::beginRecord(EventSegment &segment, quint64 ticks)
{
    segment.lock();
    EventRecord &record = segment.next();
    record.id = 0;
    record.ticks = ticks;
    // A reused slot may still hold what its previous event needed: release it only then.
    if (record.full) [[unlikely]]
        record.full.reset();
    if (record.hasSharedPayload) [[unlikely]] {
        record.sharedPayload = QByteArray();
        record.hasSharedPayload = false;
    }
    record.valueCount = 0;
    record.inlinePayloadSize = 0;
    record.hasMediator = false;
    record.messageId = 0;
    record.size = 0;
    record.peer = quint8(EventPeer::None);
    record.opcode = quint8(EventOpcode::None);
    return record;
}

void MessageEventHub::finishRecord(EventSegment &segment)
{
    // One shared-counter increment per batch instead of per event; readers assign the ids of a
    // batch that is not full yet before they read (assignAllPending).
    constexpr size_t kIdBatch = 32;
    if (segment.pending >= kIdBatch)
        assignPending(segment);
    segment.unlock();
}

void MessageEventHub::assignPending(EventSegment &segment) const
{
    if (segment.pending == 0)
        return;
    quint64 id = m_nextId.fetch_add(segment.pending, std::memory_order_relaxed);
    segment.forEachPending([&id](EventRecord &record) { record.id = id++; });
    segment.pending = 0;
}

void MessageEventHub::assignAllPending() const
{
    // Every writer is shut out. Pending records of all threads get their ids in time order
    // (each thread's own order kept, even if its clock readings were to step back).
    struct Pending {
        quint64 ticks;
        EventRecord *record;
    };
    std::vector<Pending> pending;
    for (const auto &segment : m_segments) {
        quint64 latest = 0;
        segment->forEachPending([&](EventRecord &record) {
            latest = std::max(latest, record.ticks);
            pending.push_back(Pending{latest, &record});
        });
        segment->pending = 0;
    }
    if (pending.empty())
        return;
    std::stable_sort(pending.begin(), pending.end(),
                     [](const Pending &a, const Pending &b) { return a.ticks < b.ticks; });
    quint64 id = m_nextId.fetch_add(pending.size(), std::memory_order_relaxed);
    for (const Pending &entry : pending)
        entry.record->id = id++;
}

void MessageEventHub::capture(EventRecord &record, const QByteArray &payload) const
{
    const qsizetype limit = capturePayloadBytes();
    const qsizetype size = qMin(payload.size(), limit);
    if (size <= EventRecord::kInlinePayload) {
        memcpy(record.inlinePayload, payload.constData(), size_t(size));
        record.inlinePayloadSize = quint8(size);
    } else {
        // Shared, not copied, unless only a prefix is wanted (a whole large frame would stay
        // alive in the ring otherwise).
        record.sharedPayload = size < payload.size() ? payload.left(size) : payload;
        record.hasSharedPayload = true;
    }
}

void MessageEventHub::emitFrame(MessageEventKind kind, EventPeer peer, const QString &connectionId,
                                quint64 messageId, const QString &artifact, EventOpcode opcode,
                                const QByteArray &payload, const QString &text)
{
    if (!enabled())
        return;
    if (watched()) {
        MessageEvent event;
        event.kind = kind;
        event.peer = peer;
        event.connectionId = connectionId;
        event.messageId = messageId;
        event.artifact = artifact;
        event.opcode = opcode;
        event.size = payload.size();
        event.payload = capturePayload(payload);
        event.text = text;
        emitEvent(std::move(event));
        return;
    }
    EventSegment &own = segment();
    EventRecord &record = beginRecord(own, m_clock.ticks());
    record.kind = quint8(kind);
    record.peer = quint8(peer);
    record.opcode = quint8(opcode);
    record.messageId = messageId;
    record.size = payload.size();
    internChannel(own, record, connectionId, artifact);
    record.text =
        text.isEmpty()
            ? EventRecord::kNoSlot
            : own.texts.intern([&text](const QString &slot) { return sameString(slot, text); },
                               [&text] { return text; }, own.capacity);
    capture(record, payload);
    finishRecord(own);
}

quint64 MessageEventHub::emitEvent(MessageEvent event)
{
    if (!enabled())
        return 0;
    // Whole events are rare: the steady clock directly, no TSC conversion when read.
    event.monotonicNs = EventClock::steadyNs();
    event.timestampMs = (event.monotonicNs + m_epochOffsetNs) / 1000000;
    const bool notifying = watched();
    if (!recording()) {
        event.id = m_nextId.fetch_add(1, std::memory_order_relaxed);
        notify(event);
        return event.id;
    }
    EventSegment &own = segment();
    // Whole events take their id at once (callers and subscribers want it): the thread's
    // pending records get theirs first, so the thread's order stays the id order.
    EventRecord &record = beginRecord(own, m_clock.ticks());
    assignPending(own);
    event.id = record.id;
    record.kind = quint8(event.kind);
    record.full =
        std::make_unique<MessageEvent>(notifying ? MessageEvent(event) : std::move(event));
    const quint64 id = record.id;
    own.unlock();
    if (notifying)
        notify(event);
    return id;
}

void MessageEventHub::notify(const MessageEvent &event) const
{
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

MessageEvent MessageEventHub::materialise(const EventSegment &segment, const EventRecord &record,
                                          double nsPerTick) const
{
    if (record.full)
        return *record.full;
    MessageEvent event;
    event.id = record.id;
    event.monotonicNs = m_clock.toSteadyNs(record.ticks, nsPerTick);
    event.timestampMs = (event.monotonicNs + m_epochOffsetNs) / 1000000;
    event.kind = MessageEventKind(record.kind);
    event.peer = EventPeer(record.peer);
    event.opcode = EventOpcode(record.opcode);
    event.messageId = record.messageId;
    event.size = record.size;
    event.connectionId = segment.connections.at(record.connection);
    event.artifact = segment.artifacts.at(record.artifact);
    if (event.kind == MessageEventKind::Log) {
        event.category = segment.categories.at(record.category);
        event.text = segment.lines.at(record.text);
    } else if (!record.hasMediator && record.text != EventRecord::kNoSlot) {
        event.text = segment.texts.at(record.text);
    }
    if (record.hasSharedPayload)
        event.payload = record.sharedPayload;
    else if (record.inlinePayloadSize > 0)
        event.payload = QByteArray(record.inlinePayload, record.inlinePayloadSize);
    if (record.hasMediator) {
        // The environment slot the record points at keeps the mediator alive.
        event.mediator = record.mediator->elementName();
        event.location = record.mediator->location();
        if (event.kind == MessageEventKind::PropertiesSet) {
            const QList<std::pair<QString, PropertyScope>> set = record.mediator->propertiesSet();
            for (qsizetype i = 0; i < set.size() && i < record.valueCount; ++i)
                event.properties.append(EventProperty{set[i].first, set[i].second,
                                                      segment.values[i].at(record.values[i])});
        }
    }
    return event;
}

QList<MessageEvent> MessageEventHub::snapshot(quint64 sinceId) const
{
    QList<MessageEvent> events;
    const double nsPerTick = m_clock.nsPerTick();
    // All segments at once: an id handed out is then always readable, so a reader that asks
    // for events after the last id it saw never misses one written by a slower thread.
    withAllSegments([&] {
        for (const auto &segment : m_segments) {
            segment->forEach([&](const EventRecord &record) {
                if (record.id > sinceId)
                    events.append(materialise(*segment, record, nsPerTick));
            });
        }
    });
    std::sort(events.begin(), events.end(),
              [](const MessageEvent &a, const MessageEvent &b) { return a.id < b.id; });
    return events;
}

quint64 MessageEventHub::droppedCount() const
{
    quint64 dropped = 0;
    withAllSegments([&] {
        dropped = m_trimmed;
        for (const auto &segment : m_segments)
            dropped += segment->dropped;
    });
    return dropped;
}

quint64 MessageEventHub::lastId() const
{
    withAllSegments([] {}); // hands out the ids of pending records
    return m_nextId.load() - 1;
}

void MessageEventHub::clear()
{
    withAllSegments([&] {
        for (const auto &segment : m_segments) {
            segment->records.clear();
            segment->head = 0;
            segment->enteredSeq = 0; // no follow-up may borrow a timestamp from the old ring
            // Nothing points into the side rings any more: release what they hold.
            segment->connections.reset();
            segment->artifacts.reset();
            segment->texts.reset();
            segment->lines.reset();
            segment->categories.reset();
            segment->environments.reset();
            for (SideRing<QVariant> &values : segment->values)
                values.reset();
        }
    });
}

MessageEvent MessageEventHub::messageEvent(const MessageContext &message, MessageEventKind kind)
{
    // Initialized, not assigned: copying the shared strings is cheaper than QString::operator=.
    return MessageEvent{.kind = kind,
                        .connectionId = message.channelId(),
                        .messageId = message.messageId(),
                        .artifact = message.artifactName()};
}

quint64 MessageEventHub::followUpTicks(const EventSegment &own, const MessageContext &message) const
{
    // A properties-set or log event that directly follows its mediator's "entered" record (no
    // other event of this thread in between) happened within the same mediator call, well
    // under a µs later: it shares that timestamp rather than reading the clock again (rdtsc is
    // 8-17 ns under KVM; four of the ~17 events of a proxied round trip are such follow-ups).
    if (own.enteredSeq == own.written && own.enteredMessageId == message.messageId() &&
        own.enteredSeq != 0)
        return own.records[own.newestIndex()].ticks;
    return m_clock.ticks();
}

EventRecord &MessageEventHub::beginMediatorRecord(EventSegment &own, const MessageContext &message,
                                                  const Mediator &mediator, MessageEventKind kind)
{
    EventRecord &record = beginRecord(own, followUpTicks(own, message));
    record.kind = quint8(kind);
    record.messageId = message.messageId();
    if (kind == MessageEventKind::MediatorEntered) {
        own.enteredSeq = record.seq;
        own.enteredMessageId = record.messageId;
    }
    internChannel(own, record, message.channelId(), message.artifactName());
    const MediationEnvironment *environment = &message.environment();
    record.environment = own.environments.intern(
        [environment](const std::shared_ptr<const MediationEnvironment> &slot) {
            return slot.get() == environment;
        },
        [&message, &own] {
            // A new environment (a redeploy): let go of older ones no record points at.
            own.environments.releaseOlderThan(own.oldestSeq());
            return message.environmentPointer();
        },
        own.capacity);
    own.environments.touch(record.environment, record.seq);
    record.mediator = &mediator;
    record.hasMediator = true;
    return record;
}

void MessageEventHub::mediatorEntered(const MessageContext &message, const Mediator &mediator)
{
    if (!enabled())
        return;
    if (watched()) {
        emitEvent(MessageEvent{.kind = MessageEventKind::MediatorEntered,
                               .connectionId = message.channelId(),
                               .messageId = message.messageId(),
                               .artifact = message.artifactName(),
                               .mediator = mediator.elementName(),
                               .location = mediator.location()});
        return;
    }
    EventSegment &own = segment();
    beginMediatorRecord(own, message, mediator, MessageEventKind::MediatorEntered);
    finishRecord(own);
}

void MessageEventHub::mediatorFinished(const MessageContext &message, const Mediator &mediator)
{
    if (!enabled())
        return;
    if (watched()) {
        emitPropertiesSet(message, mediator, mediator.propertiesSet());
        return;
    }
    EventSegment &own = segment();
    const QList<std::pair<QString, PropertyScope>> &set = own.propertiesSet(message, mediator);
    if (set.isEmpty())
        return;
    if (set.size() > EventRecord::kInlineValues) {
        emitPropertiesSet(message, mediator, set);
        return;
    }
    EventRecord &record =
        beginMediatorRecord(own, message, mediator, MessageEventKind::PropertiesSet);
    static const QVariant kNone;
    for (const auto &[name, scope] : set) {
        const QVariant *found = findProperty(message, name, scope);
        const QVariant &value = found ? *found : kNone;
        // Kept once per change, like the strings: a constant value costs no copy at all.
        record.values[record.valueCount] = own.values[record.valueCount].intern(
            [&value](const QVariant &slot) { return sameValue(slot, value); },
            [&value] { return value; }, own.capacity);
        ++record.valueCount;
    }
    finishRecord(own);
}

void MessageEventHub::emitPropertiesSet(const MessageContext &message, const Mediator &mediator,
                                        const QList<std::pair<QString, PropertyScope>> &set)
{
    if (!set.isEmpty()) {
        MessageEvent event = messageEvent(message, MessageEventKind::PropertiesSet);
        event.mediator = mediator.elementName();
        event.location = mediator.location();
        event.properties.reserve(set.size());
        for (const auto &[name, scope] : set)
            event.properties.append(
                EventProperty{name, scope, propertyValue(message, name, scope)});
        emitEvent(std::move(event));
    }
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
    if (watched()) {
        MessageEvent event = messageEvent(message, MessageEventKind::Log);
        event.category = category;
        event.text = line;
        emitEvent(std::move(event));
        return;
    }
    // Lean too: a flow that logs every message would otherwise pay a heap event per message.
    EventSegment &own = segment();
    EventRecord &record = beginRecord(own, followUpTicks(own, message));
    record.kind = quint8(MessageEventKind::Log);
    record.messageId = message.messageId();
    internChannel(own, record, message.channelId(), message.artifactName());
    record.category = own.categories.intern(
        [&category](const QString &slot) { return sameString(slot, category); },
        [&category] { return category; }, own.capacity);
    record.text = own.lines.intern([&line](const QString &slot) { return sameString(slot, line); },
                                   [&line] { return line; }, own.capacity);
    finishRecord(own);
}

} // namespace sluice
