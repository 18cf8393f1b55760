// A vector stored in fixed-size chunks that copies share (copy on write). Copying one copies only
// its chunk pointers; changing an element, or appending to a last chunk, first copies that chunk
// if another copy still uses it. Time travel snapshots of append-mostly state (partition logs,
// per-message bookkeeping, a session's event log) therefore cost the chunks changed since the
// last snapshot, not the whole history. Single-threaded, like the rest of the core.
#pragma once

#include <cassert>
#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

namespace driftq {

template <class T, unsigned ChunkBits = 10>
class CowVector {
public:
    static constexpr std::size_t kChunk = std::size_t{1} << ChunkBits;
    using value_type = T;

    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = const T*;
        using reference = const T&;

        const_iterator() = default;
        const_iterator(const CowVector* v, std::size_t i) : v_(v), i_(i) {}
        reference operator*() const { return (*v_)[i_]; }
        pointer operator->() const { return &(*v_)[i_]; }
        reference operator[](difference_type n) const { return (*v_)[i_ + static_cast<std::size_t>(n)]; }
        const_iterator& operator++() { return ++i_, *this; }
        const_iterator operator++(int) { auto c = *this; ++i_; return c; }
        const_iterator& operator--() { return --i_, *this; }
        const_iterator operator--(int) { auto c = *this; --i_; return c; }
        const_iterator& operator+=(difference_type n) { return i_ += static_cast<std::size_t>(n), *this; }
        const_iterator& operator-=(difference_type n) { return i_ -= static_cast<std::size_t>(n), *this; }
        friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
        friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
        friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
        friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
            return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.i_ == b.i_; }
        friend bool operator!=(const const_iterator& a, const const_iterator& b) { return a.i_ != b.i_; }
        friend bool operator<(const const_iterator& a, const const_iterator& b) { return a.i_ < b.i_; }
        friend bool operator>(const const_iterator& a, const const_iterator& b) { return a.i_ > b.i_; }
        friend bool operator<=(const const_iterator& a, const const_iterator& b) { return a.i_ <= b.i_; }
        friend bool operator>=(const const_iterator& a, const const_iterator& b) { return a.i_ >= b.i_; }

    private:
        const CowVector* v_ = nullptr;
        std::size_t i_ = 0;
    };

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const T& operator[](std::size_t i) const {
        assert(i < size_);
        return data_[i >> ChunkBits][i & (kChunk - 1)];
    }
    const T& at(std::size_t i) const { return (*this)[i]; }
    const T& front() const { return (*this)[0]; }
    const T& back() const { return (*this)[size_ - 1]; }
    const_iterator begin() const { return const_iterator(this, 0); }
    const_iterator end() const { return const_iterator(this, size_); }

    // Mutable access: the element's chunk becomes this vector's own first.
    T& mutate(std::size_t i) {
        assert(i < size_);
        own(i >> ChunkBits);
        return data_[i >> ChunkBits][i & (kChunk - 1)];
    }

    void push_back(T value) {
        if ((size_ & (kChunk - 1)) == 0) {
            chunks_.push_back(std::make_shared<std::vector<T>>());
            chunks_.back()->reserve(kChunk);  // never reallocates: data_ stays valid
            data_.push_back(chunks_.back()->data());
        } else {
            own(chunks_.size() - 1);
        }
        chunks_.back()->push_back(std::move(value));
        ++size_;
    }

    // Grows with default elements or keeps the first n.
    void resize(std::size_t n) {
        if (n < size_) return truncate(n);
        while (size_ < n) push_back(T{});
    }
    void truncate(std::size_t n) {
        if (n >= size_) return;
        chunks_.resize((n + kChunk - 1) >> ChunkBits);
        data_.resize(chunks_.size());
        size_ = n;
        if ((n & (kChunk - 1)) != 0) own(chunks_.size() - 1)->resize(n & (kChunk - 1));
    }
    void clear() {
        chunks_.clear();
        data_.clear();
        size_ = 0;
    }

    // Whether chunk c is the very same storage in both vectors (shared history).
    bool shares_chunk(const CowVector& other, std::size_t c) const {
        return c < chunks_.size() && c < other.chunks_.size() && chunks_[c] == other.chunks_[c];
    }
    static constexpr std::size_t chunk_size() { return kChunk; }

private:
    const std::shared_ptr<std::vector<T>>& own(std::size_t c) {
        if (chunks_[c].use_count() > 1) {
            auto copy = std::make_shared<std::vector<T>>();
            copy->reserve(kChunk);
            copy->assign(chunks_[c]->begin(), chunks_[c]->end());
            chunks_[c] = std::move(copy);
            data_[c] = chunks_[c]->data();
        }
        return chunks_[c];
    }

    std::vector<std::shared_ptr<std::vector<T>>> chunks_;
    // The chunks' element arrays, for reads without going through the shared pointers. Copies of
    // the vector share them too, which is safe: a shared chunk is never written, only replaced.
    std::vector<T*> data_;
    std::size_t size_ = 0;
};

}  // namespace driftq
