// Lesson tasks at the cursor: whether the step's goal holds, the run waiting for it, Skip, and
// the clock that brings the hint. The goal is asked of the world on screen (sim/tasks.hpp), so
// stepping back past the person's commands makes it unsolved again, as it is there.
#include <cassert>

#include "ui/ui.hpp"

namespace driftq::ui {

std::optional<sim::TaskStatus> Ui::task_here() const {
    const int step = lesson_step();
    if (step < 0) return std::nullopt;
    return sim::task_status(session_->world(), static_cast<std::size_t>(step));
}

bool Ui::waiting_for_task() const {
    if (!session_ || is_live()) return false;
    const auto task = task_here();
    return task && !task->solved();
}

void Ui::skip_task() {
    const int step = lesson_step();
    assert(step >= 0 && "Skip is offered only on a step with a task");
    // A copy: applying a command forks the session when in the past, replacing nothing it holds,
    // but the scenario is read through the world, which the commands replace.
    const std::optional<sim::Task> task = session_->world().scenario().lessons[static_cast<std::size_t>(step)].task;
    assert(task);
    std::string failed;
    for (const sim::Command& c : task->solution) {
        const sim::CommandResult r = act(c);
        if (!r.ok() && failed.empty()) failed = sim::describe(c) + ": " + r.text();
    }
    if (!failed.empty()) set_status("Skip: the solution's command " + failed, true);
    else set_status("Skip applied one solution (" + std::to_string(task->solution.size()) + " commands, in your timeline). Play goes on.");
}

void Ui::count_task_time(double dt_seconds) {
    const int step = lesson_step();
    if (step != task_step_ || session_serial_ != task_serial_) {
        task_step_ = step;
        task_serial_ = session_serial_;
        task_seconds_ = 0;
    }
    if (waiting_for_task()) task_seconds_ += std::max(0.0, dt_seconds);
}

}  // namespace driftq::ui
