// Groups: the simulated consumers (live, paused or gone, with buttons to pause, crash or bring
// them back), then per topic and group its streams and, per partition, the committed offset, the
// next message to dispatch, the end of the log, the lag and what is in flight.
#include <string>

#include "imgui.h"
#include "ui/lane_model.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

sim::Command consumer_command(sim::Command::Kind kind, const std::string& name) {
    sim::Command c;
    c.kind = kind;
    c.consumer = name;
    return c;
}

void consumers(Ui& ui) {
    const auto& list = ui.session().world().consumers();
    if (list.empty()) return;
    const bool broker_up = ui.session().world().broker() != nullptr;
    if (!ImGui::BeginTable("##consumers", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) return;
    ImGui::TableSetupColumn("Consumer");
    ImGui::TableSetupColumn("Group");
    ImGui::TableSetupColumn("State");
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    std::optional<sim::Command> command;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& c = list[i];
        ImGui::PushID(static_cast<int>(i));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.spec.name.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%s", std::string(sim::to_string(c.spec.behaviour)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s / %s", c.spec.topic.c_str(), c.spec.group.c_str());
        ImGui::TableNextColumn();
        const char* state = c.gone ? "gone" : !broker_up ? "waiting for the broker" : c.paused ? "paused" : c.stream ? "live" : "not joined";
        ImGui::TextColored(c.gone || !broker_up ? colors::error_text() : c.paused ? colors::dim_text() : colors::ok_text(), "%s", state);
        if (c.stream && ImGui::IsItemHovered()) ImGui::SetTooltip("stream %llu", static_cast<unsigned long long>(*c.stream));
        ImGui::TableNextColumn();
        using K = sim::Command::Kind;
        if (c.gone) {
            if (ImGui::SmallButton("Restart")) command = consumer_command(K::consumer_restart, c.spec.name);
        } else if (c.stream && broker_up) {
            if (ImGui::SmallButton(c.paused ? "Resume" : "Pause")) command = consumer_command(c.paused ? K::consumer_resume : K::consumer_pause, c.spec.name);
            ImGui::SameLine();
            if (ImGui::SmallButton("Crash")) command = consumer_command(K::consumer_crash, c.spec.name);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Dies holding its deliveries: their leases must run out");
            ImGui::SameLine();
            if (ImGui::SmallButton("Leave")) command = consumer_command(K::unsubscribe, c.spec.name);
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
    ImGui::TextDisabled("%s", streams.empty() ? "no live stream: deliveries wait" : streams.c_str());
    const std::string id = "##g_" + t.name + "_" + name;
    if (!ImGui::BeginTable(id.c_str(), 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame)) return;
    for (const char* h : {"Part.", "Commit", "Next", "End", "Lag", "In flight"}) ImGui::TableSetupColumn(h);
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
        ImGui::TableNextColumn();
        ImGui::Text("index %zu", next_dispatch_index(in));
        ImGui::TableNextColumn();
        ImGui::Text("%zu msgs", end);
        ImGui::TableNextColumn();
        if (lag > 0) ImGui::TextColored(ImColor(colors::cell(CellState::waiting)).Value, "%zu", lag);
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
