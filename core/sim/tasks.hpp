// Lesson tasks (sim/scenario.hpp Task): whether a step's goal holds in a world, in the words the
// lesson panel and `driftq-sim run --tasks` use. A goal's checks have no time: they are asked
// of the world as it is, at the cursor in the UI or at the end of a run.
#pragma once

#include <optional>
#include <vector>

#include "sim/world.hpp"

namespace driftq::sim {

struct TaskStatus {
    std::size_t step = 0;              // index into the scenario's lessons
    std::vector<CheckResult> goal;     // one per goal check, "task at step N: ..."
    bool solved() const;               // every goal check holds
};

// The task of lesson step `step` asked of `world`; nullopt if that step has none.
std::optional<TaskStatus> task_status(const World& world, std::size_t step);
// Every step's task, in step order.
std::vector<TaskStatus> task_statuses(const World& world);

}  // namespace driftq::sim
