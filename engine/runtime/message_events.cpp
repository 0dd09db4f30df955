// SPDX-License-Identifier: Apache-2.0
#include "message_events.h"
#include "event_ring.h"
#include "mediation/mediator.h"
#include "mediation/message_context.h"

#include <QDateTime>
#include <algorithm>
#include <cstring>

namespace sluice {

// The functions of the recording path are marked hot and the whole-event paths cold: GCC then
// places the hot ones together, so the events code costs fewer instruction-cache lines on a
// proxied round trip (docs/events.md, cache figures).

namespace {

std::atomic<quint64> g_nextHubSerial{1};

// The same string data (a copy of the same QString), without comparing characters.
bool sameString(const QString &a, const QString &b)
{
    return a.constData() == b.constData() && a.size() == b.size();
}

// A new step of `record` (one with room), counted as a pending event; the caller fills in what
// its kind needs.
EventRecord::Step &addStep(EventSegment &own, EventRecord &record, MessageEventKind kind,
                           const Mediator *mediator)
{
    EventRecord::Step &step = record.steps[record.stepCount++];
    step.kind = quint8(kind);
    step.mediator = mediator;
    step.text = EventRecord::kNoSlot;
    step.valueCount = 0;
    step.hasProperties = false;
    step.constantValues = false;
    step.trail = EventRecord::kNoSlot;
    ++record.events;
    ++own.pendingEvents;
    return step;
}

// The connection id and artifact name of a record, by side-ring slot.
void internChannel(EventSegment &own, EventRecord &record, const QString &connection,
                   const QString &artifact)
{
    record.channel = own.channels.intern(
        own.channelHints[hintIndex<kConnectionHintBits>(connection.constData())],
        [&connection, &artifact](const EventSegment::Channel &slot) {
            return sameString(slot.connection, connection) && sameString(slot.artifact, artifact);
        },
        [&connection, &artifact] {
            return EventSegment::Channel{connection, artifact};
        },
        own.capacity);
}

// A property's value as the message holds it (null when it has none), without copying it.
const QVariant *findProperty(const MessageContext &message, const QString &name,
                             PropertyScope scope)
{
    return message.properties(scope).find(name);
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
    // By the type's interface pointer: QMetaType's operator== may look the id up.
    const QMetaType type = a.metaType();
    if (type.iface() != b.metaType().iface())
        return false;
    // Strings first: the common case costs no id lookup either.
    if (type.iface() == QMetaType::fromType<QString>().iface())
        return sameString(*static_cast<const QString *>(a.constData()),
                          *static_cast<const QString *>(b.constData()));
    switch (type.id()) {
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

// A deferred log line, built when the event is read from what its log mediator would have used.
QString deferredLine(const LogLineFormat &format, const QString &toAddress, quint64 messageId,
                     bool outflow, bool binary, const QByteArray &payload)
{
    return format.formatLine(
        LogLineInput{.toAddress = toAddress,
                     .messageId = messageId,
                     .direction = outflow ? Direction::Outflow : Direction::Inflow,
                     .frameKind = binary ? FrameKind::Binary : FrameKind::Text,
                     .payload = format.showsPayload() ? payload : QByteArray()});
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
    m_trailOpen.store(m_recording.load() && m_subscriberCount.load() == 0);
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

namespace {
// One cache entry per thread: the runtime has one hub, so this is a hit on every event but the
// first of each worker thread. A hub's serial is never reused, so a stale entry left by a
// destroyed hub never matches.
thread_local quint64 t_cachedSerial = 0;
thread_local EventSegment *t_cachedSegment = nullptr;
} // namespace

[[gnu::always_inline]] inline EventSegment &MessageEventHub::segment()
{
    if (t_cachedSerial == m_serial) [[likely]]
        return *t_cachedSegment;
    EventSegment &found = newSegment();
    t_cachedSerial = m_serial;
    t_cachedSegment = &found;
    return found;
}

inline EventRecord *MessageEventHub::appendable(EventSegment &own, quint64 messageId)
{
    // The newest record, when it belongs to the same message and the same time scope (so it
    // shares the timestamp the step would take) and has no id yet (nobody read it).
    if (own.scopeDepth == 0 || own.records.empty())
        return nullptr;
    EventRecord &newest = own.records[own.newestIndex()];
    if (newest.scope != own.scopeSerial || newest.messageId != messageId || newest.id != 0 ||
        newest.hasFull || newest.hasPlan)
        return nullptr;
    return &newest;
}

[[gnu::hot]] quint32 MessageEventHub::takeTrail(EventSegment &own, EventRecord &record)
{
    const TrailEntry *trail = own.trail.entries;
    const int count = own.trail.count;
    SideRing<MediatorRun>::Hint &hint =
        own.runHints[hintIndex<kRunHintBits>(MediatorTrail::mediator(trail[0]))];
    const quint32 slot = own.runs.intern(
        hint, [trail, count](const MediatorRun &run) { return run.holds(trail, count); },
        [trail, count] {
            MediatorRun run{std::vector<TrailEntry>(trail, trail + count), 0};
            for (const TrailEntry entry : run.entries)
                run.events += MediatorTrail::events(entry);
            return run;
        },
        own.capacity);
    if (!record.hasEnvironment)
        setEnvironment(own, record, *own.trail.message);
    const quint8 events = own.runs.at(slot).events;
    record.events += events;
    own.pendingEvents += events;
    own.trail.count = 0;
    own.trail.message = nullptr;
    return slot;
}

[[gnu::hot]] void MessageEventHub::flushTrail(EventSegment &own)
{
    own.lock();
    flushTrailLocked(own);
    own.unlock();
}

[[gnu::hot]] void MessageEventHub::flushTrailLocked(EventSegment &own)
{
    const MessageContext &message = *own.trail.message;
    // Mostly a step of the record of the frame that brought the message in.
    if (EventRecord *record = appendable(own, message.messageId());
        record && record->stepCount < EventRecord::kSteps) {
        EventRecord::Step &step = addStep(own, *record, MessageEventKind::MediatorEntered, nullptr);
        step.kind = EventRecord::kTrailOnly;
        --record->events; // the step has no event of its own
        --own.pendingEvents;
        step.trail = takeTrail(own, *record);
        return;
    }
    const int count = own.trail.count;
    own.trail.count = 0;
    own.trail.message = nullptr;
    // A log line the trail stands for shows the payload of the frame that brought the message
    // in: taken before the entries' own records are written (a small ring could overwrite it).
    QByteArray framePayload;
    for (int i = 0; i < count; ++i) {
        if (MediatorTrail::logsLine(own.trail.entries[i])) {
            framePayload = payloadOfFrameIn(own, message);
            break;
        }
    }
    for (int i = 0; i < count; ++i)
        writeTrailEntry(own, message, own.trail.entries[i], framePayload);
}

QByteArray MessageEventHub::payloadOfFrameIn(const EventSegment &own, const MessageContext &message)
{
    // The newest record, unless a reader cleared the ring since the line was marked (then the
    // message's payload, which the mark found untouched, is the best there is).
    if (!own.records.empty()) {
        const EventRecord &newest = own.records[own.newestIndex()];
        if (newest.hasFull && newest.full->kind == MessageEventKind::FrameIn &&
            newest.full->messageId == message.messageId())
            return newest.full->payload;
        if (!newest.hasFull && newest.kind == quint8(MessageEventKind::FrameIn) &&
            newest.messageId == message.messageId()) {
            return newest.hasSharedPayload
                       ? newest.sharedPayload
                       : QByteArray(newest.inlinePayload, newest.inlinePayloadSize);
        }
    }
    return message.payload();
}

void MessageEventHub::writeTrailEntry(EventSegment &own, const MessageContext &message,
                                      TrailEntry entry, const QByteArray &framePayload)
{
    // The step or record mediatorEntered / mediatorFinished would have written.
    const Mediator &mediator = *MediatorTrail::mediator(entry);
    bool *hasProperties = nullptr;
    bool *constantValues = nullptr;
    quint8 *events = nullptr;
    if (EventRecord *record = appendable(own, message.messageId());
        record && record->stepCount < EventRecord::kSteps) {
        if (!record->hasEnvironment)
            setEnvironment(own, *record, message);
        EventRecord::Step &step =
            addStep(own, *record, MessageEventKind::MediatorEntered, &mediator);
        hasProperties = &step.hasProperties;
        constantValues = &step.constantValues;
        events = &record->events;
    } else {
        EventRecord &entered =
            beginMediatorRecord(own, message, mediator, MessageEventKind::MediatorEntered);
        hasProperties = &entered.hasProperties;
        constantValues = &entered.constantValues;
        events = &entered.events;
        assignFullBatch(own);
    }
    if (MediatorTrail::setConstants(entry)) {
        *hasProperties = true;
        *constantValues = true;
        ++*events;
        ++own.pendingEvents;
    }
    if (MediatorTrail::logsLine(entry)) {
        // The line the trail stood for, as a deferred log record of its own.
        const auto *format = dynamic_cast<const LogLineFormat *>(&mediator);
        EventRecord &line = beginMediatorRecord(own, message, mediator, MessageEventKind::Log);
        fillLogRecord(
            own, line, format,
            quint8((MediatorTrail::logsOutflow(entry) ? EventRecord::kLogOutflow : 0) |
                   (message.frameKind() == FrameKind::Binary ? EventRecord::kLogBinary : 0)),
            format ? format->logCategory() : QString(), message.toAddress(),
            format && format->showsPayload() ? &framePayload : nullptr);
        assignFullBatch(own);
    }
}

EventSegment &MessageEventHub::newSegment()
{
    std::lock_guard lock(m_segmentsMutex);
    EventSegment *&segment = m_segmentByThread[std::this_thread::get_id()];
    if (!segment) {
        m_segments.push_back(std::make_unique<EventSegment>(m_capacity.load(), *m_readerGate));
        segment = m_segments.back().get();
        segment->trail.open = &m_trailOpen;
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
                materialise(*segment, record, nsPerTick,
                            [&events](MessageEvent event) { events.push_back(std::move(event)); });
            });
            // Kept as whole events: the side rings start again at the new size.
            segment->records.clear();
            segment->head = 0;
            segment->enteredSeq = 0; // no follow-up may borrow a timestamp from the old ring
            segment->capacity = size;
            segment->resetSideRings();
            const size_t first = events.size() > size ? events.size() - size : 0;
            m_trimmed += first;
            for (size_t i = first; i < events.size(); ++i) {
                EventRecord &record = segment->records.emplace_back();
                record.id = events[i].id;
                record.hasFull = true;
                record.full = std::make_unique<MessageEvent>(std::move(events[i]));
                record.hasFull = true;
            }
        }
    });
}

QByteArray MessageEventHub::capturePayload(const QByteArray &payload) const
{
    const int limit = capturePayloadBytes();
    return payload.size() > limit ? payload.left(limit) : payload;
}

namespace {

// The segment's next slot, pending, with what its previous record held let go; the caller sets
// the fields its kind of record uses.
[[gnu::always_inline]] inline EventRecord &takeSlot(EventSegment &segment, quint64 ticks)
{
    EventRecord &record = segment.next();
    record.id = 0;
    record.ticks = ticks;
    // A reused slot may still hold what its previous event needed: release it only then.
    if (record.hasFull) [[unlikely]] {
        record.full.reset();
        record.hasFull = false;
    }
    if (record.hasSharedPayload) [[unlikely]] {
        record.sharedPayload = QByteArray();
        record.hasSharedPayload = false;
    }
    return record;
}

} // namespace

[[gnu::hot]] EventRecord &MessageEventHub::beginRecord(EventSegment &segment, quint64 ticks)
{
    EventRecord &record = takeSlot(segment, ticks);
    record.valueCount = 0;
    record.inlinePayloadSize = 0;
    record.hasMediator = false;
    record.hasProperties = false;
    record.constantValues = false;
    record.hasEnvironment = false;
    record.hasPlan = false;
    record.stepCount = 0;
    record.events = 1;
    record.scope = segment.scopeDepth > 0 ? segment.scopeSerial : 0;
    record.logFormat = nullptr;
    record.text = EventRecord::kNoSlot;
    record.messageId = 0;
    record.size = 0;
    record.peer = quint8(EventPeer::None);
    record.opcode = quint8(EventOpcode::None);
    return record;
}

[[gnu::hot]] void MessageEventHub::finishRecord(EventSegment &segment)
{
    assignFullBatch(segment);
    segment.unlock();
}

[[gnu::hot]] void MessageEventHub::assignFullBatch(EventSegment &segment)
{
    // One shared-counter increment per batch instead of per event; readers assign the ids of a
    // batch that is not full yet before they read (assignAllPending).
    // The newest record keeps waiting: it is mostly the frame just written, and the steps of
    // its mediation can join it only while it has no id. Its ids come from a later block, so
    // they still follow those of the records before it.
    constexpr size_t kIdBatch = 32;
    if (segment.pending >= kIdBatch)
        assignPending(segment, true);
}

[[gnu::hot]] void MessageEventHub::assignPending(EventSegment &segment, bool keepNewest) const
{
    if (segment.pending == 0)
        return;
    const quint64 kept = keepNewest ? segment.records[segment.newestIndex()].eventCount() : 0;
    const quint64 events = segment.pendingEvents - kept;
    // The newest record given an id takes the last ids of the block, and so on back.
    quint64 next = m_nextId.fetch_add(events, std::memory_order_relaxed) + events;
    bool skip = keepNewest;
    segment.forEachPendingNewestFirst([&next, &skip](EventRecord &record) {
        if (skip) {
            skip = false;
            return;
        }
        next -= record.eventCount();
        record.id = next;
    });
    segment.pending = keepNewest ? 1 : 0;
    segment.pendingEvents = kept;
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
        segment->pendingEvents = 0;
    }
    if (pending.empty())
        return;
    std::stable_sort(pending.begin(), pending.end(),
                     [](const Pending &a, const Pending &b) { return a.ticks < b.ticks; });
    quint64 events = 0;
    for (const Pending &entry : pending)
        events += entry.record->eventCount();
    quint64 id = m_nextId.fetch_add(events, std::memory_order_relaxed);
    for (const Pending &entry : pending) {
        entry.record->id = id;
        id += entry.record->eventCount();
    }
}

