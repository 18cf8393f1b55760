// What the panels need from the current branch's event log, found once and extended as the log
// grows (as Tracy extends its message list from a watermark) rather than rescanned each frame:
// markers for the scrubber and plots, and where messages were dead-lettered. It starts over
// when the branch changes, since a fork's log differs after the fork.
#pragma once

#include <cstdint>
#include <string>
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

    // Returns true when it started over (the log is another branch's).
    bool update(const sim::Session& session);
    const std::vector<Mark>& marks() const { return marks_; }
    const std::vector<Dead>& dead() const { return dead_; }
    // Bumped at each start-over, so caches built on the log know to start over too.
    std::uint64_t generation() const { return generation_; }

private:
    int branch_ = -1;
    std::size_t branch_count_ = 0;
    std::uint64_t seen_ = 0;
    std::uint64_t generation_ = 0;
    std::vector<Mark> marks_;
    std::vector<Dead> dead_;
};

}  // namespace driftq::ui
