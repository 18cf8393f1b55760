// Redrive (Actions and faults): the dead letters in every dead-letter topic, each with a box to
// choose it, a preview of what a redrive would make of the chosen ones (the partition and offset
// each gets in its original topic, worked out by applying the commands to a copy of the world),
// and one button that applies a redrive Command per chosen letter, so it records and replays.
#include <algorithm>
#include <string>

#include "imgui.h"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

sim::Command redrive_of(const sim::MessageRef& m) {
    sim::Command c;
    c.kind = sim::Command::Kind::redrive;
    c.topic = m.topic;
    c.partition = m.partition;
    c.offset = m.offset;
    return c;
}

// What each chosen letter would become, redriven in order now: "orders p1@1" or the refusal.
std::vector<std::string> preview(const sim::World& w, const std::vector<sim::MessageRef>& chosen) {
    if (chosen.empty()) return {};  // a copy of a million-message world is not free
    std::unique_ptr<sim::World> copy = w.snapshot();
    std::vector<std::string> out;
    for (const sim::MessageRef& m : chosen) {
        const sim::CommandResult r = copy->apply(redrive_of(m));
        out.push_back(r.ok() ? "becomes " + r.detail + ", a new message: attempts start again at 1" : "refused: " + r.text());
    }
    return out;
}

const std::vector<std::string>& cached_preview(Ui& ui) {
    UiState& s = ui.state();
    const auto key = std::make_tuple(ui.session().branch(), ui.session().visible_events(), s.redrive_chosen.size());
    if (key != s.redrive_preview_key) {
        s.redrive_preview = preview(ui.session().world(), s.redrive_chosen);
        s.redrive_preview_key = key;
    }
    return s.redrive_preview;
}

bool is_dead_letter_topic(const std::string& name) { return name.rfind("dlq.", 0) == 0; }

void letter_row(Ui& ui, const std::string& topic, const Message& m, const std::vector<std::string>& previews) {
    UiState& s = ui.state();
    const sim::MessageRef ref{topic, m.partition, m.offset};
    auto it = std::find(s.redrive_chosen.begin(), s.redrive_chosen.end(), ref);
    bool chosen = it != s.redrive_chosen.end();
    const DlqMetadata& d = *m.envelope()->dlq;
    // The letter on the box's line, where it came from under it (wrapped: a side panel is narrow).
    const std::string label = topic + " p" + std::to_string(m.partition) + "@" + std::to_string(m.offset);
    const std::string from = "from " + d.original_topic + " p" + std::to_string(d.original_partition) + "@" + std::to_string(d.original_offset) +
                             " after " + std::to_string(d.attempts) + " attempts";
    const bool clicked = ImGui::Checkbox(label.c_str(), &chosen);
    const bool hovered = ImGui::IsItemHovered();
    ImGui::Indent();
    ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
    ImGui::TextWrapped("%s", from.c_str());
    ImGui::PopStyleColor();
    ImGui::Unindent();
    if (clicked) {
        if (chosen) s.redrive_chosen.push_back(ref);
        else s.redrive_chosen.erase(it);
        return;  // the preview is worked out again next frame
    }
    if (hovered) ImGui::SetTooltip("last_error: %s", d.last_error.c_str());
    if (!chosen) return;
    const auto i = static_cast<std::size_t>(it - s.redrive_chosen.begin());
    if (i < previews.size()) {
        ImGui::Indent();
        ImGui::PushStyleColor(ImGuiCol_Text, previews[i].rfind("refused", 0) == 0 ? colors::error_text() : colors::ok_text());
        ImGui::TextWrapped("%s", previews[i].c_str());
        ImGui::PopStyleColor();
        ImGui::Unindent();
    }
}

}  // namespace

void draw_redrive(Ui& ui) {
    const Broker* b = ui.session().world().broker();
    if (!b) {
        ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
        ImGui::TextWrapped("The broker is down: restart it to see its dead letters.");
        ImGui::PopStyleColor();
        return;
    }
    const std::vector<std::string>& previews = cached_preview(ui);
    std::size_t letters = 0;
    for (const auto& [name, topic] : b->topics()) {
        if (!is_dead_letter_topic(name)) continue;
        for (const PartitionLog& p : topic.partitions) {
            for (const Message& m : p.messages) {
                if (!m.envelope() || !m.envelope()->dlq) continue;
                if (++letters > 64) break;  // a long dead-letter topic: the first 64 are offered
                letter_row(ui, name, m, previews);
            }
        }
    }
    if (letters == 0) {
        ImGui::TextDisabled("No dead letters yet.");
        return;
    }
    UiState& s = ui.state();
    const bool none = s.redrive_chosen.empty();
    if (none) ImGui::BeginDisabled();
    const std::string button = "Redrive " + std::to_string(s.redrive_chosen.size()) + " to their topics";
    if (ImGui::Button(button.c_str())) {
        const std::vector<sim::MessageRef> chosen = std::move(s.redrive_chosen);
        s.redrive_chosen.clear();
        for (const sim::MessageRef& m : chosen) ui.act(redrive_of(m));
    }
    if (none) ImGui::EndDisabled();
    ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
    ImGui::TextWrapped("A redrive produces the letter again to its original topic with its key, value and envelope, "
                       "without its dlq metadata: a new offset, delivered from attempt 1.");
    ImGui::PopStyleColor();
}

}  // namespace driftq::ui