[[gnu::hot]] void MessageEventHub::capture(EventRecord &record, const QByteArray &payload) const
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

[[gnu::hot]] bool MessageEventHub::carriesPayload(const EventRecord &record,
                                                  const QByteArray &payload) const
{
    const auto kind = MessageEventKind(record.kind);
    if ((kind != MessageEventKind::FrameIn && kind != MessageEventKind::FrameOut) ||
        record.size != payload.size())
        return false;
    // The same capture: what a frame event shows of its payload.
    const qsizetype captured = qMin<qsizetype>(payload.size(), capturePayloadBytes());
    if (record.hasSharedPayload)
        return record.sharedPayload.size() == captured &&
               (record.sharedPayload.constData() == payload.constData() ||
                memcmp(record.sharedPayload.constData(), payload.constData(), size_t(captured)) ==
                    0);
    return record.inlinePayloadSize == captured &&
           memcmp(record.inlinePayload, payload.constData(), size_t(captured)) == 0;
}

[[gnu::hot]] bool MessageEventHub::sameChannel(const EventSegment &own, const EventRecord &record,
                                               const QString &connection, const QString &artifact)
{
    const EventSegment::Channel &channel = own.channels.at(record.channel);
    return sameString(channel.connection, connection) && sameString(channel.artifact, artifact);
}

