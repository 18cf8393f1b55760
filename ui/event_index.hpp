// What the panels need from the current branch's event log, found once and extended as the log
// grows (as Tracy extends its message list from a watermark) rather than rescanned each frame:
// markers for the scrubber and plots, where messages were dead-lettered, and which messages a
// group's commit passed while the group had never acked them. It starts over
// when the branch changes, since a fork's log differs after the fork.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sim/session.hpp"

namespace driftq::ui {

class EventIndex {
public:
    struct Mark {
        TimeMs at = 0;
        std::uint64_t pos = 0;  // 0-based position in the log
        EventKind kind = EventKind::produced;
    };
    struct Dead {
        std::string topic, group;
        std::int32_t partition = 0;
        std::int64_t offset = 0;
        std::uint64_t pos = 0;
    };

    // A message the group's committed offset passed before the group acked it (the reference's
    // highest-acked rule). It stays skipped from the commit event at `from` until an ack, a late
    // ack, an idempotent skip or a dead-lettering at `until` (0-based log positions).
    struct Skip {
        std::string topic, group;
        std::int32_t partition = 0;
        std::int64_t offset = 0;
        std::uint64_t from = 0;
        std::uint64_t until = UINT64_MAX;
        bool visible_at(std::uint64_t events) const { return from < events && events <= until; }
    };

    // Returns true when it started over (the log is another branch's).
    bool update(const sim::Session& session);
    const std::vector<Mark>& marks() const { return marks_; }
    const std::vector<Dead>& dead() const { return dead_; }
    const std::vector<Skip>& skipped() const { return skipped_; }
    // Bumped at each start-over, so caches built on the log know to start over too.
    std::uint64_t generation() const { return generation_; }

private:
    int branch_ = -1;
    std::size_t branch_count_ = 0;
    std::uint64_t seen_ = 0;
    std::uint64_t generation_ = 0;
    std::vector<Mark> marks_;
    std::vector<Dead> dead_;
    std::vector<Skip> skipped_;
    using Lane = std::tuple<std::string, std::string, std::int32_t>;  // topic, group, partition
    // Delivered to the group and not done with, below no commit yet.
    std::map<Lane, std::set<std::int64_t>> open_;
    // Committed past and not done with: where in skipped_.
    std::map<std::pair<Lane, std::int64_t>, std::size_t> skipping_;
    void track_skips(const Event& e, std::uint64_t pos);
};

}  // namespace driftq::ui
