// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "event_lock.h"
#include "mediation/mediation_environment.h"
#include "mediation/message_context.h"

#include <QByteArray>
#include <QString>
#include <QVariant>
#include <algorithm>
#include <atomic>
#include <limits>
#include <memory>
#include <thread>
#include <vector>

namespace sluice {

struct MessageEvent;

// A value that consecutive events of one thread mostly share (connection id, artifact name,
// the environment whose mediators they point at), kept once in a ring beside the records. A
// record holds the slot index that was current when it was written; a slot is rewritten only
// when the value changes and at most once per record, so by the time a slot comes round again
// every record that pointed at it has been overwritten: no reference counting per event.
template <typename T> class SideRing {
public:
    // The current slot when same(slot) says it holds the value (an identity test), else a new
    // slot filled with make(). `capacity` must be at least the record ring's.
    template <typename Same, typename Make> quint32 intern(Same same, Make make, size_t capacity)
    {
        if (!m_slots.empty() && same(m_slots[m_current]))
            return m_current;
        ++m_writes;
        if (m_slots.size() < capacity) {
            m_slots.push_back(make());
            m_current = quint32(m_slots.size() - 1);
        } else {
            if (++m_current == m_slots.size())
                m_current = 0;
            m_slots[m_current] = make();
        }
        return m_current;
    }
    const T &at(quint32 index) const { return m_slots[index]; }
    // The value of the current slot (a default one when empty), and how many times a slot was
    // written: while that count stays, the current slot holds the same object.
    const T &current() const
    {
        static const T kEmpty{};
        return m_slots.empty() ? kEmpty : m_slots[m_current];
    }
    quint64 writes() const { return m_writes; }
    void reset()
    {
        m_slots.clear();
        m_lastUse.clear();
        m_current = 0;
        ++m_writes;
    }

    // For values worth releasing early (environments): the last record id that used a slot,
    // and a sweep that empties every other slot no live record can point at any more.
    void touch(quint32 index, quint64 id)
    {
        if (m_lastUse.size() <= index)
            m_lastUse.resize(m_slots.size(), 0);
        m_lastUse[index] = id;
    }
    void releaseOlderThan(quint64 oldestLiveId)
    {
        for (size_t i = 0; i < m_lastUse.size(); ++i) {
            if (i != m_current && m_lastUse[i] < oldestLiveId)
                m_slots[i] = T();
        }
    }

private:
    std::vector<T> m_slots;
    std::vector<quint64> m_lastUse;
    quint32 m_current = 0;
    quint64 m_writes = 0;
};

// One event as recorded on the hot path: fixed size, no heap allocation. Strings and the
// mediator are references into the segment's side rings; MessageEvent values are built from it
// only when somebody reads the ring.
struct EventRecord {
    static constexpr int kInlinePayload = 64; // payload prefixes up to this are copied in place
    static constexpr int kInlineValues = 2;   // properties-set values kept without allocating

    quint64 id = 0;  // 0 until the batch it belongs to gets its ids
    quint64 seq = 0; // position in its segment (1, 2, ...): what side-ring releases go by
    quint64 ticks = 0;
    quint64 messageId = 0;
    qint64 size = 0;
    const Mediator *mediator = nullptr; // alive while its environment's side slot is
    quint32 connection = 0;             // side ring slots
    quint32 artifact = 0;
    quint32 environment = 0;
    static constexpr quint32 kNoSlot = 0xffffffff; // no side-ring value (an empty string)
    quint32 text = kNoSlot; // frames: backend URL (client frames have none); log: the line
    quint32 category = 0;   // log
    quint8 kind = 0;
    quint8 peer = 0;
    quint8 opcode = 0;
    quint8 inlinePayloadSize = 0;
    quint8 valueCount = 0;
    bool hasMediator = false;
    bool hasSharedPayload = false;
    QByteArray sharedPayload;           // payload prefixes longer than the inline space
    quint32 values[kInlineValues] = {}; // properties-set value slots, in propertiesSet() order
    std::unique_ptr<MessageEvent> full; // events emitted as a whole MessageEvent (rare kinds)
    char inlinePayload[kInlinePayload];
};

// The records of one emitting thread. Only that thread writes; readers (snapshot, clear) shut
// writers out through the hub's EventReaderGate, so the writer's lock costs no atomic
// read-modify-write on the hot path.
struct EventSegment {
    EventSegment(size_t segmentCapacity, const EventReaderGate &gate)
        : writer(gate)
        , capacity(segmentCapacity)
    {
    }

