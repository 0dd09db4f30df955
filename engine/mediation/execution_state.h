// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QtGlobal>
#include <array>
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
        ExecutionFrame frame{std::move(owner), mediators, 0, faultSequence};
        if (m_depth < kInline)
            m_inline[m_depth] = std::move(frame);
        else
            m_overflow.push_back(std::move(frame));
        ++m_depth;
    }
    void pushSequence(const std::shared_ptr<const CompiledSequence> &sequence);
    bool isEmpty() const { return m_depth == 0; }
    ExecutionFrame &top() { return m_depth > kInline ? m_overflow.back() : m_inline[m_depth - 1]; }
    void pop()
    {
        if (m_depth > kInline)
            m_overflow.pop_back();
        else
            m_inline[m_depth - 1] = ExecutionFrame(); // lets go of the sequence now
        --m_depth;
    }
    void clear()
    {
        while (m_depth > 0)
            pop();
    }
    size_t depth() const { return m_depth; }
    // The frame at `index` from the bottom (0) to the top (depth() - 1).
    const ExecutionFrame &frame(size_t index) const
    {
        return index < kInline ? m_inline[index] : m_overflow[index - kInline];
    }
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
    // Most flows nest a few lists deep (sequence, filter branch, referenced sequence): those
    // frames live in the message itself, with no allocation per message (a vector allocated
    // one for every message); deeper ones go on to a vector.
    static constexpr size_t kInline = 4;
    std::array<ExecutionFrame, kInline> m_inline;
    std::vector<ExecutionFrame> m_overflow;
    size_t m_depth = 0;
};

} // namespace sluice
