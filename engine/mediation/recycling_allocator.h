// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "thread_spares.h"

#include <cstddef>
#include <new>
#include <vector>

namespace sluice {

// An allocator for objects made and dropped at a high rate on the same threads (a message and
// its shared_ptr control block, twice per proxied message): blocks of the one size it serves
// are kept per thread, up to kKept, and handed out again. A pop and a push cost a fraction of
// malloc and free (docs/performance.md). A block freed on another thread joins that thread's
// spares; blocks freed once the thread's spares are gone go back to the heap.
template <typename T> class RecyclingAllocator {
public:
    using value_type = T;

    RecyclingAllocator() = default;
    template <typename U>
    RecyclingAllocator(const RecyclingAllocator<U> &) // NOLINT(google-explicit-constructor)
    {
    }

    T *allocate(std::size_t count)
    {
        if (count == 1) {
            if (std::vector<void *> *kept = spares(); kept && !kept->empty()) {
                void *block = kept->back();
                kept->pop_back();
                return static_cast<T *>(block);
            }
        }
        return static_cast<T *>(::operator new(count * sizeof(T)));
    }
    void deallocate(T *block, std::size_t count)
    {
        if (count == 1) {
            if (std::vector<void *> *kept = spares(); kept && kept->size() < kKept) {
                kept->push_back(block);
                return;
            }
        }
        ::operator delete(block);
    }

    template <typename U> bool operator==(const RecyclingAllocator<U> &) const { return true; }

private:
    static constexpr std::size_t kKept = 64;

    // Null once the thread is ending (ThreadSpares).
    static std::vector<void *> *spares() { return ThreadSpares<T, void *>::items(kKept); }
};

} // namespace sluice
