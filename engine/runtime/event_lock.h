// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <thread>

namespace sluice {

// An asymmetric lock between the one thread that writes a ring segment (on every event) and the
// rare readers (snapshot, clear), after the "asymmetric Dekker" of liburcu and folly: the writer
// announces itself with a plain store and checks for a reader with a plain load, no atomic
// read-modify-write; the reader pays for both sides with membarrier(2), which runs a full
// memory barrier on every thread of the process. Where membarrier is missing the writer falls
// back to an ordinary exchange.
class EventReaderGate {
public:
    EventReaderGate();
    // Readers take it one at a time (the hub's segment mutex orders them).
    void beginRead();
    void endRead() { m_reading.store(false, std::memory_order_release); }
    bool reading() const { return m_reading.load(std::memory_order_acquire); }
    bool asymmetric() const { return m_asymmetric; }

private:
    std::atomic<bool> m_reading{false};
    bool m_asymmetric = false;
};

class EventWriterLock {
public:
    explicit EventWriterLock(const EventReaderGate &gate)
        : m_gate(gate)
        , m_asymmetric(gate.asymmetric())
    {
    }

    // Writer side: cheap unless a reader is at work. The common case is inlined: a store, a
    // compiler fence and a load.
    [[gnu::always_inline]] void lock()
    {
        if (m_asymmetric) [[likely]] {
            m_writing.store(true, std::memory_order_relaxed);
            std::atomic_signal_fence(std::memory_order_seq_cst);
            if (!m_gate.reading()) [[likely]]
                return;
            m_writing.store(false, std::memory_order_release);
        }
        lockSlowly();
    }
    void unlock() { m_writing.store(false, std::memory_order_release); }

    // Reader side, after EventReaderGate::beginRead(): waits for a write in progress to end.
    void waitForWriter() const
    {
        while (m_writing.load(std::memory_order_acquire))
            std::this_thread::yield();
    }
    // Without the gate (fallback mode): readers take the lock like a writer.
    bool needsReaderLock() const { return !m_asymmetric; }

private:
    [[gnu::noinline]] void lockSlowly()
    {
        if (!m_asymmetric) {
            while (m_writing.exchange(true, std::memory_order_acquire))
                std::this_thread::yield();
            return;
        }
        for (;;) {
            m_writing.store(true, std::memory_order_relaxed);
            // Only the compiler must keep the store before the load: the reader's membarrier
            // is the processor fence.
            std::atomic_signal_fence(std::memory_order_seq_cst);
            if (!m_gate.reading())
                return;
            m_writing.store(false, std::memory_order_release);
            while (m_gate.reading())
                std::this_thread::yield();
        }
    }

    const EventReaderGate &m_gate;
    const bool m_asymmetric;
    std::atomic<bool> m_writing{false};
};

} // namespace sluice
