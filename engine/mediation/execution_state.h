// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QtGlobal>
#include <memory>
#include <vector>

namespace sluice {

class Mediator;
struct CompiledSequence;
using MediatorList = std::vector<std::unique_ptr<Mediator>>;

// Where a message is in its mediation: a stack of mediator lists (a sequence, a filter branch,
// a referenced sequence) with the index of the next mediator in each. Keeping it on the message,
// not on the C++ stack, is what lets send/call suspend a flow and resume it later on the event
// loop without blocking it.
struct ExecutionFrame {
    std::shared_ptr<const CompiledSequence> owner; // keeps the list alive across redeploys
    const MediatorList *mediators = nullptr;
    size_t next = 0;
    QString faultSequence; // onError of the sequence this frame belongs to, if any
};

class ExecutionState {
public:
    void push(std::shared_ptr<const CompiledSequence> owner, const MediatorList *mediators,
              const QString &faultSequence = QString())
    {
        // Most flows nest a few lists deep (sequence, filter branch, referenced sequence): one
        // allocation per message instead of one per growth step.
        if (m_frames.capacity() == 0)
            m_frames.reserve(kFirstCapacity);
        m_frames.push_back({std::move(owner), mediators, 0, faultSequence});
    }
    void pushSequence(const std::shared_ptr<const CompiledSequence> &sequence);
    bool isEmpty() const { return m_frames.empty(); }
    ExecutionFrame &top() { return m_frames.back(); }
    void pop() { m_frames.pop_back(); }
    void clear() { m_frames.clear(); }
    size_t depth() const { return m_frames.size(); }
    // The innermost fault handler name on the stack, empty if none.
    QString innermostFaultSequence() const;

    bool inFaultHandler = false;
    bool suspended = false;
    bool finished = false;
    // Counts Executor runs over this message: a sender that resumes synchronously, inside the
    // mediator that suspended, starts a new run; the suspending run must then not mark the
    // message suspended again.
    quint64 runs = 0;

private:
    static constexpr size_t kFirstCapacity = 4;
    std::vector<ExecutionFrame> m_frames;
};

} // namespace sluice
