// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/source_location.h"
#include "event_clock.h"
#include "mediation/forward_plan.h"
#include "mediation/mediation_environment.h"
#include "mediation/mediator_trail.h"
#include "mediation/message_context.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sluice {

enum class MessageEventKind {
    ConnectionOpened, // a client connected (handshake headers and subprotocol)
    ConnectionClosed, // a client left (close code and reason)
    BackendOpened,    // a backend connection opened for a client
    BackendClosed,    // a backend connection closed (close code and reason)
    FrameIn,          // a frame arrived (from a client or a backend)
    FrameOut,         // a frame was sent (to a client or a backend)
    MediatorEntered,  // a mediator is about to run on a message
    PropertiesSet,    // a mediator that sets properties ran: their values after it
    Log,              // a log mediator's line
    Fault,            // a fault was raised on a message
};
QString messageEventKindName(MessageEventKind kind);

// Which peer a connection or frame event is about.
enum class EventPeer { None, Client, Backend };
enum class EventOpcode { None, Text, Binary, Close };

// A property as a mediator left it (the value is shared, not converted, on the hot path).
struct EventProperty {
    QString name;
    PropertyScope scope = PropertyScope::Default;
    QVariant value;
};

// One structured event on the message path. Fields that do not apply to a kind stay empty.
struct MessageEvent {
    quint64 id = 0;         // monotonic over the hub, assigned when emitted
    qint64 timestampMs = 0; // ms since the epoch
    qint64 monotonicNs = 0; // steady clock, for durations between events
    MessageEventKind kind = MessageEventKind::Log;
    QString connectionId{};    // the client connection ("ws-7"), also for backend events
    quint64 messageId = 0;     // 0 when the event is not about one message
    QString artifact{};        // inbound endpoint, proxy or API name
    QString mediator{};        // element name of the mediator
    SourceLocation location{}; // where the mediator was read (file:line:col)
    EventPeer peer = EventPeer::None;
    EventOpcode opcode = EventOpcode::None;
    qint64 size = 0; // frame size in bytes
    int closeCode = 0;
    QString closeReason{};
    QHash<QString, QString> headers{}; // handshake headers
    QString subprotocol{};
    QList<EventProperty> properties{}; // PropertiesSet: values after the mediator
    QString category{};                // log category
    QString text{};                    // log line or fault reason
    QByteArray payload{};              // payload prefix, up to the hub's capturePayloadBytes
};

// Which events a subscriber wants: empty fields match everything.
struct MessageEventFilter {
    QString connectionId;
    QList<MessageEventKind> kinds;

    bool matches(const MessageEvent &event) const;
};

// Where the hops a connection starts were noted last (the side-ring slot of their channel,
// URLs and environment): kept by the connection, so that no two connections share it (a table
// of hints by address would make colliding connections take new slots in turn).
struct PlannedHopHint {
    const void *ring = nullptr; // the side ring the slot is in: a thread's segment's
    quint32 slot = 0;
    quint64 write = 0;
};

// One hop of a planned flow (forward_plan.h): a frame that came in from one peer and goes out
// to the other (a send ending) or back (a respond ending) as it came, the plan's steps run in
// between. Both frames are on the same client connection and artifact.
struct PlannedHop {
    PlannedHopHint &hint;
    const ForwardPlan &plan;
    // Keeps the plan and its mediators alive while the record is.
    const std::shared_ptr<const MediationEnvironment> &environment;
    EventPeer from = EventPeer::Client;
    const QString &connectionId;
    const QString &artifact;
    // What the frame going out is written with (it must be the same connection and artifact).
    const QString &outConnectionId;
    const QString &outArtifact;
    const QString &inText;  // the backend URL of a frame from a backend (the log steps' To)
    const QString &outText; // the backend URL of a frame to a backend
    FrameKind kind = FrameKind::Text;
    const QByteArray &payload;
};

struct EventRecord;
struct EventSegment;
class EventReaderGate;

