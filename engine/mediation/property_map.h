// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "thread_spares.h"

#include <QHash>
#include <QString>
#include <QVariant>
#include <functional>
#include <memory>
#include <vector>

namespace sluice {

// The properties of one scope of one message: a few names with their values, in the order they
// were first set. A message carries five of these and mostly sets two or three properties, so a
// flat vector searched front to back beats a hash: a QHash allocates its span and entries on the
// first insert of every message and frees them when the message ends, and hashing a name costs
// more than comparing a handful (docs/performance.md). The interface is the part of QHash's that
// the engine uses, so call sites read the same.
//
// A map may start from a *base*: entries shared by every message of a connection (the
// transport's own properties, such as the WebSocket channel identifier), built once per
// connection and shared here, not copied into each message. Lookups see them; the first change
// to one of them, or the first walk over the map, copies them in (flatten()).
class PropertyMap {
public:
    struct Entry {
        QString name;
        QVariant value;
    };
    using Base = std::shared_ptr<const std::vector<Entry>>;

    PropertyMap() = default;
    PropertyMap(const PropertyMap &) = default;
    PropertyMap(PropertyMap &&) noexcept = default;
    PropertyMap &operator=(const PropertyMap &) = default;
    PropertyMap &operator=(PropertyMap &&) noexcept = default;
    ~PropertyMap() { recycle(std::move(m_entries)); }

    class const_iterator {
    public:
        explicit const_iterator(std::vector<Entry>::const_iterator at)
            : m_at(at)
        {
        }
        const QString &key() const { return m_at->name; }
        const QVariant &value() const { return m_at->value; }
        const_iterator &operator++()
        {
            ++m_at;
            return *this;
        }
        bool operator==(const const_iterator &other) const = default;

    private:
        std::vector<Entry>::const_iterator m_at;
    };

    // Walks see the base's entries first, in their order, then the map's own.
    const_iterator constBegin() const
    {
        flatten();
        return const_iterator(m_entries.cbegin());
    }
    const_iterator constEnd() const
    {
        flatten();
        return const_iterator(m_entries.cend());
    }
    const_iterator cend() const { return constEnd(); }
    const_iterator constFind(const QString &name) const
    {
        flatten();
        return const_iterator(m_entries.cbegin() + indexOf(m_entries, name));
    }

    const QVariant *find(const QString &name) const
    {
        const size_t index = indexOf(m_entries, name);
        if (index < m_entries.size())
            return &m_entries[index].value;
        if (m_base) [[likely]] {
            const size_t inBase = indexOf(*m_base, name);
            if (inBase < m_base->size())
                return &(*m_base)[inBase].value;
        }
        return nullptr;
    }
    QVariant value(const QString &name) const
    {
        const QVariant *found = find(name);
        return found ? *found : QVariant();
    }
    bool contains(const QString &name) const { return find(name) != nullptr; }
    qsizetype size() const { return qsizetype(m_entries.size() + (m_base ? m_base->size() : 0)); }
    bool isEmpty() const { return m_entries.empty() && (!m_base || m_base->empty()); }
    QStringList keys() const
    {
        flatten();
        QStringList names;
        names.reserve(size());
        for (const Entry &entry : m_entries)
            names.append(entry.name);
        return names;
    }

    // Sets or replaces; returns where the value now is (valid until the next insert or remove).
    QVariant &insert(const QString &name, const QVariant &value)
    {
        flattenFor(name);
        const size_t index = indexOf(m_entries, name);
        if (index < m_entries.size()) {
            m_entries[index].value = value;
            return m_entries[index].value;
        }
        if (m_entries.capacity() == 0)
            m_entries = freshStorage();
        return m_entries.emplace_back(Entry{name, value}).value;
    }
    QVariant &insert(const QString &name, QVariant &&value)
    {
        flattenFor(name);
        const size_t index = indexOf(m_entries, name);
        if (index < m_entries.size()) {
            m_entries[index].value = std::move(value);
            return m_entries[index].value;
        }
        if (m_entries.capacity() == 0)
            m_entries = freshStorage();
        return m_entries.emplace_back(Entry{name, std::move(value)}).value;
    }
    void remove(const QString &name)
    {
        flattenFor(name);
        const size_t index = indexOf(m_entries, name);
        if (index < m_entries.size())
            m_entries.erase(m_entries.begin() + qsizetype(index));
    }