[[gnu::hot]] quint32 MessageEventHub::internText(EventSegment &own, const QString &text)
{
    if (text.isEmpty())
        return EventRecord::kNoSlot;
    return own.texts.intern(
        own.textHints[hintIndex<kConnectionHintBits>(text.constData())],
        [&text](const QString &slot) { return sameString(slot, text); }, [&text] { return text; },
        own.capacity);
}

[[gnu::hot]] void MessageEventHub::emitFrame(MessageEventKind kind, EventPeer peer,
                                             const QString &connectionId, quint64 messageId,
                                             const QString &artifact, EventOpcode opcode,
                                             const QByteArray &payload, const QString &text)
{
    if (!enabled())
        return;
    if (watched()) [[unlikely]] {
        emitWholeFrame(kind, peer, connectionId, messageId, artifact, opcode, payload, text);
        return;
    }
    EventSegment &own = segment();
    own.lock();
    if (own.trail.count > 0 && own.trail.message->messageId() != messageId) [[unlikely]]
        flushTrailLocked(own);
    // A frame the mediation of the record's message sends, with the payload it received: a
    // step of that record, which also takes the mediators that led to it (the trail).
    if (EventRecord *started = appendable(own, messageId);
        started && started->stepCount < EventRecord::kSteps && carriesPayload(*started, payload) &&
        sameChannel(own, *started, connectionId, artifact)) {
        EventRecord::Step &step = addStep(own, *started, kind, nullptr);
        step.peer = quint8(peer);
        step.opcode = quint8(opcode);
        step.sizeOrCategory = quint32(qMin<qint64>(payload.size(), 0xffffffff));
        step.text = internText(own, text);
        if (own.trail.count > 0)
            step.trail = takeTrail(own, *started);
        own.unlock();
        return;
    }
    if (own.trail.count > 0)
        flushTrailLocked(own);
    EventRecord &record = beginRecord(own, recordTicks(own));
    record.kind = quint8(kind);
    record.peer = quint8(peer);
    record.opcode = quint8(opcode);
    record.messageId = messageId;
    record.size = payload.size();
    internChannel(own, record, connectionId, artifact);
    record.text = internText(own, text);
    capture(record, payload);
    finishRecord(own);
}

