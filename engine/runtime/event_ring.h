// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "event_lock.h"
#include "mediation/forward_plan.h"
#include "mediation/log_line.h"
#include "mediation/mediation_environment.h"
#include "mediation/mediator_trail.h"
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
// record holds the index of a slot that holds its value. Slots are written in ring order, only
// when the value is neither in the current slot nor in one of the few slots written last (a
// worker serving two connections alternates between them; a thread running three property
// mediators between their values), and at most once per record.
//
// Why a record's slot outlives the record: the ring has twice the record ring's capacity, and
// a recently written slot is reused only while fewer than `capacity` slots were written since
// it. So at least `capacity` more slots, hence records, are written after any record that
// points at a slot before that slot comes round again: the record is gone by then. No
// reference counting per event.
template <typename T> class SideRing {
public:
    // The slot that holds the value (same(slot) is an identity test), else a new slot filled
    // with make(). `capacity` is the record ring's.
    template <typename Same, typename Make>
    [[gnu::always_inline]] quint32 intern(Same same, Make make, size_t capacity)
    {
        if (!m_slots.empty() && same(m_slots[m_last])) [[likely]]
            return m_last;
        return internElsewhere(same, make, capacity);
    }
    // A slot the caller remembers (for a value it meets again, but not as the last one), and
    // when it was written: usable while a recent slot would be. A hint kept outside the segment
    // (a connection's PlannedHopHint) may outlive a reset(): it may then name a slot past the
    // end, or one holding another value.
    struct Hint {
        quint32 slot = 0;
        quint64 write = 0; // 0: none
    };
    template <typename Same, typename Make>
    [[gnu::always_inline]] quint32 intern(Hint &hint, Same same, Make make, size_t capacity)
    {
        if (hint.write != 0 && m_writes - hint.write < capacity && hint.slot < m_slots.size() &&
            same(m_slots[hint.slot])) {
            m_last = hint.slot;
            m_lastWrite = hint.write;
            return hint.slot;
        }
        const quint32 slot = internElsewhere(same, make, capacity);
        hint = Hint{slot, m_lastWrite};
        return slot;
    }
    const T &at(quint32 index) const { return m_slots[index]; }
    void reset()
    {
        m_slots.clear();
        m_lastUse.clear();
        m_current = 0;
        m_last = 0;
        m_lastWrite = 0;
        ++m_writes;
        for (Recent &recent : m_recent)
            recent = Recent{};
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
    template <typename Same, typename Make>
    [[gnu::noinline]] quint32 internElsewhere(Same same, Make make, size_t capacity)
    {
        for (const Recent &recent : m_recent) {
            if (recent.write != 0 && m_writes - recent.write < capacity &&
                same(m_slots[recent.slot])) {
                m_last = recent.slot;
                m_lastWrite = recent.write;
                return m_last;
            }
        }
        ++m_writes;
        if (m_slots.size() < 2 * capacity) {
            m_slots.push_back(make());
            m_current = quint32(m_slots.size() - 1);
        } else {
            if (++m_current == m_slots.size())
                m_current = 0;
            m_slots[m_current] = make();
        }
        m_recent[m_nextRecent] = Recent{m_current, m_writes};
        m_nextRecent = (m_nextRecent + 1) % kRecent;
        m_last = m_current;
        m_lastWrite = m_writes;
        return m_current;
    }

    static constexpr int kRecent = 4;
    struct Recent {
        quint32 slot = 0;
        quint64 write = 0; // m_writes after the slot was written; 0: none
    };
    std::vector<T> m_slots;
    std::vector<quint64> m_lastUse;
    quint32 m_current = 0;   // the slot written last
    quint32 m_last = 0;      // the slot returned last
    quint64 m_lastWrite = 0; // m_writes after that slot was written
    quint64 m_writes = 0;
    Recent m_recent[kRecent];
    int m_nextRecent = 0;
};

using TrailEntry = MediatorTrail::Entry;

// The mediators a message entered in a row, written as one step: the entries in order and the
// events they stand for (a mediator entered, and a properties-set event for each constant one).
struct MediatorRun {
    std::vector<TrailEntry> entries;
    quint8 events = 0;

    bool holds(const TrailEntry *trail, int count) const
    {
        // Mostly one to three entries: a loop, not a memcmp call.
        if (entries.size() != size_t(count))
            return false;
        for (int i = 0; i < count; ++i) {
            if (entries[size_t(i)] != trail[i])
                return false;
        }
        return true;
    }
};

// One event as recorded on the hot path: fixed size, no heap allocation. Strings and the
// mediator are references into the segment's side rings; MessageEvent values are built from it
// only when somebody reads the ring.
//
// Laid out by how often a field is written: every record writes only its first two cache lines
// (the header, then what most kinds add); the inline payload, the steps and the rare fields
// follow, and a record touches their lines only when it uses them. The ring is larger than the
// caches, so each line a record touches is a memory transfer (docs/events.md, "Cost").
struct alignas(64) EventRecord {
    // Payload prefixes up to this are copied in place (all a 384-byte record has room for): a
    // shared one costs two atomic reference counts and, when the slot comes round, a cold free.
    static constexpr int kInlinePayload = 80;
    static constexpr int kInlineValues = 2;        // properties-set values kept without allocating
    static constexpr int kHotLines = 2;            // the lines every record writes
    static constexpr quint32 kNoSlot = 0xffffffff; // no side-ring value (an empty string)
    static constexpr quint8 kLogOutflow = 1;
    static constexpr quint8 kLogBinary = 2;
    static constexpr int kSteps = 5;

    // --- line 1 ---
    quint64 id = 0;  // 0 until the batch it belongs to gets its ids (the first, see eventCount)
    quint64 seq = 0; // position in its segment (1, 2, ...): what side-ring releases go by
    quint64 ticks = 0;
    quint64 messageId = 0;
    quint64 scope = 0;   // the time scope it was written in (EventSegment::scopeSerial); 0: none
    quint32 channel = 0; // side ring slots (a planned hop's: EventSegment::hops)
    quint32 environment = 0;
    quint32 text = kNoSlot; // frames: backend URL; log: the line, or the To address if deferred
    quint8 kind = 0;
    quint8 peer = 0;
    quint8 opcode = 0;
    quint8 inlinePayloadSize = 0;
    quint8 valueCount = 0;
    quint8 logFlags = 0; // deferred log line: kLogOutflow | kLogBinary
    quint8 stepCount = 0;
    // The events this record stands for (and the ids it takes): its own, its properties-set
    // one, and those of its steps; counted as they are added.
    quint8 events = 1;

    // --- line 2 ---
    bool hasMediator = false;
    bool hasSharedPayload = false;
    bool hasFull = false;
    // A "mediator entered" record that also holds the properties-set event of the same
    // mediator call (the next id): one record instead of two for a property mediator.
    bool hasProperties = false;
    bool hasEnvironment = false; // `environment` is set (it keeps the mediators alive)
    bool constantValues = false; // the properties' values are the mediator's constants
    // A planned hop's frame in (recordPlannedHop): `plan` is set, and the record stands for
    // the hop's events (the plan's hopEvents).
    bool hasPlan = false;
    quint32 category = 0; // log
    qint64 size = 0;
    union {
        const Mediator *mediator = nullptr; // alive while its environment's side slot is
        const ForwardPlan *plan;            // the same
    };
    const LogLineFormat *logFormat = nullptr; // a log line built when read (the log mediator)
    quint32 values[kInlineValues] = {}; // properties-set value slots, in propertiesSet() order
    char inlinePayload[kInlinePayload];

    // --- the lines a record touches only when it uses them ---
    // The events after this record's own, within the same time scope and for the same message:
    // one record for a frame and the mediation it starts. A step is a mediator entered (and,
    // when it set properties, its properties-set event), or a frame or log line of the message
    // that carries the same payload as the record (a proxy forwards what it received).
    struct Step {
        const Mediator *mediator = nullptr; // mediators and log lines (the log mediator)
        union {
            quint32 values[kInlineValues] = {}; // mediator steps: properties-set value slots
            // Frames, log lines and kTrailOnly steps: the mediators entered before the step's
            // own event (EventSegment::trail), as a slot of the segment's `runs`, or kNoSlot. A
            // whole trail costs one slot index instead of a step per mediator.
            quint32 trail;
        };
        quint32 text = kNoSlot;     // frames: backend URL / HTTP line; log: the To address
        quint32 sizeOrCategory = 0; // frames: the payload's size; log: the category slot
        quint8 valueCount = 0;
        bool hasProperties = false;
        bool constantValues = false; // the values are the mediator's constants
        quint8 kind = 0;             // MessageEventKind, or kTrailOnly
        quint8 peer = 0;
        quint8 opcode = 0;
        quint8 logFlags = 0;
    };
    // A step that is only a trail (the run ended, or a mediator's values follow).
    static constexpr quint8 kTrailOnly = 0xff;
    Step steps[kSteps];
    QByteArray sharedPayload;           // payload prefixes longer than the inline space
    std::unique_ptr<MessageEvent> full; // events emitted as a whole MessageEvent (rare kinds)

    quint64 eventCount() const { return events; }
};

// Six cache lines: what the ring's memory figures in docs/events.md assume.
static_assert(sizeof(EventRecord) == 384);

// Which of 2^Bits hints a value found by its address uses: Fibonacci hashing, so that
// allocation strides do not make two flows' values (runs, connections) share one.
template <int Bits> inline size_t hintIndex(const void *address)
{
    const quint64 mixed = quint64(quintptr(address) >> 4) * 0x9e3779b97f4a7c15ull;
    return size_t(mixed >> (64 - Bits));
}
// A flow runs a few mediator runs; a worker thread serves many connections (hundreds), each
// with its channel and backend URL: with 64 hints, 50 connections already shared hints and
// wrote a new side-ring slot for every other frame (docs/events.md).
constexpr int kRunHintBits = 6;
constexpr int kConnectionHintBits = 10;

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
            dropped += record->eventCount();
            // The ring is larger than the caches, so the slot written next is cold: ask for
            // its lines now (for writing) and the miss overlaps the work until the next event
            // instead of stalling the first store into it.
#if defined(__GNUC__)
            // A few records ahead: the next one is often written within a µs.
            // (Rings of fewer records than that, the tests' small ones, have no slot there.)
            constexpr size_t kAhead = 4;
            if (capacity > kAhead) [[likely]] {
                const size_t ahead =
                    head + kAhead < capacity ? head + kAhead : head + kAhead - capacity;
                const char *nextSlot = reinterpret_cast<const char *>(&records[ahead]);
                for (int line = 0; line < EventRecord::kHotLines; ++line)
                    __builtin_prefetch(nextSlot + 64 * line, 1);
            }
#endif
        }
        record->seq = ++written;
        pending = std::min(pending + 1, records.size());
        ++pendingEvents;
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
    // The same, newest first, without a division per record (the writer's batch path).
    template <typename Visit> void forEachPendingNewestFirst(Visit visit)
    {
        if (pending == 0)
            return;
        size_t index = newestIndex();
        for (size_t n = 0; n < pending; ++n) {
            visit(records[index]);
            index = index == 0 ? records.size() - 1 : index - 1;
        }
    }
    // Records oldest first.
    template <typename Visit> void forEach(Visit visit) const
    {
        for (size_t i = 0; i < records.size(); ++i)
            visit(records[(head + i) % records.size()]);
    }

    EventWriterLock writer;
    size_t capacity;
    std::vector<EventRecord> records; // circular once full
    size_t head = 0;                  // the oldest record once full
    quint64 dropped = 0;
    quint64 written = 0; // records ever written
    size_t pending = 0;  // the newest records that have no id yet
    // The events those records stand for, counting any overwritten before they got an id
    // (their ids are skipped: ids stay monotonic).
    quint64 pendingEvents = 0;
    // The newest "mediator entered" record: its seq and message (followUpTicks).
    quint64 enteredSeq = 0;
    quint64 enteredMessageId = 0;
    // The open time scopes of this thread and the timestamp of the outermost
    // (MessageEventTimeScope).
    int scopeDepth = 0;
    quint64 scopeTicks = 0;
    quint64 scopeSerial = 0; // counts outermost scopes: which one a record was written in
    // Mediators entered while the ring records and nobody watches, kept back in the order
    // they ran and written with the thread's next ring write (a frame sent, a log line, the
    // end of the executor's run) under one lock: a mediator costs a few stores (made by the
    // executor itself, MediatorTrail) instead of a ring write of its own. Only the owning
    // thread touches it; readers never see it, and it is always written before the run that
    // made it returns, so its message is alive.
    MediatorTrail trail;
    // Connection id and artifact name as one value: a frame's pair is found with one hint.
    struct Channel {
        QString connection;
        QString artifact;
    };
    SideRing<Channel> channels;
    SideRing<Channel>::Hint channelHints[1 << kConnectionHintBits];
    // What a planned hop's record names (recordPlannedHop): its channel, the backend URL of the
    // frame in or out, and the environment that keeps its plan alive, as one value: a
    // connection's hops intern one value instead of four.
    struct Hop {
        QString connection;
        QString artifact;
        QString inText;
        QString outText;
        std::shared_ptr<const MediationEnvironment> environment;
    };
    SideRing<Hop> hops;
    // The environment of the hop slot made last: a new one may be a redeploy's.
    const MediationEnvironment *hopEnvironment = nullptr;
    // Backend URLs of frames and log lines in rings of their own: a line changes with every
    // message, and sharing a ring would make the URL a new slot (two atomic reference counts
    // on a cold string) on every frame too.
    SideRing<QString> texts;
    SideRing<QString>::Hint textHints[1 << kConnectionHintBits]; // by the string's data
    SideRing<QString> lines;
    SideRing<QString> categories;
    SideRing<QVariant> values[EventRecord::kInlineValues]; // one ring per property position
    SideRing<std::shared_ptr<const MediationEnvironment>> environments;
    // Trails written as steps: a flow runs the same few mediator runs over and over, so the
    // run is mostly one of the slots written last and costs a comparison, not a copy.
    SideRing<MediatorRun> runs;
    // The run last written for each first mediator (by its address): the runs of a flow
    // alternate, so the side ring's last slot rarely is the one.
    SideRing<MediatorRun>::Hint runHints[1 << kRunHintBits];
    // Once no record points into the side rings any more: lets go of what they hold.
    void resetSideRings()
    {
        channels.reset();
        hops.reset();
        hopEnvironment = nullptr;
        texts.reset();
        lines.reset();
        categories.reset();
        environments.reset();
        runs.reset();
        for (SideRing<QVariant> &ring : values)
            ring.reset();
        for (auto &hint : runHints)
            hint = {};
        for (auto &hint : channelHints)
            hint = {};
        for (auto &hint : textHints)
            hint = {};
    }
};

} // namespace sluice
