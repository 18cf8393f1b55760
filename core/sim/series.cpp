#include "sim/series.hpp"

#include <algorithm>
#include <cassert>

namespace driftq::sim {

Series::Series(TimeMs origin, TimeMs interval, std::size_t capacity)
    : origin_(origin), bucket_ms_(std::max<TimeMs>(1, interval)), capacity_(std::max<std::size_t>(2, capacity)) {}

void Series::halve() {
    std::vector<Bucket> merged;
    merged.reserve(capacity_);
    for (std::size_t i = 0; i < buckets_.size(); i += 2) {
        Bucket b = buckets_[i];
        if (i + 1 < buckets_.size()) {
            const Bucket& n = buckets_[i + 1];
            b.min = std::min(b.min, n.min);
            b.max = std::max(b.max, n.max);
            b.last = n.last;
        }
        merged.push_back(b);
    }
    buckets_ = std::move(merged);
    bucket_ms_ *= 2;
}

void Series::add(TimeMs t, std::int64_t value) {
    assert(t >= origin_);
    auto index = static_cast<std::size_t>((t - origin_) / bucket_ms_);
    while (index >= capacity_) {
        halve();
        index = static_cast<std::size_t>((t - origin_) / bucket_ms_);
    }
    assert(buckets_.empty() || index + 1 >= buckets_.size());  // samples come in time order
    // Buckets between the previous sample and this one hold its value unchanged.
    const std::int64_t held = buckets_.empty() ? value : buckets_.back().last;
    while (buckets_.size() < index) buckets_.push_back(Bucket{held, held, held});
    if (buckets_.size() == index) {
        buckets_.push_back(Bucket{value, value, value});
    } else {
        Bucket& b = buckets_.back();
        b.min = std::min(b.min, value);
        b.max = std::max(b.max, value);
        b.last = value;
    }
}

std::vector<Series::Column> Series::columns(TimeMs from, TimeMs to, int count) const {
    std::vector<Column> out(static_cast<std::size_t>(std::max(0, count)));
    if (count <= 0 || to <= from || buckets_.empty()) return out;
    const TimeMs span = to - from;
    // Visit the buckets that overlap [from, to) once each, and fold each into its column.
    const TimeMs first_t = std::max(from, origin_);
    auto first = static_cast<std::size_t>((first_t - origin_) / bucket_ms_);
    for (std::size_t i = first; i < buckets_.size(); ++i) {
        const TimeMs start = origin_ + static_cast<TimeMs>(i) * bucket_ms_;
        if (start >= to) break;
        const TimeMs at = std::max(start, from);
        const auto c = static_cast<std::size_t>((at - from) * count / span);
        Column& col = out[std::min(c, out.size() - 1)];
        const Bucket& b = buckets_[i];
        if (col.empty) {
            col = Column{false, b.min, b.max, b.last};
        } else {
            col.min = std::min(col.min, b.min);
            col.max = std::max(col.max, b.max);
            col.last = b.last;
        }
    }
    return out;
}

void Series::truncate(TimeMs t) {
    if (t <= origin_) {
        buckets_.clear();
        return;
    }
    const auto keep = static_cast<std::size_t>((t - origin_ + bucket_ms_ - 1) / bucket_ms_);
    if (keep < buckets_.size()) buckets_.resize(keep);
}

}  // namespace driftq::sim