[[gnu::hot]] quint64 MessageEventHub::recordPlannedHop(const PlannedHop &hop)
{
    // The hop's frames are one channel; the log steps' lines are built from the captured
    // payload, so it must be all of it when they print it.
    if (!recording() || watched() || !sameString(hop.connectionId, hop.outConnectionId) ||
        !sameString(hop.artifact, hop.outArtifact) ||
        (hop.plan.logsShowPayload && hop.payload.size() > capturePayloadBytes())) [[unlikely]]
        return 0;
    const quint64 messageId = MessageContext::newMessageId();
    EventSegment &own = segment();
    own.lock();
    if (own.trail.count > 0) [[unlikely]]
        flushTrailLocked(own);
    // What materialise() reads of a planned hop's record, and nothing else: no mediator, no
    // properties, no steps (appendable() never gives it any), its channel as a hop slot.
    EventRecord &record = takeSlot(own, recordTicks(own));
    record.hasMediator = false;
    record.hasProperties = false;
    record.hasEnvironment = false; // the hop slot holds it
    record.stepCount = 0;
    record.kind = quint8(MessageEventKind::FrameIn);
    record.peer = quint8(hop.from);
    const bool binary = hop.kind == FrameKind::Binary;
    record.opcode = quint8(binary ? EventOpcode::Binary : EventOpcode::Text);
    record.messageId = messageId;
    record.size = hop.payload.size();
    SideRing<EventSegment::Hop>::Hint hint;
    if (hop.hint.ring == &own.hops)
        hint = {hop.hint.slot, hop.hint.write};
    record.channel = own.hops.intern(
        hint,
        [&hop](const EventSegment::Hop &slot) {
            return sameString(slot.connection, hop.connectionId) &&
                   sameString(slot.inText, hop.inText) && sameString(slot.outText, hop.outText) &&
                   sameString(slot.artifact, hop.artifact) && slot.environment == hop.environment;
        },
        [&hop, &own] {
            // A new environment may be a redeploy's: let go of older ones no record points at.
            if (hop.environment.get() != own.hopEnvironment) {
                own.hops.releaseOlderThan(own.oldestSeq());
                own.hopEnvironment = hop.environment.get();
            }
            return EventSegment::Hop{hop.connectionId, hop.artifact, hop.inText, hop.outText,
                                     hop.environment};
        },
        own.capacity);
    hop.hint = {&own.hops, hint.slot, hint.write};
    own.hops.touch(record.channel, record.seq);
    record.plan = &hop.plan;
    record.hasPlan = true;
    // What a log step's line names: the direction of a reply from the backend, the frame's kind.
    record.logFlags = quint8((hop.from == EventPeer::Backend ? EventRecord::kLogOutflow : 0) |
                             (binary ? EventRecord::kLogBinary : 0));
    record.events = quint8(hop.plan.hopEvents);
    own.pendingEvents += quint8(hop.plan.hopEvents - 1); // next() counted the record's own
    capture(record, hop.payload);
    finishRecord(own);
    return messageId;
}

[[gnu::cold]] void MessageEventHub::emitWholeFrame(MessageEventKind kind, EventPeer peer,
                                                   const QString &connectionId, quint64 messageId,
                                                   const QString &artifact, EventOpcode opcode,
                                                   const QByteArray &payload, const QString &text)
{
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
}

