// In flight: every delivered, unacknowledged message with its owner, attempt, lease (a bar that
// empties as it runs out; red once it has), when a backoff lets it go again, and its last error.
// Each row can be acked or nacked, as its owner or as someone else to see the broker refuse.
#include <algorithm>
#include <string>

#include "imgui.h"
#include "ui/flow.hpp"
#include "imgui_stdlib.h"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

void act_as_picker(Ui& ui) {
    UiState& s = ui.state();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
    const char* shown = s.act_as.empty() ? "its owner" : s.act_as.c_str();
    if (ImGui::BeginCombo("Answer as", shown)) {
        if (ImGui::Selectable("its owner", s.act_as.empty())) s.act_as.clear();
        for (const auto& c : ui.session().world().consumers()) {
            const std::string& name = c.spec.owner.empty() ? c.spec.name : c.spec.owner;
            if (ImGui::Selectable(name.c_str(), s.act_as == name)) s.act_as = name;
        }
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Answer as someone other than the owner to see the broker refuse it");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
    ImGui::InputText("Nack reason", &s.nack_reason);
}

void lease_bar(const InFlightView& v, TimeMs now) {
    const float w = ImGui::GetFontSize() * 5.0f, h = ImGui::GetTextLineHeight();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const TimeMs left = v.lease_deadline - now;
    const float f = v.lease_ms > 0 ? std::clamp(static_cast<float>(left) / static_cast<float>(v.lease_ms), 0.0f, 1.0f) : 0.0f;
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), IM_COL32(255, 255, 255, 25), 2.0f);
    dl->AddRectFilled(p, ImVec2(p.x + w * f, p.y + h), colors::cell(left > 0 ? CellState::in_flight : CellState::expired), 2.0f);
    char text[48];
    std::snprintf(text, sizeof text, left >= 0 ? "%lld ms" : "over %lld", static_cast<long long>(left >= 0 ? left : -left));
    dl->AddText(ImVec2(p.x + 4, p.y), left > 0 ? IM_COL32(255, 255, 255, 255) : IM_COL32(255, 120, 110, 255), text);
    ImGui::Dummy(ImVec2(w, h));
}

}  // namespace

void draw_in_flight(Ui& ui) {
    if (!ui.session().world().broker()) {
        dim_wrapped("The broker is down: nothing is in flight until it restarts.");
        return;
    }
    act_as_picker(ui);
    const std::size_t count = ui.in_flight_count();
    ImGui::Text("%zu in flight", count);
    if (count == 0) {
        ImGui::TextDisabled("Nothing delivered is waiting for an answer.");
        return;
    }
    // Answers next to the message, so they stay in view; the rest scrolls sideways if narrow.
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("##in_flight", 7, flags)) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("Message");
    ImGui::TableSetupColumn("Answer");
    ImGui::TableSetupColumn("Owner (group)");
    ImGui::TableSetupColumn("Try");
    ImGui::TableSetupColumn("Lease");
    ImGui::TableSetupColumn("Next");
    ImGui::TableSetupColumn("Last error");
    ImGui::TableHeadersRow();
    const TimeMs now = ui.session().now();
    const UiState& s = ui.state();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(count));
    std::optional<sim::Command> command;
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const InFlightView& v = ui.in_flight_row(static_cast<std::size_t>(i));
            ImGui::PushID(i);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const std::string label = v.topic + " p" + std::to_string(v.partition) + "@" + std::to_string(v.offset);
            const bool selected = s.selected && s.selected->topic == v.topic && s.selected->offset == v.offset;
            if (ImGui::Selectable(label.c_str(), selected)) ui.select({v.topic, v.partition, v.offset});
            ImGui::TableNextColumn();
            const std::string as = s.act_as.empty() ? v.owner : s.act_as;
            sim::Command c;
            c.topic = v.topic;
            c.group = v.group;
            c.partition = v.partition;
            c.offset = v.offset;
            c.owner = as;
            if (ImGui::SmallButton("Ack")) {
                c.kind = sim::Command::Kind::ack_if_owner;
                command = c;
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("ack %s as %s", label.c_str(), as.c_str());
            ImGui::SameLine();
            if (ImGui::SmallButton("Nack")) {
                c.kind = sim::Command::Kind::nack;
                c.text = s.nack_reason;
                command = c;
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("nack %s as %s: \"%s\"", label.c_str(), as.c_str(), s.nack_reason.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s (%s)", v.owner.c_str(), v.group.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%d", v.attempts);
            ImGui::TableNextColumn();
            lease_bar(v, now);
            ImGui::TableNextColumn();
            if (v.next_eligible_at && *v.next_eligible_at > now) ImGui::Text("backoff to %lld", static_cast<long long>(*v.next_eligible_at));
            else if (v.redelivery_at) ImGui::Text("redeliver %lld", static_cast<long long>(*v.redelivery_at));
            else ImGui::TextDisabled("-");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(v.last_error.c_str());
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
    if (command) ui.act(*command);  // after drawing: acting rebuilds the rows
}

}  // namespace driftq::ui
