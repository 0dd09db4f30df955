// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <vector>

namespace sluice {

// A thread's stock of spare items that a hot path reuses instead of going to the heap: raw
// blocks of one size (RecyclingAllocator), emptied vectors that keep their capacity
// (PropertyMap). `Tag` keeps the stocks of different users apart (blocks of different sizes
// must never meet).
//
// items() is null once the thread is ending: its thread-local objects are being destroyed, and
// whatever is released after that (a message that outlives the stock) goes back to the heap as
// usual. The stock itself is a plain pointer, valid to the thread's very end, so that a late
// release never touches a destroyed vector; a thread-local owner frees it, raw blocks included,
// when the thread ends.
template <typename Tag, typename Item> struct ThreadSpares {
    static std::vector<Item> *items(std::size_t reserve)
    {
        thread_local std::vector<Item> *t_items = nullptr; // trivial: valid to the thread's end
        thread_local bool t_ended = false;
        if (!t_items && !t_ended) [[unlikely]] {
            struct Owner {
                ~Owner()
                {
                    if constexpr (std::is_same_v<Item, void *>) {
                        for (void *block : *t_items)
                            ::operator delete(block);
                    }
                    delete t_items;
                    t_items = nullptr;
                    t_ended = true;
                }
            };
            thread_local Owner owner;
            t_items = new std::vector<Item>;
            t_items->reserve(reserve);
        }
        return t_items;
    }
};

} // namespace sluice
