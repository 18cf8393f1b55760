// A bounded time series for plots: values sampled on a regular grid, kept as at most `capacity`
// buckets of (min, max, last). When a run outgrows the buckets, neighbours merge and each bucket
// covers twice the time, so memory stays fixed however long the run, and spikes survive the
// merge (min and max are kept, not averaged). A query answers min, max and last per pixel column
// for any time range by visiting only the buckets in that range.
#pragma once

#include <cstdint>
#include <vector>

#include "base/time.hpp"

namespace driftq::sim {

class Series {
public:
    struct Bucket {
        std::int64_t min = 0;
        std::int64_t max = 0;
        std::int64_t last = 0;
    };
    struct Column {
        bool empty = true;  // no sample falls in this column
        std::int64_t min = 0;
        std::int64_t max = 0;
        std::int64_t last = 0;
    };

    Series(TimeMs origin, TimeMs interval, std::size_t capacity = 4096);

    // Records the value at time t (t at or after the previous sample). Grid points skipped since
    // the previous sample keep its value: the state did not change in between.
    void add(TimeMs t, std::int64_t value);

    // Min, max and last of the samples in [from, to) split into `columns` equal columns.
    std::vector<Column> columns(TimeMs from, TimeMs to, int columns) const;

    TimeMs origin() const { return origin_; }
    TimeMs bucket_ms() const { return bucket_ms_; }
    std::size_t size() const { return buckets_.size(); }
    const Bucket& bucket(std::size_t i) const { return buckets_[i]; }
    // Everything from time t on is dropped (a fork keeps its parent's past).
    void truncate(TimeMs t);

private:
    void halve();

    TimeMs origin_;
    TimeMs bucket_ms_;
    std::size_t capacity_;
    std::vector<Bucket> buckets_;
};

}  // namespace driftq::sim
