// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "mediator.h"

#include <QtGlobal>
#include <algorithm>
#include <atomic>

namespace sluice {

class MessageContext;

// The mediators a run entered, kept back by an observer that writes them later in one go (the
// message event hub, while it records and nobody watches: docs/events.md). The executor
// appends to it itself, a few stores per mediator instead of a virtual call, while `open` says
// the observer wants that; otherwise, and when the trail is full or holds another message's
// mediators, it calls the observer, which writes the trail out first.
struct MediatorTrail {
    // A mediator pointer and, in its low bits (mediators are 8-aligned objects, so they are
    // free): kConstants when the mediator set properties, all to its constant values (the
    // properties-set event is read from the mediator); kLogLine when it is a log mediator whose
    // line is built, when read, from the frame that brought the message in (the observer
    // checked that the frame shows the payload the line would), kLogOutflow for the direction
    // that line names.
    using Entry = quintptr;
    static constexpr int kCapacity = 16;
    static constexpr Entry kConstants = 1;
    static constexpr Entry kLogLine = 2;
    static constexpr Entry kLogOutflow = 4;
    static constexpr Entry kFlags = kConstants | kLogLine | kLogOutflow;

    static Entry entry(const Mediator *mediator) { return quintptr(mediator); }
    static const Mediator *mediator(Entry entry)
    {
        return reinterpret_cast<const Mediator *>(entry & ~kFlags);
    }
    static bool setConstants(Entry entry) { return entry & kConstants; }
    static bool logsLine(Entry entry) { return entry & kLogLine; }
    static bool logsOutflow(Entry entry) { return entry & kLogOutflow; }
    // The events an entry stands for: the mediator entered, and its properties-set event or
    // its log line.
    static quint8 events(Entry entry)
    {
        return quint8(1 + (entry & kConstants ? 1 : 0) + (entry & kLogLine ? 1 : 0));
    }

    bool tryAppend(const MessageContext &of, const Mediator &entered)
    {
        if (!open->load(std::memory_order_relaxed) || count == kCapacity ||
            (count > 0 && message != &of))
            return false;
        message = &of;
        entries[count++] = entry(&entered);
        return true;
    }
    // The entries of several mediators at once, flags included (what tryAppend and
    // tryMarkConstants would leave for them one by one): all or none.
    bool tryAppendAll(const MessageContext &of, const Entry *all, int n)
    {
        if (!open->load(std::memory_order_relaxed) || count + n > kCapacity ||
            (count > 0 && message != &of))
            return false;
        message = &of;
        std::copy(all, all + n, entries + count);
        count += n;
        return true;
    }
    // After a mediator that set properties: true when they are its constants and its entry is
    // the trail's last (nothing else to record).
    bool tryMarkConstants(const MessageContext &of, const Mediator &finished)
    {
        if (!open->load(std::memory_order_relaxed) || count == 0 || message != &of ||
            entries[count - 1] != entry(&finished) || !finished.constantValues())
            return false;
        entries[count - 1] |= kConstants;
        return true;
    }

    static_assert(alignof(Mediator) > kFlags, "the flags live in a mediator pointer's low bits");

    Entry entries[kCapacity];
    int count = 0;
    // The message the entries belong to; alive while count > 0 (the observer writes the trail
    // before the run that made it returns).
    const MessageContext *message = nullptr;
    const std::atomic<bool> *open = nullptr;
};

} // namespace sluice
