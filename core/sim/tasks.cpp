#include "sim/tasks.hpp"

#include <algorithm>
#include <cassert>

namespace driftq::sim {

bool TaskStatus::solved() const {
    assert(!goal.empty() && "a task has at least one goal check (the reader refuses an empty goal)");
    return std::all_of(goal.begin(), goal.end(), [](const CheckResult& c) { return c.ok; });
}

std::optional<TaskStatus> task_status(const World& world, std::size_t step) {
    const auto& lessons = world.scenario().lessons;
    assert(step < lessons.size());
    if (!lessons[step].task) return std::nullopt;
    TaskStatus out;
    out.step = step;
    for (const Expectation& x : lessons[step].task->goal) {
        CheckResult r = world.evaluate(x);
        // "/lessons/2/task/goal/0 committed ..." reads as "task at step 3: committed ...".
        const auto space = r.what.find(' ');
        r.what = "task at step " + std::to_string(step + 1) + ": " + (space == std::string::npos ? r.what : r.what.substr(space + 1));
        out.goal.push_back(std::move(r));
    }
    return out;
}

std::vector<TaskStatus> task_statuses(const World& world) {
    std::vector<TaskStatus> out;
    for (std::size_t i = 0; i < world.scenario().lessons.size(); ++i) {
        if (auto t = task_status(world, i)) out.push_back(std::move(*t));
    }
    return out;
}

}  // namespace driftq::sim
