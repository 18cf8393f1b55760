// An append-only sequence stored in fixed-size chunks that copies share. Copying a log copies
// only the chunk pointers; appending to a copy first copies its last chunk if another log still
// uses it (copy on write). Session branches share their common history this way, so a fork costs
// one chunk, not the whole trace. Single-threaded, like the rest of the core.
#pragma once

#include <cassert>
#include <cstddef>
#include <memory>
#include <vector>

namespace driftq::sim {

template <class T, std::size_t ChunkSize = 4096>
class ChunkedLog {
public:
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    const T& operator[](std::size_t i) const {
        assert(i < size_);
        return (*chunks_[i / ChunkSize])[i % ChunkSize];
    }
    const T& back() const { return (*this)[size_ - 1]; }

    void push_back(T value) {
        if (size_ % ChunkSize == 0) {
            chunks_.push_back(std::make_shared<std::vector<T>>());
            chunks_.back()->reserve(ChunkSize);
        } else {
            own_last_chunk();
        }
        chunks_.back()->push_back(std::move(value));
        ++size_;
    }

    // Keeps the first n items.
    void truncate(std::size_t n) {
        if (n >= size_) return;
        chunks_.resize((n + ChunkSize - 1) / ChunkSize);
        size_ = n;
        if (n % ChunkSize != 0) {
            own_last_chunk();
            chunks_.back()->resize(n % ChunkSize);
        }
    }

    // Whether chunk c is the very same storage in both logs (shared history).
    bool shares_chunk(const ChunkedLog& other, std::size_t c) const {
        return c < chunks_.size() && c < other.chunks_.size() && chunks_[c] == other.chunks_[c];
    }
    static constexpr std::size_t chunk_size() { return ChunkSize; }

private:
    void own_last_chunk() {
        if (chunks_.back().use_count() > 1) {
            auto copy = std::make_shared<std::vector<T>>(*chunks_.back());
            copy->reserve(ChunkSize);
            chunks_.back() = std::move(copy);
        }
    }

    std::vector<std::shared_ptr<std::vector<T>>> chunks_;
    std::size_t size_ = 0;
};

}  // namespace driftq::sim
