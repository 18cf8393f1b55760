// Groups: the simulated consumers (live, paused or gone, with buttons to pause, crash or bring
// them back), then per topic and group its streams and, per partition, the committed offset, the
// next message to dispatch, the end of the log, the lag and what is in flight.
#include <string>

#include "imgui.h"
#include "ui/consumer_commands.hpp"
#include "ui/flow.hpp"
#include "ui/lane_model.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

// The buttons of one live consumer: the common faults in view, the rest under "More".
std::optional<sim::Command> consumer_actions(const sim::World::Consumer& c) {
    using K = sim::Command::Kind;
    const std::string& name = c.spec.name;
    std::optional<sim::Command> command;
    auto button = [&](const char* label, K kind, const char* tip) {
        if (ImGui::SmallButton(label)) command = consumer_command(kind, name);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
        ImGui::SameLine();
    };
    if (c.paused || c.hanging) button("Resume", K::consumer_resume, "Take deliveries and answer them again");
    else button("Pause", K::consumer_pause, "Stop taking deliveries (they wait in its stream)");
    button("Crash", K::consumer_crash, "Dies holding its deliveries: their leases must run out");
    if (ImGui::SmallButton("More")) ImGui::OpenPopup("more");
    if (ImGui::BeginPopup("more")) {
        if (!c.hanging && ImGui::MenuItem("Hang")) command = consumer_command(K::consumer_hang, name);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keep taking deliveries but never answer: their leases run out");
        if (ImGui::MenuItem("Lose its next ack")) command = consumer_command(K::lose_ack, name);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Its next ack never reaches the broker: the message is delivered again");
        if (ImGui::MenuItem("Leave the group")) command = consumer_command(K::unsubscribe, name);
        ImGui::EndPopup();
    }
    return command;
}

// Tables here scroll sideways when the panel is narrower than their columns (headers and buttons
// were cut: "Com...", a Crash button half shown), and down past a dozen rows.
constexpr std::size_t kMaxRowsShown = 12;
ImGuiTableFlags kScrollFlags(std::size_t rows) {
    return ImGuiTableFlags_ScrollX | (rows > kMaxRowsShown ? ImGuiTableFlags_ScrollY : 0);
}
float table_height(std::size_t rows) {
    const ImGuiStyle& st = ImGui::GetStyle();
    const std::size_t shown = std::min(rows, kMaxRowsShown) + 1;  // and the header
    return static_cast<float>(shown) * (ImGui::GetFrameHeight() + st.CellPadding.y * 2) + st.ScrollbarSize + 2;
}

void consumers(Ui& ui) {
    const auto& list = ui.session().world().consumers();
    if (list.empty()) return;
    const bool broker_up = ui.session().world().broker() != nullptr;
    // Scrolls sideways in a narrow panel rather than cutting the buttons off.
    if (!ImGui::BeginTable("##consumers", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | kScrollFlags(list.size()),
                           ImVec2(0, table_height(list.size())))) {
        return;
    }
    // Fixed widths: a state that comes and goes must not move the buttons under the mouse.
    const float em = ImGui::GetFontSize();
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("Consumer", ImGuiTableColumnFlags_WidthFixed, em * 8.0f);
    ImGui::TableSetupColumn("State", ImGuiTableColumnFlags_WidthFixed, em * 7.5f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em * 14.0f);
    ImGui::TableHeadersRow();
    std::optional<sim::Command> command;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& c = list[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.spec.name.c_str());
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s / %s, %s%s", c.spec.topic.c_str(), c.spec.group.c_str(), std::string(sim::to_string(c.spec.behaviour)).c_str(),
                              c.stream ? (", stream " + std::to_string(*c.stream)).c_str() : "");
        }
        ImGui::SameLine();
        ImGui::TextDisabled("%s", c.spec.group.c_str());
        ImGui::TableNextColumn();
        const char* state = consumer_state(c, broker_up);
        const bool bad = c.gone || !broker_up || c.hanging;
        ImGui::TextColored(bad ? colors::error_text() : c.paused ? colors::dim_text() : colors::ok_text(), "%s", state);
        if (c.acks_to_lose > 0 && ImGui::IsItemHovered()) ImGui::SetTooltip("Its next ack will be lost");
        ImGui::TableNextColumn();
        if (c.gone) {
            if (ImGui::SmallButton("Restart")) command = consumer_command(sim::Command::Kind::consumer_restart, c.spec.name);
        } else if (c.stream && broker_up) {
            if (auto a = consumer_actions(c)) command = a;
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    if (command) ui.act(*command);
}

