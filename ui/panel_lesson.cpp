// The lesson: its text for the current step ("step k of n"), Back and Next that seek exactly to
// each step's time, and the lesson's expectations, each passed, failed (with what was found) or
// still to come.
#include <string>

#include "imgui.h"
#include "ui/markdown.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

void step_controls(Ui& ui, const std::vector<sim::Lesson>& lessons, int step) {
    const int n = static_cast<int>(lessons.size());
    // Back goes to the start of this step, or from there to the previous step.
    const TimeMs now = ui.session().now();
    int back_to = -1;
    if (step >= 0 && now > lessons[static_cast<std::size_t>(step)].at) back_to = step;
    else if (step > 0) back_to = step - 1;
    if (back_to < 0) ImGui::BeginDisabled();
    if (ImGui::Button("< Back")) ui.seek(lessons[static_cast<std::size_t>(back_to)].at);
    if (back_to < 0) ImGui::EndDisabled();
    ImGui::SameLine();
    if (step < 0) ImGui::Text("Before step 1 of %d", n);
    else ImGui::Text("Step %d of %d", step + 1, n);
    ImGui::SameLine();
    const bool can_next = step + 1 < n;
    if (!can_next) ImGui::BeginDisabled();
    if (ImGui::Button("Next >")) ui.seek(lessons[static_cast<std::size_t>(step + 1)].at);
    if (!can_next) ImGui::EndDisabled();
    if (can_next && ImGui::IsItemHovered()) ImGui::SetTooltip("Go to %lld ms, where the next step begins", static_cast<long long>(lessons[static_cast<std::size_t>(step + 1)].at));
}

void expectations(Ui& ui) {
    const sim::World& w = ui.session().world();
    const auto& expects = w.scenario().expectations;
    if (expects.empty() && w.checks().empty()) return;
    ImGui::Separator();
    ImGui::TextUnformatted("What should hold");
    int passed = 0, failed = 0;
    for (const sim::CheckResult& c : w.checks()) {
        if (c.what.rfind("invariant", 0) != 0) (c.ok ? passed : failed)++;
    }
    ImGui::TextDisabled("%d passed, %d failed, %d still to check", passed, failed,
                        std::max(0, static_cast<int>(expects.size()) - passed - failed));
    for (const sim::Expectation& x : expects) {
        const sim::CheckResult* found = nullptr;
        for (const sim::CheckResult& c : w.checks()) {
            if (c.what.rfind(x.path + " ", 0) == 0) found = &c;
        }
        if (!found) {
            ImGui::TextColored(colors::dim_text(), "...");
            ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
            ImGui::TextWrapped("%s, %s", sim::describe(x).c_str(), x.at ? ("at " + std::to_string(*x.at) + " ms").c_str() : "at the end");
            ImGui::PopStyleColor();
            continue;
        }
        ImGui::TextColored(found->ok ? colors::ok_text() : colors::error_text(), found->ok ? "pass" : "FAIL");
        ImGui::SameLine();
        // The report without its JSON path: the person reads what was checked, not where.
        std::string what = found->what.substr(std::min(found->what.size(), x.path.size() + 1));
        if (x.at) what += " at " + std::to_string(*x.at) + " ms";
        ImGui::TextWrapped("%s%s", what.c_str(), found->ok ? "" : ("  (found " + found->observed + ")").c_str());
    }
    for (const sim::CheckResult& c : w.checks()) {
        if (c.what.rfind("invariant", 0) != 0) continue;
        ImGui::TextColored(c.ok ? colors::ok_text() : colors::error_text(), c.ok ? "pass" : "FAIL");
        ImGui::SameLine();
        ImGui::TextWrapped("%s: %s", c.what.c_str(), c.observed.c_str());
    }
}

}  // namespace

void draw_lesson(Ui& ui) {
    const sim::Scenario& sc = ui.session().world().scenario();
    ImGui::TextUnformatted(sc.name.c_str());
    if (!sc.description.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
        ImGui::TextWrapped("%s", sc.description.c_str());
        ImGui::PopStyleColor();
    }
    const auto& lessons = sc.lessons;
    const int step = ui.lesson_step();
    if (!lessons.empty()) {
        ImGui::Separator();
        step_controls(ui, lessons, step);
        ImGui::Spacing();
        if (step >= 0) {
            markdown(lessons[static_cast<std::size_t>(step)].text);
        } else {
            ImGui::TextWrapped("The first step begins at %lld ms. Press Next or Play.", static_cast<long long>(lessons[0].at));
        }
    } else {
        ImGui::TextDisabled("This scenario has no lesson text. Play it and watch the panels.");
    }
    expectations(ui);
}

}  // namespace driftq::ui