// Collects message events from every worker thread into bounded ring buffers (the oldest are
// dropped and counted) and hands them to subscribers on the emitting thread. Emitters test
// enabled() (one relaxed atomic load) before building an event.
//
// Recording is built to stay on when nobody watches (docs/events.md): each emitting thread
// writes compact records into its own ring segment (capacity() records per thread) under a
// lock only readers ever contend for; strings and mediators are referenced, not copied; the
// timestamp is the TSC. Full MessageEvent values are built only by snapshot() and for
// subscribers. Ids come from one counter in batches (per thread, or by a reader before it
// reads): monotonic over the hub, in emission order per thread.
class MessageEventHub : public MediationObserver {
public:
    using Callback = std::function<void(const MessageEvent &)>;

    // Records kept per thread unless the project says otherwise: 2,048 records of 384 bytes
    // (768 KiB) fit the L2 cache of today's server cores (1-2 MiB), where 10,000 (3.75 MiB, the
    // default before) cost a cache miss for every line a record wrote (docs/events.md). They
    // hold 2,048 to about 28,000 events: about 14,000 for the seed's proxy flow.
    static constexpr int kDefaultCapacity = 2048;

    explicit MessageEventHub(int capacity = kDefaultCapacity);
    ~MessageEventHub() override;
    MessageEventHub(const MessageEventHub &) = delete;
    MessageEventHub &operator=(const MessageEventHub &) = delete;

    // True when events are recorded into the ring or somebody subscribes.
    bool enabled() const { return m_enabled.load(std::memory_order_relaxed); }
    bool recording() const { return m_recording.load(std::memory_order_relaxed); }
    void setRecording(bool on);
    bool watched() const { return m_subscriberCount.load(std::memory_order_relaxed) > 0; }

    // Records kept per emitting thread.
    int capacity() const { return int(m_capacity.load(std::memory_order_relaxed)); }
    void setCapacity(int capacity); // keeps the newest events that fit
    int capturePayloadBytes() const { return m_capturePayloadBytes.load(); }
    void setCapturePayloadBytes(int bytes) { m_capturePayloadBytes.store(qMax(0, bytes)); }
    QByteArray capturePayload(const QByteArray &payload) const;

    // Assigns id and timestamps, records and notifies; returns the id (0 when disabled). Takes
    // a heap copy of the event: meant for rare kinds (connections opened / closed, faults).
    quint64 emitEvent(MessageEvent event);
    // A planned hop as one record, which stands for its frames in and out and for every event
    // of the plan's steps (expanded when read, exactly as the executor's would be). Returns the
    // new message's id; 0 when the hop cannot be noted so (somebody watches, a log step would
    // print more payload than is captured, the frames are not on one channel): the caller then
    // runs it through a message object.
    quint64 recordPlannedHop(const PlannedHop &hop);
    // A frame in or out, recorded without building a MessageEvent (the hot path). `text` (the
    // backend URL for backend frames) is kept by reference like the other strings.
    // Its id is assigned later, with a batch of its thread's events (see docs/events.md).
    void emitFrame(MessageEventKind kind, EventPeer peer, const QString &connectionId,
                   quint64 messageId, const QString &artifact, EventOpcode opcode,
                   const QByteArray &payload, const QString &text = QString());

    // The callback runs on the thread that emitted the event; keep it short and thread-safe.
    int subscribe(Callback callback, MessageEventFilter filter = {});
    void unsubscribe(int subscription);

    // Faults raised on messages (runtime status), counted whether or not events are on.
    quint64 faultCount() const { return m_faults.load(std::memory_order_relaxed); }

    // Recorded events with an id greater than sinceId, oldest first.
    QList<MessageEvent> snapshot(quint64 sinceId = 0) const;
    quint64 droppedCount() const;
    quint64 lastId() const;
    void clear();

    // MediationObserver
    void mediatorEntered(const MessageContext &message, const Mediator &mediator) override;
    void mediatorFinished(const MessageContext &message, const Mediator &mediator) override;
    void runEnded(const MessageContext &message) override;
    void faultRaised(const MessageContext &message, const QString &reason) override;
    void logged(const MessageContext &message, const QString &category,
                const QString &line) override;
    bool wantsLogLines() const override { return enabled(); }
    MediatorTrail *mediatorTrail() override;
    bool observesMediators() const override { return enabled(); }
    // Unbuilt lines are kept while nobody watches (a subscriber gets the line at once).
    bool defersLogLines() const override { return !watched(); }
    PlanObservation planObservation() const override
    {
        if (!enabled())
            return PlanObservation::None;
        return watched() ? PlanObservation::Immediate : PlanObservation::HopRecords;
    }
    void loggedDeferred(const MessageContext &message, const QString &category,
                        const Mediator &mediator, const LogLineFormat &format) override;

