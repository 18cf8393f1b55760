// The lesson: its text for the current step ("step k of n"), Back and Next that seek exactly to
// each step's time, and the lesson's expectations, each passed, failed (with what was found) or
// still to come.
#include <cstdio>
#include <string>

#include "imgui.h"
#include "ui/flow.hpp"
#include "ui/lesson_checks.hpp"
#include "ui/markdown.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

// Back and Next walk the steps and then the scenario's end, where the checks "at the end"
// resolve: Next from the last step goes there. Both seek exactly, so they never stall.
void step_controls(Ui& ui, const std::vector<sim::Lesson>& lessons, int step) {
    const int n = static_cast<int>(lessons.size());
    const TimeMs now = ui.session().now();
    const TimeMs end = ui.session().world().scenario().until_ms;
    auto at = [&](int i) { return lessons[static_cast<std::size_t>(i)].at; };
    // Back goes to the start of this step, or from there to the previous step.
    int back_to = -1;
    if (step >= 0 && now > at(step)) back_to = step;
    else if (step > 0) back_to = step - 1;
    // The next step that begins after now (steps may share a time), else the end.
    int next = step + 1;
    while (next < n && at(next) <= now) ++next;
    const bool to_end = next >= n && end > now;
    const bool waits = ui.waiting_for_task();  // the run waits for this step's task
    const bool can_next = (next < n || to_end) && !waits;
    // Both buttons first, so that neither moves under the pointer when the text beside them
    // changes width ("Before step 1" becomes "Step 1").
    if (back_to < 0) ImGui::BeginDisabled();
    if (ImGui::Button("< Back")) ui.seek(at(back_to));
    if (back_to < 0) ImGui::EndDisabled();
    ImGui::SameLine();
    if (!can_next) ImGui::BeginDisabled();
    if (ImGui::Button("Next >")) ui.seek(next < n ? at(next) : end);
    if (!can_next) ImGui::EndDisabled();
    if (waits && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Do this step's task first, or press Skip to see a solution");
    if (can_next && ImGui::IsItemHovered()) {
        if (next < n) ImGui::SetTooltip("Go to %lld ms, where the next step begins", static_cast<long long>(at(next)));
        else ImGui::SetTooltip("Go to the scenario's end, %lld ms, where the checks \"at the end\" resolve", static_cast<long long>(end));
    }
    const bool at_end = end > 0 && now >= end && step == n - 1;
    char where[64];
    if (step < 0) std::snprintf(where, sizeof where, "Before step 1 of %d", n);
    else if (at_end) std::snprintf(where, sizeof where, "Step %d of %d, at the end", step + 1, n);
    else std::snprintf(where, sizeof where, "Step %d of %d", step + 1, n);
    same_line_or_wrap(ImGui::CalcTextSize(where).x);  // after the buttons, or below them
    ImGui::TextUnformatted(where);
}

void check_line(const CheckLine& l) {
    using S = CheckLine::Status;
    const char* mark = l.status == S::passed ? "pass" : l.status == S::failed ? "FAIL" : "...";
    const ImVec4 colour = l.status == S::passed ? colors::ok_text() : l.status == S::failed ? colors::error_text() : colors::dim_text();
    ImGui::TextColored(colour, "%s", mark);
    ImGui::SameLine();
    if (l.status == S::waiting) ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
    ImGui::TextWrapped("%s%s", l.text.c_str(), l.found.empty() ? "" : ("  (found " + l.found + ")").c_str());
    if (l.status == S::waiting) ImGui::PopStyleColor();
}

// A step that offers a comparison: run the same scenario with one option changed beside this
// one, and open the lesson about the other side.
void what_if(Ui& ui, const sim::Lesson& l) {
    if (!l.what_if) return;
    const std::string label = "Compare with " + sim::describe(*l.what_if);
    const Ui::Comparison* c = ui.comparison();
    const bool running = c && c->what_if && c->what_if->kind == l.what_if->kind && c->what_if->value == l.what_if->value;
    if (running) ImGui::BeginDisabled();
    if (ImGui::Button(label.c_str())) ui.start_compare(*l.what_if);
    if (running) ImGui::EndDisabled();
    if (l.what_if_lesson.empty()) return;
    const auto& bundled = ui.bundled();
    for (std::size_t i = 0; i < bundled.size(); ++i) {
        if (bundled[i].file != l.what_if_lesson) continue;
        const bool open = ImGui::Button(("Open lesson " + bundled[i].file.substr(0, 2)).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", bundled[i].title.c_str());
        // Opening replaces the session whose scenario holds `l`: draw_lesson reads nothing of it after.
        if (open) ui.open_bundled(i);
        return;
    }
}

// Under the step controls, always in view while the step has a task: whether it is solved, and
// Skip, which applies one solution (the task itself is told below the step's text).
void task_line(Ui& ui) {
    const std::optional<sim::TaskStatus> status = ui.task_here();
    if (!status) return;
    if (status->solved()) {
        ImGui::TextColored(colors::ok_text(), "Task solved: Play or Next goes on.");
        return;
    }
    ImGui::TextColored(colors::task_text(), "Your task is below; the run waits for it.");
    same_line_or_wrap(ImGui::CalcTextSize("Skip: show a solution").x + ImGui::GetStyle().FramePadding.x * 2);
    if (ImGui::Button("Skip: show a solution")) ui.skip_task();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Applies one solution as your own commands (they go into your timeline)");
}

// A step's task: what to do, its goal line by line as it stands at the cursor, then "Solved" or
// Skip, and the hint once the person has been at it a while.
void task_box(Ui& ui, const sim::Task& task) {
    const std::optional<sim::TaskStatus> status = ui.task_here();
    if (!status) return;
    ImGui::Separator();
    const bool solved = status->solved();
    ImGui::TextColored(solved ? colors::ok_text() : colors::task_text(), "%s", solved ? "Task: solved" : "Your task");
    markdown(task.text);
    for (const sim::CheckResult& c : status->goal) {
        CheckLine l;
        l.status = c.ok ? CheckLine::Status::passed : CheckLine::Status::waiting;
        l.text = c.what.substr(c.what.find(": ") + 2);
        if (!c.ok) l.found = c.observed;
        check_line(l);
    }
    if (solved) {
        ImGui::TextColored(colors::ok_text(), "Solved. Press Play or Next to go on.");
        return;
    }
    if (!task.hint.empty()) {
        if (ui.show_hint()) {
            ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
            ImGui::TextWrapped("Hint: %s", task.hint.c_str());
            ImGui::PopStyleColor();
        } else {
            ImGui::TextDisabled("A hint comes after %.0f s.", Ui::kHintAfterSeconds);
        }
    }
}

// One line under the step controls, always in view: how the checks stand, and at the end
// whether they all held. The list itself comes after the lesson's text.
void check_summary(const LessonChecks& checks, TimeMs end) {
    if (checks.lines.empty()) return;
    if (checks.at_end) {
        ImGui::TextColored(checks.failed ? colors::error_text() : colors::ok_text(), "%s",
                           checks.failed ? "The scenario's end: some checks failed." : "The scenario's end: every check passed.");
    }
    ImGui::TextDisabled("%d passed, %d failed, %d still to check", checks.passed, checks.failed, checks.waiting);
    if (!checks.at_end && checks.waiting > 0) {
        ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
        ImGui::TextWrapped("Checks \"at the end\" resolve at %lld ms (Next goes there after the last step).", static_cast<long long>(end));
        ImGui::PopStyleColor();
    }
}

void expectations(const LessonChecks& checks) {
    if (checks.lines.empty()) return;
    ImGui::Separator();
    ImGui::TextUnformatted("What should hold");
    for (const CheckLine& l : checks.lines) check_line(l);
}

}  // namespace

// The title and the step controls come first, on lines that never wrap, so Back and Next stay
// where the pointer left them whatever the text below does (a scrollbar that comes or goes
// rewraps the description, which used to move them between two clicks).
void draw_lesson(Ui& ui) {
    const sim::Scenario& sc = ui.session().world().scenario();
    ImGui::TextUnformatted(sc.name.c_str());
    const auto& lessons = sc.lessons;
    const int step = ui.lesson_step();
    if (!lessons.empty()) step_controls(ui, lessons, step);
    task_line(ui);  // may apply commands: everything below reads the session afresh
    const LessonChecks checks = lesson_checks(ui.session());
    check_summary(checks, sc.until_ms);
    if (!sc.description.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
        ImGui::TextWrapped("%s", sc.description.c_str());
        ImGui::PopStyleColor();
    }
    if (!lessons.empty()) {
        ImGui::Separator();
        if (step >= 0) {
            const bool learn = ui.state().layout == Layout::learn;
            if (learn) ImGui::PushFont(reading_font());
            markdown(lessons[static_cast<std::size_t>(step)].text);
            if (learn) ImGui::PopFont();
            const std::uint64_t serial = ui.session_serial();
            what_if(ui, lessons[static_cast<std::size_t>(step)]);
            // "Open lesson NN" replaced the session, and with it the scenario `lessons` is in.
            if (ui.session_serial() != serial) return;
            if (const auto& task = lessons[static_cast<std::size_t>(step)].task) task_box(ui, *task);
        } else {
            ImGui::TextWrapped("The first step begins at %lld ms. Press Next or Play.", static_cast<long long>(lessons[0].at));
        }
    } else {
        ImGui::TextDisabled("This scenario has no lesson text. Play it and watch the panels.");
    }
    expectations(checks);
}

}  // namespace driftq::ui