    QVariantHash toHash() const
    {
        flatten();
        QVariantHash hash;
        for (const Entry &entry : m_entries)
            hash.insert(entry.name, entry.value);
        return hash;
    }

    // Whether `value` is one of the map's own values where it is now: a pointer insert()
    // returned stays valid only until the map's storage moves (an insert, a remove, or a walk
    // that copies the base in).
    bool holds(const QVariant *value) const
    {
        return !m_entries.empty() &&
               !std::less<const QVariant *>()(value, &m_entries.front().value) &&
               !std::less<const QVariant *>()(&m_entries.back().value, value);
    }

    // Starts the map from `base` (an empty map only; see the class comment).
    void setBase(Base base)
    {
        Q_ASSERT(isEmpty());
        m_base = std::move(base);
    }

private:
    // One block holds the properties of most messages.
    static constexpr size_t kFirstCapacity = 4;
    // Blocks of ended messages the thread keeps for the next ones: a message that sets
    // properties in two scopes allocated and freed two blocks; taking one from here and giving
    // it back costs a fraction of that (docs/performance.md).
    static constexpr size_t kSpareBlocks = 64;
    // Null once the thread is ending (ThreadSpares): maps that end after that free their
    // blocks as usual.
    static std::vector<std::vector<Entry>> *spares()
    {
        return ThreadSpares<PropertyMap, std::vector<Entry>>::items(kSpareBlocks);
    }
    static std::vector<Entry> freshStorage()
    {
        if (std::vector<std::vector<Entry>> *blocks = spares(); blocks && !blocks->empty()) {
            std::vector<Entry> block = std::move(blocks->back());
            blocks->pop_back();
            return block;
        }
        std::vector<Entry> block;
        block.reserve(kFirstCapacity);
        return block;
    }
    static void recycle(std::vector<Entry> &&entries)
    {
        if (entries.capacity() != kFirstCapacity)
            return; // none, or grown: freed as usual
        std::vector<std::vector<Entry>> *blocks = spares();
        if (!blocks || blocks->size() >= kSpareBlocks)
            return;
        entries.clear();
        blocks->push_back(std::move(entries));
    }

    // The base's entries copied in, before the map's own (which never repeat a base name).
    void flatten() const
    {
        if (!m_base) [[likely]]
            return;
        std::vector<Entry> merged = freshStorage();
        merged.reserve(m_base->size() + m_entries.size());
        merged.insert(merged.end(), m_base->begin(), m_base->end());
        std::move(m_entries.begin(), m_entries.end(), std::back_inserter(merged));
        recycle(std::move(m_entries));
        m_entries = std::move(merged);
        m_base.reset();
    }
    // Before `name` changes: copied in only when the change is to a base entry.
    void flattenFor(const QString &name)
    {
        if (m_base && indexOf(*m_base, name) < m_base->size()) [[unlikely]]
            flatten();
    }

    static size_t indexOf(const std::vector<Entry> &entries, const QString &name)
    {
        const qsizetype length = name.size();
        const QChar *data = name.constData();
        for (size_t i = 0; i < entries.size(); ++i) {
            const QString &candidate = entries[i].name;
            // Mediators keep their own copy of a property name, shared with the one stored here:
            // the same data is the common case and needs no comparison of characters.
            if (candidate.size() == length &&
                (candidate.constData() == data || QStringView(candidate) == QStringView(name)))
                return i;
        }
        return entries.size();
    }

    // Mutable: a walk over a const map copies the base in (flatten).
    mutable std::vector<Entry> m_entries;
    mutable Base m_base;
};

} // namespace sluice