    // Opens / closes a time scope on the calling thread (MessageEventTimeScope); null when
    // events are off.
    EventSegment *openTimeScope();
    static void closeTimeScope(EventSegment *segment);

    // The hub of an environment when it is one and enabled, else null (for the transports).
    static MessageEventHub *active(const MediationEnvironment &environment)
    {
        MessageEventHub *hub = environment.eventHub();
        return hub && hub->enabled() ? hub : nullptr;
    }

private:
    struct Subscriber {
        int id = 0;
        Callback callback;
        MessageEventFilter filter;
    };
    void updateEnabled();
    static MessageEvent messageEvent(const MessageContext &message, MessageEventKind kind);
    EventSegment &segment();
    EventSegment &newSegment();
    // Writes the mediators entered that the calling thread kept back (the trail, see
    // mediatorEntered) into its ring segment.
    [[gnu::noinline]] void flushTrail(EventSegment &own);
    // The same with the segment locked by the caller.
    void flushTrailLocked(EventSegment &own);
    // One trail entry as a step (or record) of its own: a mediator whose values follow.
    // `framePayload`: what a log line the entry stands for shows (payloadOfFrameIn).
    void writeTrailEntry(EventSegment &own, const MessageContext &message,
                         MediatorTrail::Entry entry, const QByteArray &framePayload);
    // A deferred log line's record: the parts its format builds the line from when read (the
    // payload only when the line shows it).
    static void fillLogRecord(EventSegment &own, EventRecord &record, const LogLineFormat *format,
                              quint8 logFlags, const QString &category, const QString &to,
                              const QByteArray *payload);
    // The payload of the frame that brought `message` in (the thread's newest record).
    static QByteArray payloadOfFrameIn(const EventSegment &own, const MessageContext &message);
    // A deferred log line that the trail can stand for: marks the log mediator's entry (its
    // line is built from the message's frame-in record when read) and returns true. Locked
    // segment.
    bool markLogLine(EventSegment &own, const MessageContext &message, const Mediator &mediator,
                     const LogLineFormat &format) const;
    // The trail as a slot of the segment's runs, for a step of `record` (the trail's message):
    // the record stands for its events, and the trail is empty again.
    static quint32 takeTrail(EventSegment &own, EventRecord &record);
    // Hands out the ids of the segment's pending records once a batch is full.
    void assignFullBatch(EventSegment &segment);
    // Starts a record in the calling thread's segment, which the caller has locked;
    // finishRecord() unlocks it.
    EventRecord &beginRecord(EventSegment &segment, quint64 ticks);
    // Ends a lean record: hands out ids once a batch is full, unlocks the segment.
    void finishRecord(EventSegment &segment);
    // Ids for a segment's pending records, in their order, from one counter increment.
    // keepNewest: all but the thread's newest record, which may still take steps.
    void assignPending(EventSegment &segment, bool keepNewest = false) const;
    // Ids for every pending record of every segment, ordered by time (readers, all locked).
    void assignAllPending() const;
    void capture(EventRecord &record, const QByteArray &payload) const;
    // The slow paths, out of line so that the hot ones stay small: whole events for
    // subscribers, properties whose values must be captured.
    [[gnu::noinline]] void emitPropertiesSet(const MessageContext &message,
                                             const Mediator &mediator,
                                             const QList<std::pair<QString, PropertyScope>> &set);
    [[gnu::noinline]] void emitWholeFrame(MessageEventKind kind, EventPeer peer,
                                          const QString &connectionId, quint64 messageId,
                                          const QString &artifact, EventOpcode opcode,
                                          const QByteArray &payload, const QString &text);
    [[gnu::noinline]] void emitWholeMediatorEntered(const MessageContext &message,
                                                    const Mediator &mediator);
    [[gnu::noinline]] void recordPropertiesSet(EventSegment &own, const MessageContext &message,
                                               const Mediator &mediator,
                                               const Mediator::PropertyNames &set);
    // The timestamp of a lean record: the open time scope's, else the clock.
    quint64 recordTicks(const EventSegment &own) const;
    // The timestamp of a mediator's follow-up event (properties set, log line): its "entered"
    // record's when that is the thread's newest record, else the clock.
    quint64 followUpTicks(const EventSegment &own, const MessageContext &message) const;
    EventRecord &beginMediatorRecord(EventSegment &segment, const MessageContext &message,
                                     const Mediator &mediator, MessageEventKind kind);
    // Points the record at the message's environment, which keeps its mediators alive.
    static void setEnvironment(EventSegment &own, EventRecord &record,
                               const MessageContext &message);
    // The thread's newest record when a step of `message` may join it (locked segment).
    [[gnu::always_inline]] static EventRecord *appendable(EventSegment &own, quint64 messageId);
    // Whether a frame or log line with `payload` would capture what `record` (a frame) did.
    bool carriesPayload(const EventRecord &record, const QByteArray &payload) const;
    static bool sameChannel(const EventSegment &own, const EventRecord &record,
                            const QString &connection, const QString &artifact);
    static quint32 internText(EventSegment &own, const QString &text);
    void notify(const MessageEvent &event) const;
    // The events a record stands for (one, or two for an "entered" record that holds its
    // mediator's properties), built as MessageEvent values.
    template <typename Visit>
    void materialise(const EventSegment &segment, const EventRecord &record, double nsPerTick,
                     Visit visit) const;
    // Every segment locked (in list order), for readers that need a consistent view.
    template <typename Visit> void withAllSegments(Visit visit) const;