void group_table(const Broker& b, const Topic& t, const std::string& name, const Group& g) {
    std::string streams;
    for (StreamId id : g.streams) {
        const auto it = b.streams().find(id);
        if (it == b.streams().end()) continue;
        streams += (streams.empty() ? "" : ", ") + it->second.owner + " (" + std::to_string(it->second.lease_ms) + " ms lease)";
    }
    ImGui::Text("%s / %s", t.name.c_str(), name.c_str());
    ImGui::SameLine();
    dim_wrapped(streams.empty() ? "no live stream: deliveries wait" : streams.c_str());
    const std::string id = "##g_" + t.name + "_" + name;
    const std::size_t rows = std::min(t.partitions.size(), g.partitions.size());
    if (!ImGui::BeginTable(id.c_str(), 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit | kScrollFlags(rows),
                           ImVec2(0, table_height(rows)))) {
        return;
    }
    ImGui::TableSetupScrollFreeze(1, 1);
    for (const char* h : {"Part.", "Commit", "Next", "Last", "Lag", "In flight"}) ImGui::TableSetupColumn(h);
    ImGui::TableHeadersRow();
    for (std::size_t p = 0; p < t.partitions.size() && p < g.partitions.size(); ++p) {
        const GroupPartition& gp = g.partitions[p];
        const LaneInput in{&t.partitions[p], &gp, {}, {}};
        const std::size_t end = t.partitions[p].messages.size();
        const std::size_t lag = end - committed_index(in);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("p%zu", p);
        ImGui::TableNextColumn();
        if (gp.committed) ImGui::Text("%lld", static_cast<long long>(*gp.committed));
        else ImGui::TextDisabled("none");
        // Offsets are topic-wide, so the next message and the end are shown as offsets too.
        const MessageLog& log = t.partitions[p].messages;
        const std::size_t next = next_dispatch_index(in);
        ImGui::TableNextColumn();
        if (next < end) ImGui::Text("%lld", static_cast<long long>(log[next].offset));
        else ImGui::TextDisabled("none");
        ImGui::TableNextColumn();
        if (end > 0) {
            ImGui::Text("%lld", static_cast<long long>(log[end - 1].offset));
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("the last offset in p%zu, which holds %zu messages", p, end);
        } else {
            ImGui::TextDisabled("empty");
        }
        ImGui::TableNextColumn();
        if (lag > 0) ImGui::TextColored(ImColor(colors::cell(CellState::in_flight)).Value, "%zu", lag);
        else ImGui::TextDisabled("0");
        ImGui::TableNextColumn();
        ImGui::Text("%zu", gp.in_flight.size());
    }
    ImGui::EndTable();
}

}  // namespace

void draw_groups(Ui& ui) {
    consumers(ui);
    const Broker* b = ui.session().world().broker();
    if (!b) {
        ImGui::TextDisabled("The broker is down.");
        return;
    }
    bool any = false;
    for (const auto& [tname, t] : b->topics()) {
        for (const auto& [gname, g] : t.groups) {
            ImGui::Spacing();
            group_table(*b, t, gname, g);
            any = true;
        }
    }
    if (!any) ImGui::TextDisabled("No consumer group has subscribed yet.");
}

}  // namespace driftq::ui
