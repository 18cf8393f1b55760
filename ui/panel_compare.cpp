// Compare: this run and the "What if..." run at the same moment, one above the other: for each
// partition and group a strip of message cells coloured as in Partitions, with the committed
// offset marked and the group's numbers beside it; above them, the first event where the two
// runs part, with a button that goes there.
#include <algorithm>
#include <cmath>
#include <string>

#include "imgui.h"
#include "ui/lane_model.hpp"
#include "ui/narration.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

// What one run's lanes need that the broker does not keep: its dead letters and skipped
// messages up to its cursor, from its event index.
struct RunView {
    const sim::Session& session;
    const EventIndex& events;
};

template <class Item>
std::vector<std::int64_t> offsets_at(const std::vector<Item>& items, const std::string& topic, const std::string& group,
                                     std::int32_t p, std::uint64_t visible, bool (*shown)(const Item&, std::uint64_t)) {
    std::vector<std::int64_t> out;
    for (const Item& i : items) {
        if (i.topic == topic && i.group == group && i.partition == p && shown(i, visible)) out.push_back(i.offset);
    }
    std::sort(out.begin(), out.end());
    return out;
}

void strip(ImDrawList* dl, const std::vector<LaneBucket>& buckets, const LaneInput& in, ImVec2 at, float width, float h,
           double per_cell) {
    dl->AddRectFilled(at, ImVec2(at.x + width, at.y + h), IM_COL32(30, 32, 40, 255));
    for (const LaneBucket& k : buckets) {
        const float xa = at.x + static_cast<float>(static_cast<double>(k.first) * per_cell);
        const float xb = at.x + static_cast<float>(static_cast<double>(k.last) * per_cell);
        const float gap = xb - xa >= 6 ? 1.0f : 0.0f;
        dl->AddRectFilled(ImVec2(xa + gap, at.y), ImVec2(xb - gap, at.y + h), colors::cell(k.state), gap > 0 ? 2.0f : 0.0f);
        if (colors::has_border(k.state) && xb - xa >= 6) {
            dl->AddRect(ImVec2(xa + gap, at.y), ImVec2(xb - gap, at.y + h), colors::cell_border(k.state), 2.0f, 0, 2.0f);
        }
    }
    const float commit_x = at.x + static_cast<float>(static_cast<double>(committed_index(in)) * per_cell);
    dl->AddLine(ImVec2(commit_x, at.y - 1), ImVec2(commit_x, at.y + h + 1), colors::committed_marker(), 3.0f);
}

// Every partition and group of one run, as strips `width` wide.
void run_lanes(const char* id, const RunView& run, float width) {
    const Broker* b = run.session.world().broker();
    if (!b) {
        ImGui::TextColored(colors::error_text(), "The broker is down in this run.");
        return;
    }
    const std::uint64_t visible = run.session.visible_events();
    const float h = ImGui::GetTextLineHeight();
    const float label_w = std::min(width * 0.35f, ImGui::GetFontSize() * 11.0f);
    const float cells_w = std::max(20.0f, width - label_w - ImGui::GetFontSize() * 14.0f);
    ImGui::PushID(id);
    for (const auto& [tname, t] : b->topics()) {
        for (const auto& [gname, g] : t.groups) {
            for (std::size_t p = 0; p < t.partitions.size() && p < g.partitions.size(); ++p) {
                const auto part = static_cast<std::int32_t>(p);
                const PartitionLog& log = t.partitions[p];
                const GroupPartition& gp = g.partitions[p];
                const std::vector<InFlightView> flights = b->in_flight_view(tname, gname, part);
                const auto dead = offsets_at<EventIndex::Dead>(run.events.dead(), tname, gname, part, visible,
                                                               [](const EventIndex::Dead& d, std::uint64_t v) { return d.pos < v; });
                const auto skipped = offsets_at<EventIndex::Skip>(run.events.skipped(), tname, gname, part, visible,
                                                                  [](const EventIndex::Skip& k, std::uint64_t v) { return k.visible_at(v); });
                const LaneInput in{&log, &gp, flights, dead, skipped, run.session.now()};
                const std::size_t n = std::max<std::size_t>(1, log.messages.size());
                const double per_cell = std::min(24.0, static_cast<double>(cells_w) / static_cast<double>(n));
                const auto per_bucket = static_cast<std::size_t>(std::max(1.0, std::ceil(3.0 / per_cell)));
                const std::vector<LaneBucket> buckets = lane_buckets(in, 0, log.messages.size(), per_bucket);
                const ImVec2 pos = ImGui::GetCursorScreenPos();
                ImGui::TextUnformatted((tname + " p" + std::to_string(p) + "  " + gname).c_str());
                strip(ImGui::GetWindowDrawList(), buckets, in, ImVec2(pos.x + label_w, pos.y), cells_w, h, per_cell);
                ImGui::SameLine(label_w + cells_w + ImGui::GetFontSize());
                const std::string committed = gp.committed ? std::to_string(*gp.committed) : "none";
                ImGui::TextDisabled("commit %s, %zu in flight", committed.c_str(), flights.size());
            }
        }
    }
    ImGui::PopID();
}

void difference(Ui& ui, const Ui::Comparison& c) {
    if (c.first_difference == 0) {
        ImGui::TextColored(colors::ok_text(), "The two runs never differ, to the scenario's end: this option changes nothing here.");
        return;
    }
    ImGui::Text("They first differ at event %llu, at %lld ms:", static_cast<unsigned long long>(c.first_difference),
                static_cast<long long>(c.difference_at));
    ImGui::SameLine();
    if (ImGui::Button("Go there")) ui.seek(c.difference_at);
    ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
    ImGui::TextWrapped("this run: %s", c.ours ? narrate(*c.ours).c_str() : "(no more events)");
    ImGui::TextWrapped("%s%s: %s", c.what_if ? "with " : "", c.label.c_str(), c.theirs ? narrate(*c.theirs).c_str() : "(no more events)");
    ImGui::PopStyleColor();
}

}  // namespace

void draw_compare(Ui& ui) {
    Ui::Comparison* c = ui.comparison();
    if (!c) {
        ImGui::TextWrapped("Nothing to compare. Choose What if... in the menu bar to run this scenario again with one option changed, beside this run.");
        return;
    }
    if (c->what_if) ImGui::Text("This run, and the same scenario with %s, at %lld ms", c->label.c_str(), static_cast<long long>(ui.session().now()));
    else ImGui::Text("This branch, and %s, at %lld ms", c->label.c_str(), static_cast<long long>(ui.session().now()));
    ImGui::SameLine();
    if (ImGui::Button("Stop comparing")) {
        ui.stop_compare();
        return;
    }
    difference(ui, *c);
    const float w = ImGui::GetContentRegionAvail().x;
    ImGui::Separator();
    ImGui::TextUnformatted("This run");
    run_lanes("ours", RunView{ui.session(), ui.events()}, w);
    ImGui::Separator();
    ImGui::Text(c->what_if ? "With %s" : "%s", c->label.c_str());
    run_lanes("theirs", RunView{*c->other, c->events}, w);
}

}  // namespace driftq::ui