    std::atomic<bool> m_enabled{true};
    std::atomic<bool> m_recording{true};
    std::atomic<int> m_subscriberCount{0};
    // Recording with nobody watching: the executor appends to the threads' trails itself.
    std::atomic<bool> m_trailOpen{true};
    std::atomic<int> m_capturePayloadBytes{4096};
    std::atomic<quint64> m_faults{0};
    std::atomic<size_t> m_capacity;

    const quint64 m_serial; // tells thread-local segment caches which hub they belong to
    EventClock m_clock;
    // On a cache line of its own: every thread writes it, and the flags above are read by
    // every thread on every event.
    alignas(64) mutable std::atomic<quint64> m_nextId{1};
    alignas(64) mutable std::mutex
        m_segmentsMutex; // the segment list; taken before any segment lock
    std::unique_ptr<EventReaderGate> m_readerGate;         // shuts writers out while a reader reads
    std::vector<std::unique_ptr<EventSegment>> m_segments; // hold a reference to the gate
    std::map<std::thread::id, EventSegment *> m_segmentByThread;
    quint64 m_trimmed = 0; // events dropped by setCapacity

    mutable std::mutex m_subscriberMutex;
    std::shared_ptr<const std::vector<Subscriber>> m_subscribers;
    // Held by a watched event from taking its id to the end of its delivery, so subscribers
    // get ids in order across threads. Taken before a segment lock, never under one.
    std::mutex m_deliveryMutex;
    int m_nextSubscription = 1;
    qint64 m_epochOffsetNs; // wall clock minus steady clock, in ns
};

// Events recorded on this thread while a scope is open share one timestamp, taken when the
// scope opened: a transport opens one where an input (a frame, a request) is taken up, and the
// synchronous mediation that follows (mediators, properties, log lines, the frames it sends)
// takes no clock reading of its own. A clock read costs more under virtualisation than the rest
// of a record (docs/events.md, "Cost"); ids still order the events. Nested scopes keep the
// outer timestamp. A null hub makes the scope a no-op.
class MessageEventTimeScope {
public:
    explicit MessageEventTimeScope(MessageEventHub *hub)
        : m_segment(hub ? hub->openTimeScope() : nullptr)
    {
    }
    ~MessageEventTimeScope()
    {
        if (m_segment)
            MessageEventHub::closeTimeScope(m_segment);
    }
    MessageEventTimeScope(const MessageEventTimeScope &) = delete;
    MessageEventTimeScope &operator=(const MessageEventTimeScope &) = delete;

private:
    EventSegment *m_segment;
};

} // namespace sluice
