#include "ui/event_index.hpp"

#include "ui/narration.hpp"

namespace driftq::ui {

bool EventIndex::update(const sim::Session& session) {
    const auto& log = session.log();
    const std::size_t branch_count = session.branches().size();
    const bool restart = session.branch() != branch_ || branch_count != branch_count_ || log.size() < seen_;
    if (restart) {
        branch_ = session.branch();
        branch_count_ = branch_count;
        seen_ = 0;
        marks_.clear();
        dead_.clear();
        // Unique across indexes, so a cache built on another session's log never matches.
        static std::uint64_t next_generation = 0;
        generation_ = ++next_generation;
    }
    for (; seen_ < log.size(); ++seen_) {
        const Event& e = log[seen_];
        if (is_marker(e.kind)) marks_.push_back({e.at, seen_, e.kind});
        if (e.kind == EventKind::dead_lettered) dead_.push_back({e.topic, e.group, e.partition, e.offset, seen_});
    }
    return restart;
}

}  // namespace driftq::ui
