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
        skipped_.clear();
        open_.clear();
        skipping_.clear();
        // Unique across indexes, so a cache built on another session's log never matches.
        static std::uint64_t next_generation = 0;
        generation_ = ++next_generation;
    }
    for (; seen_ < log.size(); ++seen_) {
        const Event& e = log[seen_];
        if (is_marker(e.kind)) marks_.push_back({e.at, seen_, e.kind});
        if (e.kind == EventKind::dead_lettered) dead_.push_back({e.topic, e.group, e.partition, e.offset, seen_});
        track_skips(e, seen_);
    }
    return restart;
}

void EventIndex::track_skips(const Event& e, std::uint64_t pos) {
    switch (e.kind) {
        case EventKind::delivered:
        case EventKind::redelivered: {
            Lane lane{e.topic, e.group, e.partition};
            if (skipping_.empty() || !skipping_.count({lane, e.offset})) open_[std::move(lane)].insert(e.offset);
            break;
        }
        case EventKind::acked:
        case EventKind::late_ack:
        case EventKind::idempotent_skip:
        case EventKind::dead_lettered: {  // done with, one way or another
            Lane lane{e.topic, e.group, e.partition};
            if (auto it = open_.find(lane); it != open_.end()) it->second.erase(e.offset);
            if (skipping_.empty()) break;
            if (auto it = skipping_.find({lane, e.offset}); it != skipping_.end()) {
                skipped_[it->second].until = pos;
                skipping_.erase(it);
            }
            break;
        }
        case EventKind::offset_committed: {
            auto it = open_.find(Lane{e.topic, e.group, e.partition});
            if (it == open_.end()) break;
            std::set<std::int64_t>& open = it->second;
            // Everything delivered and unanswered at or below the new commit is passed over.
            for (auto o = open.begin(); o != open.end() && *o <= e.offset; o = open.erase(o)) {
                skipping_[{it->first, *o}] = skipped_.size();
                skipped_.push_back({e.topic, e.group, e.partition, *o, pos});
            }
            break;
        }
        default: break;
    }
}

}  // namespace driftq::ui
