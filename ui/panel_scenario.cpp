// Scenario: open a scenario file, edit the current one as text with validation messages (file,
// JSON path, what was expected), apply it as a new session, and save the session (the person's
// commands in its timeline) as a scenario file that replays the same run.
#include <string>

#include "imgui.h"
#include "imgui_stdlib.h"
#include "sim/scenario.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

void open_row(Ui& ui) {
    UiState& s = ui.state();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 5.0f);
    const bool enter = ImGui::InputTextWithHint("##path", "path of a scenario file (or drop one on the window)", &s.open_path,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if ((ImGui::Button("Open") || enter) && !s.open_path.empty()) {
        auto text = ui.host().read_file(s.open_path);
        if (!text) ui.set_status(text.error().message, true);
        else ui.open(text.value(), s.open_path);
    }
}

void save_row(Ui& ui) {
    if (!ui.has_session()) return;
    UiState& s = ui.state();
    ImGui::TextWrapped("Save this session (your commands included) as a scenario:");
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 5.0f);
    ImGui::InputText("##save_name", &s.save_name);
    ImGui::SameLine();
    if (ImGui::Button("Save")) {
        const std::string text = sim::write_scenario(ui.session().scenario());
        auto where = ui.host().save_file(s.save_name, text);
        if (where) ui.set_status("Saved the session to " + where.value() + ": it replays this run, your " +
                                 std::to_string(ui.session().commands().size()) + " command(s) included.");
        else ui.set_status("Could not save: " + where.error().message, true);
    }
    ImGui::TextDisabled("Saved under %s", ui.host().save_location().c_str());
}

}  // namespace

void draw_scenario(Ui& ui) {
    UiState& s = ui.state();
    open_row(ui);
    save_row(ui);
    ImGui::Separator();
    ImGui::TextUnformatted("The scenario as text:");
    ImGui::SameLine();
    if (ImGui::SmallButton("Check")) {
        auto parsed = sim::parse_scenario(ui.editor_text(), ui.scenario_name().empty() ? "editor" : ui.scenario_name());
        s.check_ok = parsed.ok();
        s.check_message = parsed ? "Valid: " + std::to_string(parsed->timeline.size()) + " timeline command(s), " +
                                       std::to_string(parsed->expectations.size()) + " expectation(s)."
                                 : parsed.error().message;
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("Apply")) {
        const std::string name = ui.scenario_name().empty() ? "edited.json" : ui.scenario_name();
        const std::string text = ui.editor_text();  // open() replaces the editor's text
        s.check_ok = ui.open(text, name);
        s.check_message = s.check_ok ? "Applied: a new session started from the edited text." : ui.open_errors();
    }
    if (!ui.open_errors().empty() && s.check_message.empty()) s.check_message = ui.open_errors();
    if (!s.check_message.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, s.check_ok ? colors::ok_text() : colors::error_text());
        ImGui::TextWrapped("%s", s.check_message.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::PushFont(mono_font());
    ImGui::InputTextMultiline("##scenario_text", &ui.editor_text(), ImVec2(-1, -1));
    ImGui::PopFont();
}

}  // namespace driftq::ui