quint64 MessageEventHub::emitEvent(MessageEvent event)
{
    if (!enabled())
        return 0;
    // Whole events are rare: the steady clock directly, no TSC conversion when read.
    event.monotonicNs = EventClock::steadyNs();
    event.timestampMs = (event.monotonicNs + m_epochOffsetNs) / 1000000;
    const bool notifying = watched();
    // The mediators the thread kept back come first (their events happened before).
    EventSegment &own = segment();
    if (own.trail.count > 0)
        flushTrail(own);
    // Another thread could take the next id and deliver its event before this one is
    // delivered: the log would show a message's backend frame before the client frame that
    // caused it. Watched events take their id and reach subscribers under one lock.
    std::unique_lock delivery(m_deliveryMutex, std::defer_lock);
    if (notifying)
        delivery.lock();
    if (!recording()) {
        event.id = m_nextId.fetch_add(1, std::memory_order_relaxed);
        notify(event);
        return event.id;
    }
    // Whole events take their id at once (callers and subscribers want it): the thread's
    // pending records get theirs first, so the thread's order stays the id order.
    own.lock();
    EventRecord &record = beginRecord(own, m_clock.ticks());
    assignPending(own);
    event.id = record.id;
    record.kind = quint8(event.kind);
    record.hasFull = true;
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

template <typename Visit>
void MessageEventHub::materialise(const EventSegment &segment, const EventRecord &record,
                                  double nsPerTick, Visit visit) const
{
    if (record.hasFull) {
        visit(*record.full);
        return;
    }
    MessageEvent event;
    event.id = record.id;
    event.monotonicNs = m_clock.toSteadyNs(record.ticks, nsPerTick);
    event.timestampMs = (event.monotonicNs + m_epochOffsetNs) / 1000000;
    event.kind = MessageEventKind(record.kind);
    event.peer = EventPeer(record.peer);
    event.opcode = EventOpcode(record.opcode);
    event.messageId = record.messageId;
    event.size = record.size;
    const EventSegment::Hop *hop = record.hasPlan ? &segment.hops.at(record.channel) : nullptr;
    if (hop) {
        event.connectionId = hop->connection;
        event.artifact = hop->artifact;
    } else {
        const EventSegment::Channel &channel = segment.channels.at(record.channel);
        event.connectionId = channel.connection;
        event.artifact = channel.artifact;
    }
    const QString text =
        hop ? hop->inText
        : record.text == EventRecord::kNoSlot
            ? QString()
            : (event.kind == MessageEventKind::Log && !record.logFormat ? segment.lines
                                                                        : segment.texts)
                  .at(record.text);
    QByteArray payload;
    if (record.hasSharedPayload)
        payload = record.sharedPayload;
    else if (record.inlinePayloadSize > 0)
        payload = QByteArray(record.inlinePayload, record.inlinePayloadSize);
    if (event.kind == MessageEventKind::Log) {
        event.category = segment.categories.at(record.category);
        event.text = record.logFormat
                         ? deferredLine(*record.logFormat, text, record.messageId,
                                        record.logFlags & EventRecord::kLogOutflow,
                                        record.logFlags & EventRecord::kLogBinary, payload)
                         : text;
    } else {
        event.text = text;
        event.payload = payload;
    }
    if (record.hasMediator && event.kind != MessageEventKind::Log) {
        // The environment slot the record points at keeps the mediator alive.
        event.mediator = record.mediator->elementName();
        event.location = record.mediator->location();
    }
    const auto withProperties = [&segment](MessageEvent &target, const Mediator &mediator,
                                           const quint32 *values, int valueCount, bool constant) {
        const Mediator::PropertyNames &set = mediator.propertiesSet();
        const QVariantList *constants = constant ? mediator.constantValues() : nullptr;
        const qsizetype count = constants ? constants->size() : valueCount;
        for (qsizetype i = 0; i < set.size() && i < count; ++i)
            target.properties.append(
                EventProperty{set[i].first, set[i].second,
                              constants ? constants->at(i) : segment.values[i].at(values[i])});
    };
    // The steps' events are built from the record's own before it goes.
    MessageEvent step;
    if (record.stepCount > 0 || record.hasPlan) {
        step = event;
        step.payload = QByteArray();
        step.text = QString();
        step.size = 0;
        step.peer = EventPeer::None;
        step.opcode = EventOpcode::None;
        step.category = QString();
        step.mediator = QString();
        step.location = SourceLocation();
        step.properties.clear();
    }
    quint64 id = record.id;
    // An event, then the properties-set event its mediator's values make (the next id).
    const auto visitWithProperties = [&](MessageEvent entered, const Mediator &mediator,
                                         const quint32 *values, int valueCount, bool constant) {
        MessageEvent properties = entered;
        visit(std::move(entered));
        properties.id = ++id;
        properties.kind = MessageEventKind::PropertiesSet;
        withProperties(properties, mediator, values, valueCount, constant);
        visit(std::move(properties));
    };
    if (record.hasProperties) {
        visitWithProperties(std::move(event), *record.mediator, record.values, record.valueCount,
                            record.constantValues);
    } else {
        if (event.kind == MessageEventKind::PropertiesSet && record.hasMediator)
            withProperties(event, *record.mediator, record.values, record.valueCount,
                           record.constantValues);
        visit(std::move(event));
    }
    // Mediators entered, one after the other: a trail's entries. `logFlags` are added to each
    // entry's (the direction of a planned hop's log steps).
    const auto visitTrail = [&](const std::vector<TrailEntry> &entries, TrailEntry logFlags) {
        for (TrailEntry trailed : entries) {
            if (MediatorTrail::logsLine(trailed))
                trailed |= logFlags;
            const Mediator &mediator = *MediatorTrail::mediator(trailed);
            MessageEvent entered = step;
            entered.id = ++id;
            entered.kind = MessageEventKind::MediatorEntered;
            entered.mediator = mediator.elementName();
            entered.location = mediator.location();
            if (MediatorTrail::setConstants(trailed))
                visitWithProperties(std::move(entered), mediator, nullptr, 0, true);
            else
                visit(std::move(entered));
            if (MediatorTrail::logsLine(trailed)) {
                // A log line built from the record's frame (markLogLine, or the plan, checked
                // that it shows what the line would: the payload, the To address, the kind).
                MessageEvent line = step;
                line.id = ++id;
                line.kind = MessageEventKind::Log;
                const auto *format = dynamic_cast<const LogLineFormat *>(&mediator);
                if (format) {
                    line.category = format->logCategory();
                    line.text = deferredLine(*format, text, record.messageId,
                                             MediatorTrail::logsOutflow(trailed),
                                             record.opcode == quint8(EventOpcode::Binary), payload);
                }
                visit(std::move(line));
            }
        }
    };
    if (hop) {
        // A planned hop: its steps, then the frame going out with the payload that came in.
        const ForwardPlan &plan = *record.plan;
        visitTrail(plan.hopTrail,
                   record.logFlags & EventRecord::kLogOutflow ? MediatorTrail::kLogOutflow : 0);
        MessageEvent out = std::move(step);
        out.id = ++id;
        out.kind = MessageEventKind::FrameOut;
        out.peer =
            plan.ending == ForwardPlan::Ending::Send ? EventPeer::Backend : EventPeer::Client;
        out.opcode = EventOpcode(record.opcode);
        out.size = record.size;
        out.payload = payload;
        out.text = hop->outText;
        visit(std::move(out));
        return;
    }
    for (int i = 0; i < record.stepCount; ++i) {
        const EventRecord::Step &entry = record.steps[i];
        // The mediators entered before the step's own event.
        if (entry.kind != quint8(MessageEventKind::MediatorEntered) &&
            entry.trail != EventRecord::kNoSlot)
            visitTrail(segment.runs.at(entry.trail).entries, 0);
        if (entry.kind == EventRecord::kTrailOnly)
            continue;
        MessageEvent stepEvent = step;
        stepEvent.id = ++id;
        stepEvent.kind = MessageEventKind(entry.kind);
        const QString stepText =
            entry.text == EventRecord::kNoSlot ? QString() : segment.texts.at(entry.text);
        switch (stepEvent.kind) {
        case MessageEventKind::FrameIn:
        case MessageEventKind::FrameOut:
            stepEvent.peer = EventPeer(entry.peer);
            stepEvent.opcode = EventOpcode(entry.opcode);
            stepEvent.size = entry.sizeOrCategory;
            stepEvent.payload = payload; // the record's own: the step carries the same
            stepEvent.text = stepText;
            visit(std::move(stepEvent));
            break;
        case MessageEventKind::Log: {
            stepEvent.category = segment.categories.at(entry.sizeOrCategory);
            // The step's mediator is a log mediator, kept alive with its environment.
            const auto *format = dynamic_cast<const LogLineFormat *>(entry.mediator);
            stepEvent.text = format
                                 ? deferredLine(*format, stepText, record.messageId,
                                                entry.logFlags & EventRecord::kLogOutflow,
                                                entry.logFlags & EventRecord::kLogBinary, payload)
                                 : QString();
            visit(std::move(stepEvent));
            break;
        }
        default:
            stepEvent.mediator = entry.mediator->elementName();
            stepEvent.location = entry.mediator->location();
            if (entry.hasProperties)
                visitWithProperties(std::move(stepEvent), *entry.mediator, entry.values,
                                    entry.valueCount, entry.constantValues);
            else
                visit(std::move(stepEvent));
            break;
        }
    }
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
                if (record.id + record.eventCount() - 1 > sinceId) {
                    materialise(*segment, record, nsPerTick, [&](MessageEvent event) {
                        if (event.id > sinceId)
                            events.append(std::move(event));
                    });
                }
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
            segment->resetSideRings();
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

[[gnu::hot]] EventSegment *MessageEventHub::openTimeScope()
{
    if (!enabled())
        return nullptr;
    EventSegment &own = segment();
    if (own.scopeDepth++ == 0) {
        own.scopeTicks = m_clock.ticks();
        ++own.scopeSerial;
    }
    return &own;
}

void MessageEventHub::closeTimeScope(EventSegment *segment)
{
    --segment->scopeDepth;
}

quint64 MessageEventHub::recordTicks(const EventSegment &own) const
{
    return own.scopeDepth > 0 ? own.scopeTicks : m_clock.ticks();
}

quint64 MessageEventHub::followUpTicks(const EventSegment &own, const MessageContext &message) const
{
    if (own.scopeDepth > 0)
        return own.scopeTicks;
    // A properties-set or log event that directly follows its mediator's "entered" record (no
    // other event of this thread in between) happened within the same mediator call, well
    // under a µs later: it shares that timestamp rather than reading the clock again (rdtsc is
    // 8-17 ns under KVM; four of the ~17 events of a proxied round trip are such follow-ups).
    if (own.enteredSeq == own.written && own.enteredMessageId == message.messageId() &&
        own.enteredSeq != 0)
        return own.records[own.newestIndex()].ticks;
    return m_clock.ticks();
}

[[gnu::hot]] EventRecord &MessageEventHub::beginMediatorRecord(EventSegment &own,
                                                               const MessageContext &message,
                                                               const Mediator &mediator,
                                                               MessageEventKind kind)
{
    EventRecord &record = beginRecord(own, followUpTicks(own, message));
    record.kind = quint8(kind);
    record.messageId = message.messageId();
    if (kind == MessageEventKind::MediatorEntered) {
        own.enteredSeq = record.seq;
        own.enteredMessageId = record.messageId;
    }
    internChannel(own, record, message.channelId(), message.artifactName());
    setEnvironment(own, record, message);
    record.mediator = &mediator;
    record.hasMediator = true;
    return record;
}

[[gnu::hot]] void MessageEventHub::setEnvironment(EventSegment &own, EventRecord &record,
                                                  const MessageContext &message)
{
    const std::shared_ptr<const MediationEnvironment> &environment = message.environmentPointer();
    record.environment = own.environments.intern(
        [&environment](const std::shared_ptr<const MediationEnvironment> &slot) {
            return slot == environment;
        },
        [&environment, &own] {
            // A new environment (a redeploy): let go of older ones no record points at.
            own.environments.releaseOlderThan(own.oldestSeq());
            return environment;
        },
        own.capacity);
    own.environments.touch(record.environment, record.seq);
    record.hasEnvironment = true;
}

[[gnu::hot]] void MessageEventHub::mediatorEntered(const MessageContext &message,
                                                   const Mediator &mediator)
{
    if (!enabled())
        return;
    if (watched()) [[unlikely]] {
        emitWholeMediatorEntered(message, mediator);
        return;
    }
    // Kept back in the thread's trail and written with its next ring write (flushTrail).
    EventSegment &own = segment();
    if ((own.trail.count > 0 && own.trail.message != &message) ||
        own.trail.count == MediatorTrail::kCapacity) [[unlikely]]
        flushTrail(own);
    own.trail.message = &message;
    own.trail.entries[own.trail.count++] = MediatorTrail::entry(&mediator);
}

[[gnu::cold]] void MessageEventHub::emitWholeMediatorEntered(const MessageContext &message,
                                                             const Mediator &mediator)
{
    emitEvent(MessageEvent{.kind = MessageEventKind::MediatorEntered,
                           .connectionId = message.channelId(),
                           .messageId = message.messageId(),
                           .artifact = message.artifactName(),
                           .mediator = mediator.elementName(),
                           .location = mediator.location()});
}

MediatorTrail *MessageEventHub::mediatorTrail()
{
    return enabled() ? &segment().trail : nullptr;
}

[[gnu::hot]] void MessageEventHub::runEnded(const MessageContext &message)
{
    Q_UNUSED(message);
    // Not only when enabled: a trail kept back must not outlive its message. A thread that
    // never wrote for this hub has no segment, hence no trail.
    if (t_cachedSerial == m_serial && t_cachedSegment->trail.count > 0) [[unlikely]]
        flushTrail(*t_cachedSegment);
}

[[gnu::hot]] void MessageEventHub::mediatorFinished(const MessageContext &message,
                                                    const Mediator &mediator)
{
    if (!enabled())
        return;
    if (watched()) [[unlikely]] {
        emitPropertiesSet(message, mediator, mediator.propertiesSet());
        return;
    }
    // The executor calls only for mediators that set properties; other callers may not.
    const Mediator::PropertyNames &set = mediator.propertiesSet();
    if (set.isEmpty())
        return;
    EventSegment &own = segment();
    // Constant values are read from the mediator when the event is read: the trail's entry
    // only notes that it set them.
    if (own.trail.count > 0) {
        TrailEntry &last = own.trail.entries[own.trail.count - 1];
        const bool lastIsThis =
            last == MediatorTrail::entry(&mediator) && own.trail.message == &message;
        if (lastIsThis && mediator.constantValues()) {
            last |= MediatorTrail::kConstants;
            return;
        }
        // The values go beside the mediator's own "entered" event: it is written as a step of
        // its own, after the rest of the trail.
        own.lock();
        if (lastIsThis)
            --own.trail.count;
        if (own.trail.count > 0)
            flushTrailLocked(own);
        if (lastIsThis)
            writeTrailEntry(own, message, last, QByteArray());
        own.trail.count = 0;
        own.trail.message = nullptr;
        own.unlock();
    }
    recordPropertiesSet(own, message, mediator, set);
}

void MessageEventHub::recordPropertiesSet(EventSegment &own, const MessageContext &message,
                                          const Mediator &mediator,
                                          const Mediator::PropertyNames &set)
{
    if (set.size() > EventRecord::kInlineValues) {
        emitPropertiesSet(message, mediator, set);
        return;
    }
    // Mostly the mediator's "entered" event is the thread's newest, in a record still without
    // an id: the values go beside it and the record stands for one more event. Otherwise a
    // record of its own.
    own.lock();
    quint32 *values = nullptr;
    quint8 *valueCount = nullptr;
    bool *constant = nullptr;
    if (EventRecord *record = appendable(own, message.messageId());
        record && record->stepCount > 0) {
        EventRecord::Step &step = record->steps[record->stepCount - 1];
        if (step.mediator == &mediator && !step.hasProperties) {
            step.hasProperties = true;
            ++record->events;
            ++own.pendingEvents;
            values = step.values;
            valueCount = &step.valueCount;
            constant = &step.constantValues;
        }
    } else if (own.enteredSeq == own.written && own.enteredSeq != 0 &&
               own.enteredMessageId == message.messageId()) {
        EventRecord &entered = own.records[own.newestIndex()];
        if (entered.id == 0 && entered.mediator == &mediator && entered.stepCount == 0 &&
            !entered.hasProperties) {
            entered.hasProperties = true;
            ++entered.events;
            ++own.pendingEvents;
            values = entered.values;
            valueCount = &entered.valueCount;
            constant = &entered.constantValues;
        }
    }
    if (!values) {
        EventRecord &record =
            beginMediatorRecord(own, message, mediator, MessageEventKind::PropertiesSet);
        values = record.values;
        valueCount = &record.valueCount;
        constant = &record.constantValues;
    }
    // Constant values are read from the mediator when the event is read: nothing to keep.
    if (mediator.constantValues()) {
        *constant = true;
        finishRecord(own);
        return;
    }
    static const QVariant kNone;
    for (const auto &[name, scope] : set) {
        const QVariant *found = message.lastSetProperty(name, scope);
        if (!found)
            found = findProperty(message, name, scope);
        const QVariant &value = found ? *found : kNone;
        // Kept once per change, like the strings: a constant value costs no copy at all.
        values[*valueCount] = own.values[*valueCount].intern(
            [&value](const QVariant &slot) { return sameValue(slot, value); },
            [&value] { return value; }, own.capacity);
        ++*valueCount;
    }
    finishRecord(own);
}

[[gnu::cold]] void
MessageEventHub::emitPropertiesSet(const MessageContext &message, const Mediator &mediator,
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
    m_faults.fetch_add(1, std::memory_order_relaxed);
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
    if (own.trail.count > 0)
        flushTrail(own);
    own.lock();
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

[[gnu::hot]] bool MessageEventHub::markLogLine(EventSegment &own, const MessageContext &message,
                                               const Mediator &mediator,
                                               const LogLineFormat &format) const
{
    // The log mediator is the trail's newest entry (the executor put it there).
    const int count = own.trail.count;
    if (count == 0 || own.trail.message != &message ||
        own.trail.entries[count - 1] != MediatorTrail::entry(&mediator) ||
        message.payloadModified())
        return false;
    // The frame that brought the message in, in this time scope, with nothing read yet.
    const EventRecord *frame = appendable(own, message.messageId());
    if (!frame || frame->kind != quint8(MessageEventKind::FrameIn) ||
        (frame->opcode == quint8(EventOpcode::Binary)) !=
            (message.frameKind() == FrameKind::Binary))
        return false;
    // It shows the line's To address, and its whole payload when the line prints it (a sender
    // may have put a reply in the message since: compared, not assumed).
    const QString &to = message.toAddress();
    if (frame->text == EventRecord::kNoSlot ? !to.isEmpty()
                                            : !sameString(own.texts.at(frame->text), to))
        return false;
    if (format.showsPayload() &&
        (frame->size > capturePayloadBytes() || !carriesPayload(*frame, message.payload())))
        return false;
    own.trail.entries[count - 1] |=
        MediatorTrail::kLogLine |
        (message.direction() == Direction::Outflow ? MediatorTrail::kLogOutflow : 0);
    return true;
}

[[gnu::hot]] void MessageEventHub::loggedDeferred(const MessageContext &message,
                                                  const QString &category, const Mediator &mediator,
                                                  const LogLineFormat &format)
{
    if (!enabled())
        return;
    const bool showsPayload = format.showsPayload();
    if (watched()) {
        logged(message, category,
               format.formatLine(
                   LogLineInput{.toAddress = message.toAddress(),
                                .messageId = message.messageId(),
                                .direction = message.direction(),
                                .frameKind = message.frameKind(),
                                .payload = showsPayload ? message.payload() : QByteArray()}));
        return;
    }
    // The parts of the line, not the line: the payload is shared, not copied (the line would
    // have held it too), and the mediator, kept alive with its environment, builds the line
    // when the event is read.
    EventSegment &own = segment();
    own.lock();
    if (markLogLine(own, message, mediator, format)) [[likely]] {
        own.unlock();
        return;
    }
    if (own.trail.count > 0 && own.trail.message != &message) [[unlikely]]
        flushTrailLocked(own);
    const quint8 logFlags =
        quint8((message.direction() == Direction::Outflow ? EventRecord::kLogOutflow : 0) |
               (message.frameKind() == FrameKind::Binary ? EventRecord::kLogBinary : 0));
    // A step of the frame that brought the message in, when it shows the same payload (or
    // none): the line is built from the record's payload when read.
    if (EventRecord *started = appendable(own, message.messageId());
        started && started->stepCount < EventRecord::kSteps &&
        (!showsPayload || carriesPayload(*started, message.payload())) &&
        (!showsPayload || message.payload().size() <= capturePayloadBytes())) {
        if (!started->hasEnvironment)
            setEnvironment(own, *started, message);
        EventRecord::Step &step = addStep(own, *started, MessageEventKind::Log, &mediator);
        step.logFlags = logFlags;
        step.sizeOrCategory = own.categories.intern(
            [&category](const QString &slot) { return sameString(slot, category); },
            [&category] { return category; }, own.capacity);
        step.text = internText(own, message.toAddress());
        if (own.trail.count > 0)
            step.trail = takeTrail(own, *started);
        own.unlock();
        return;
    }
    if (own.trail.count > 0)
        flushTrailLocked(own);
    EventRecord &record = beginMediatorRecord(own, message, mediator, MessageEventKind::Log);
    fillLogRecord(own, record, &format, logFlags, category, message.toAddress(),
                  showsPayload ? &message.payload() : nullptr);
    finishRecord(own);
}

void MessageEventHub::fillLogRecord(EventSegment &own, EventRecord &record,
                                    const LogLineFormat *format, quint8 logFlags,
                                    const QString &category, const QString &to,
                                    const QByteArray *payload)
{
    record.logFormat = format;
    record.logFlags = logFlags;
    record.category = own.categories.intern(
        [&category](const QString &slot) { return sameString(slot, category); },
        [&category] { return category; }, own.capacity);
    record.text = internText(own, to);
    if (!payload)
        return;
    // Small payloads are copied in place: a shared one would keep its buffer alive for the
    // ring's whole round, and releasing it then costs a cold free.
    if (payload->size() <= EventRecord::kInlinePayload) {
        memcpy(record.inlinePayload, payload->constData(), size_t(payload->size()));
        record.inlinePayloadSize = quint8(payload->size());
    } else {
        record.sharedPayload = *payload;
        record.hasSharedPayload = true;
    }
}

} // namespace sluice