    void lock() { writer.lock(); }
    void unlock() { writer.unlock(); }

    // The slot for the next record (the oldest one once full, counted as dropped). The new
    // record is pending: it has no id yet.
    EventRecord &next()
    {
        EventRecord *record = nullptr;
        if (records.size() < capacity) {
            record = &records.emplace_back();
        } else {
            record = &records[head];
            if (++head == capacity) // not a division: this runs once per event
                head = 0;
            ++dropped;
            // The ring is larger than the caches, so the slot written next is cold: ask for
            // its lines now (for writing) and the miss overlaps the work until the next event
            // instead of stalling the first store into it.
#if defined(__GNUC__)
            const char *nextSlot = reinterpret_cast<const char *>(&records[head]);
            for (size_t line = 0; line < sizeof(EventRecord); line += 64)
                __builtin_prefetch(nextSlot + line, 1);
#endif
        }
        record->seq = ++written;
        pending = std::min(pending + 1, records.size());
        return *record;
    }
    // Index of the newest record (the ring must not be empty).
    size_t newestIndex() const
    {
        return records.size() < capacity ? records.size() - 1
                                         : (head == 0 ? capacity - 1 : head - 1);
    }
    quint64 oldestSeq() const
    {
        return records.empty() ? std::numeric_limits<quint64>::max() : records[head].seq;
    }
    // The records still without an id, oldest first.
    template <typename Visit> void forEachPending(Visit visit)
    {
        const size_t size = records.size();
        for (size_t i = size - pending; i < size; ++i)
            visit(records[(head + i) % size]);
    }
    // Records oldest first.
    template <typename Visit> void forEach(Visit visit) const
    {
        for (size_t i = 0; i < records.size(); ++i)
            visit(records[(head + i) % records.size()]);
    }

    // Which properties a mediator sets (Mediator::propertiesSet() returns a copy, two atomic
    // operations per mediator): cached per thread, valid while the environment that owns the
    // mediator stays in the current environment slot, which keeps it alive and its addresses
    // unique. Only the owning thread touches it.
    using PropertyNames = QList<std::pair<QString, PropertyScope>>;
    const PropertyNames &propertiesSet(const MessageContext &message, const Mediator &mediator)
    {
        if (environments.current().get() != &message.environment()) {
            uncachedSet = mediator.propertiesSet();
            return uncachedSet;
        }
        SetCacheEntry &entry = setCache[(quintptr(&mediator) >> 4) % kSetCacheSize];
        if (entry.mediator != &mediator || entry.environmentWrites != environments.writes()) {
            entry.mediator = &mediator;
            entry.environmentWrites = environments.writes();
            entry.set = mediator.propertiesSet();
        }
        return entry.set;
    }

    EventWriterLock writer;
    size_t capacity;
    std::vector<EventRecord> records; // circular once full
    size_t head = 0;                  // the oldest record once full
    quint64 dropped = 0;
    quint64 written = 0; // records ever written
    size_t pending = 0;  // the newest records that have no id yet
    // The newest "mediator entered" record: its seq and message (followUpTicks).
    quint64 enteredSeq = 0;
    quint64 enteredMessageId = 0;
    SideRing<QString> connections;
    SideRing<QString> artifacts;
    // Backend URLs of frames and log lines in rings of their own: a line changes with every
    // message, and sharing a ring would make the URL a new slot (two atomic reference counts
    // on a cold string) on every frame too.
    SideRing<QString> texts;
    SideRing<QString> lines;
    SideRing<QString> categories;
    SideRing<QVariant> values[EventRecord::kInlineValues]; // one ring per property position
    SideRing<std::shared_ptr<const MediationEnvironment>> environments;

private:
    static constexpr size_t kSetCacheSize = 16;
    struct SetCacheEntry {
        const Mediator *mediator = nullptr;
        quint64 environmentWrites = 0;
        PropertyNames set;
    };
    SetCacheEntry setCache[kSetCacheSize];
    PropertyNames uncachedSet;
};

} // namespace sluice
