// An ordered map from offset to value for in-flight deliveries, without a heap node per entry.
// Offsets are inserted in ascending order (dispatch walks the log forward), so entries live in
// one vector: insertion is at the back, lookup is a binary search over contiguous memory, and
// erasing leaves a tombstone. Tombstones at the front are skipped by a head index, those at the
// back are popped, and those in the middle are removed by a compaction whose cost is amortised
// over the erases that made it necessary.
//
// References to values stay valid until the next emplace_back or erase on the same map.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

namespace driftq {

template <class V>
class OffsetMap {
    struct Slot {
        std::int64_t key;
        bool live;
        V value;
    };

public:
    // What iteration yields: `for (const auto& [offset, value] : map)`.
    template <class Ref>
    struct Item {
        std::int64_t first;
        Ref second;
    };

    template <class SlotPtr, class Ref>
    class basic_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Item<Ref>;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = Item<Ref>;

        basic_iterator() = default;
        basic_iterator(SlotPtr it, SlotPtr end) : it_(it), end_(end) { skip(); }
        Item<Ref> operator*() const { return Item<Ref>{it_->key, it_->value}; }
        basic_iterator& operator++() {
            ++it_;
            skip();
            return *this;
        }
        bool operator==(const basic_iterator& o) const { return it_ == o.it_; }

    private:
        void skip() {
            while (it_ != end_ && !it_->live) ++it_;
        }
        SlotPtr it_{}, end_{};
    };
    using iterator = basic_iterator<Slot*, V&>;
    using const_iterator = basic_iterator<const Slot*, const V&>;

    bool empty() const { return live_ == 0; }
    std::size_t size() const { return live_; }
    iterator begin() { return iterator(first(), last()); }
    iterator end() { return iterator(last(), last()); }
    const_iterator begin() const { return const_iterator(first(), last()); }
    const_iterator end() const { return const_iterator(last(), last()); }

    // Highest live offset; the map must not be empty.
    std::int64_t max_key() const {
        assert(!empty());
        return slots_.back().key;  // the back slot is always live (see erase)
    }

    V* find(std::int64_t key) {
        Slot* s = locate(key);
        return s ? &s->value : nullptr;
    }
    const V* find(std::int64_t key) const { return const_cast<OffsetMap*>(this)->find(key); }
    std::size_t count(std::int64_t key) const { return find(key) ? 1 : 0; }
    const V& at(std::int64_t key) const {
        const V* v = find(key);
        assert(v);
        return *v;
    }

    // Inserts `key`, which must be above every key present.
    V& emplace_back(std::int64_t key, V value) {
        assert(empty() || key > max_key());
        if (empty()) clear_storage();
        slots_.push_back(Slot{key, true, std::move(value)});
        ++live_;
        return slots_.back().value;
    }

    bool erase(std::int64_t key) {
        Slot* s = locate(key);
        if (!s) return false;
        s->live = false;
        s->value = V{};  // release what the entry holds now, not at compaction
        --live_;
        ++dead_;
        while (head_ < slots_.size() && !slots_[head_].live) {
            ++head_;
            --dead_;
        }
        while (slots_.size() > head_ && !slots_.back().live) {
            slots_.pop_back();
            --dead_;
        }
        if (empty()) {
            clear_storage();
        } else if (dead_ + head_ > live_ + 32) {
            compact();
        }
        return true;
    }

private:
    Slot* first() { return slots_.data() + head_; }
    Slot* last() { return slots_.data() + slots_.size(); }
    const Slot* first() const { return slots_.data() + head_; }
    const Slot* last() const { return slots_.data() + slots_.size(); }

    Slot* locate(std::int64_t key) {
        Slot* it = std::lower_bound(first(), last(), key,
                                    [](const Slot& s, std::int64_t k) { return s.key < k; });
        if (it == last() || it->key != key || !it->live) return nullptr;
        return it;
    }
    void clear_storage() {
        slots_.clear();
        head_ = 0;
        dead_ = 0;
    }
    // Moves live slots down over the tombstones, in place: no allocation.
    void compact() {
        std::size_t out = 0;
        for (std::size_t i = head_; i < slots_.size(); ++i) {
            if (!slots_[i].live) continue;
            if (out != i) slots_[out] = std::move(slots_[i]);
            ++out;
        }
        slots_.resize(out);
        head_ = 0;
        dead_ = 0;
    }

    std::vector<Slot> slots_;
    std::size_t head_ = 0;  // slots before head_ are dead and not counted in dead_
    std::size_t live_ = 0;
    std::size_t dead_ = 0;  // tombstones at or after head_
};

}  // namespace driftq
