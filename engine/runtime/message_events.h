// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "artifacts/source_location.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
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

// Collects message events from every worker thread into a bounded ring buffer (the oldest are
// dropped and counted) and hands them to subscribers on the emitting thread. Emitters test
// enabled() (one relaxed atomic load) before building an event.
class MessageEventHub : public MediationObserver {
public:
    using Callback = std::function<void(const MessageEvent &)>;

    explicit MessageEventHub(int capacity = 10000);
    ~MessageEventHub() override;
    MessageEventHub(const MessageEventHub &) = delete;
    MessageEventHub &operator=(const MessageEventHub &) = delete;

    // True when events are recorded into the ring or somebody subscribes.
    bool enabled() const { return m_enabled.load(std::memory_order_relaxed); }
    bool recording() const { return m_recording.load(std::memory_order_relaxed); }
    void setRecording(bool on);
    bool watched() const { return m_subscriberCount.load(std::memory_order_relaxed) > 0; }

    int capacity() const;
    void setCapacity(int capacity); // keeps the newest events that fit
    int capturePayloadBytes() const { return m_capturePayloadBytes.load(); }
    void setCapturePayloadBytes(int bytes) { m_capturePayloadBytes.store(qMax(0, bytes)); }
    QByteArray capturePayload(const QByteArray &payload) const;

    // Assigns id and timestamps, records and notifies; returns the id (0 when disabled).
    quint64 emitEvent(MessageEvent event);

    // The callback runs on the thread that emitted the event; keep it short and thread-safe.
    int subscribe(Callback callback, MessageEventFilter filter = {});
    void unsubscribe(int subscription);

    // Recorded events with an id greater than sinceId, oldest first.
    QList<MessageEvent> snapshot(quint64 sinceId = 0) const;
    quint64 droppedCount() const;
    quint64 lastId() const;
    void clear();

    // MediationObserver
    void mediatorEntered(const MessageContext &message, const Mediator &mediator) override;
    void mediatorFinished(const MessageContext &message, const Mediator &mediator) override;
    void faultRaised(const MessageContext &message, const QString &reason) override;
    void logged(const MessageContext &message, const QString &category,
                const QString &line) override;

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

    std::atomic<bool> m_enabled{true};
    std::atomic<bool> m_recording{true};
    std::atomic<int> m_subscriberCount{0};
    std::atomic<int> m_capturePayloadBytes{4096};

    mutable std::mutex m_ringMutex;
    std::vector<MessageEvent> m_ring; // circular once full
    size_t m_capacity;
    size_t m_head = 0; // index of the oldest event when full
    quint64 m_nextId = 1;
    quint64 m_dropped = 0;

    mutable std::mutex m_subscriberMutex;
    std::shared_ptr<const std::vector<Subscriber>> m_subscribers;
    int m_nextSubscription = 1;
    qint64 m_epochOffsetNs; // wall clock minus steady clock, in ns
};

} // namespace sluice
