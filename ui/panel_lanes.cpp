// Partition lanes: each partition a strip of message cells, head (offset 0) on the left, one row
// per consumer group, coloured by the message's state for that group. Markers: committed offset
// (green bar), next dispatch (white tick), end of log (bracket). Dead-letter topics are lanes of
// their own. Cells narrower than a few pixels fold into buckets showing their worst state; only
// rows and cells on screen are computed and drawn.
#include <algorithm>
#include <cmath>
#include <string>

#include "imgui.h"
#include "ui/lane_model.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

constexpr float kMinBucketPx = 3.0f;  // narrower buckets merge (Tracy's MinVisSize)
constexpr float kMinLabelWidth = 150.0f;

struct Row {
    const Topic* topic = nullptr;
    std::int32_t partition = 0;
    const std::string* group = nullptr;  // nullptr: no group (or a dead-letter topic)
    bool first_of_partition = false;
    bool dlq = false;
};

std::string row_group(const Row& r) { return r.group ? *r.group : r.dlq ? "dead letters" : "no group"; }
std::string row_label(const Row& r) { return r.topic->name + " p" + std::to_string(r.partition); }

// Wide enough for the longest "topic pN" and group of any row ("dlq.payments p0  dead letters"
// was cut to "dlq.payme"), but never more than 40% of the panel: past that, labels are clipped.
float label_width(const std::vector<Row>& rows, float avail) {
    float w = kMinLabelWidth;
    for (const Row& r : rows) {
        w = std::max(w, ImGui::CalcTextSize(row_label(r).c_str()).x + ImGui::CalcTextSize(row_group(r).c_str()).x + 24.0f);
    }
    return std::min(w, std::max(kMinLabelWidth, avail * 0.4f));
}

// Source topics first, then each dead-letter topic (its own lanes, labelled in its colour).
std::vector<Row> lane_rows(const Broker& b) {
    std::vector<Row> rows;
    for (const bool dlq_pass : {false, true}) {
        for (const auto& [name, t] : b.topics()) {
            const bool dlq = name.rfind("dlq.", 0) == 0;
            if (dlq != dlq_pass) continue;
            for (std::size_t p = 0; p < t.partitions.size(); ++p) {
                const auto part = static_cast<std::int32_t>(p);
                if (t.groups.empty()) {
                    rows.push_back({&t, part, nullptr, true, dlq});
                    continue;
                }
                bool first = true;
                for (const auto& [g, group] : t.groups) {
                    rows.push_back({&t, part, &g, first, dlq});
                    first = false;
                }
            }
        }
    }
    return rows;
}

std::size_t longest_partition(const Broker& b) {
    std::size_t n = 1;
    for (const auto& [name, t] : b.topics()) {
        for (const PartitionLog& p : t.partitions) n = std::max(n, p.messages.size());
    }
    return n;
}

// The legend wraps onto more lines when the panel is narrow, so no state is cut off; hover one
// for what it means.
void legend() {
    const float sz = ImGui::GetTextLineHeight() * 0.8f;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    bool first = true;
    for (CellState s : kCellStates) {
        const float w = sz + 4 + ImGui::CalcTextSize(to_string(s)).x;
        if (!first) {
            ImGui::SameLine(0, 14);
            if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
        }
        first = false;
        ImGui::BeginGroup();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + sz, p.y + 2 + sz), colors::cell(s), 2.0f);
        if (colors::has_border(s)) dl->AddRect(ImVec2(p.x, p.y + 2), ImVec2(p.x + sz, p.y + 2 + sz), colors::cell_border(s), 2.0f, 0, 2.0f);
        ImGui::Dummy(ImVec2(sz, sz));
        ImGui::SameLine(0, 4);
        ImGui::TextUnformatted(to_string(s));
        ImGui::EndGroup();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", meaning(s));
    }
}

struct View {
    ImVec2 origin;      // top-left of the cell area of the current row
    float width = 0;    // of the cell area
    double first = 0;   // log index at the left edge
    float cell = 1;     // pixels per message
    float x(double index) const { return origin.x + static_cast<float>((index - first) * cell); }
};

struct Hover {
    const Row* row = nullptr;
    std::size_t index = 0;
    LaneBucket bucket;  // a copy: the row's buckets are gone when the tooltip is drawn
    std::size_t per_bucket = 1;
};

void draw_cell_details(ImDrawList* dl, const LaneBucket& k, ImVec2 a, ImVec2 b, TimeMs now, const Message& m) {
    const float w = b.x - a.x;
    if (k.in_flight) {
        // Lease countdown: the bar under the cell shrinks as the lease runs out.
        const InFlightView& v = *k.in_flight;
        const double left = v.lease_ms > 0 ? std::clamp(static_cast<double>(v.lease_deadline - now) / static_cast<double>(v.lease_ms), 0.0, 1.0) : 0.0;
        dl->AddRectFilled(ImVec2(a.x + 1, b.y - 5), ImVec2(a.x + 1 + (w - 2) * static_cast<float>(left), b.y - 1), IM_COL32(255, 255, 255, 220));
    }
    if (k.attempts > 1 && w >= 14) {
        const std::string badge = std::to_string(k.attempts);
        dl->AddText(ImVec2(b.x - ImGui::CalcTextSize(badge.c_str()).x - 2, a.y), IM_COL32(255, 255, 255, 255), badge.c_str());
    } else if (w >= 30) {
        const std::string off = std::to_string(m.offset);
        dl->AddText(mono_font(), ImGui::GetFontSize() * 0.8f, ImVec2(a.x + 3, a.y + 1), IM_COL32(255, 255, 255, 170), off.c_str());
    }
}

// What the lesson step points at on this row (a partition, a message, a commit marker), ringed
// in the task colour and pulsing, as the Flow panel rings it.
void draw_row_pointers(Ui& ui, const Row& r, const View& v, const LaneInput& in, float top, float bottom) {
    const int step = ui.lesson_step();
    if (step < 0) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec4 c = colors::task_text();
    const ImU32 col = ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, 0.55f + 0.45f * std::sin(static_cast<float>(ImGui::GetTime()) * 4.0f)));
    const float left = v.origin.x, right = v.origin.x + v.width;
    auto ring = [&](float xa, float xb) {
        xa = std::max(xa, left);
        xb = std::min(xb, right);
        if (xb > xa) dl->AddRect(ImVec2(xa - 2, top - 2), ImVec2(xb + 2, bottom + 2), col, 3.0f, 0, 2.5f);
    };
    using K = sim::Pointer::Kind;
    for (const sim::Pointer& p : ui.session().world().scenario().lessons[static_cast<std::size_t>(step)].look) {
        if (p.topic != r.topic->name || p.partition != r.partition) continue;
        if (p.kind == K::partition && r.first_of_partition) ring(v.x(0), v.x(static_cast<double>(in.log->messages.size())));
        if (p.kind == K::message && r.first_of_partition) {
            const std::size_t at = first_index_after(in.log->messages, p.offset - 1);
            if (at < in.log->messages.size() && in.log->messages[at].offset == p.offset) ring(v.x(static_cast<double>(at)), std::max(v.x(static_cast<double>(at)) + 3.0f, v.x(static_cast<double>(at + 1))));
        }
        if (p.kind == K::commit && r.group && *r.group == p.group) {
            const float x = v.x(static_cast<double>(committed_index(in)));
            ring(x - 3, x + 3);
        }
    }
}

void draw_row(Ui& ui, const Row& r, const View& v, float row_h, Hover& hover) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const PartitionLog& log = r.topic->partitions[static_cast<std::size_t>(r.partition)];
    const GroupPartition* gp = nullptr;
    if (r.group) {
        const Group& g = r.topic->groups.find(*r.group)->second;
        if (static_cast<std::size_t>(r.partition) < g.partitions.size()) gp = &g.partitions[static_cast<std::size_t>(r.partition)];
    }
    LaneInput in{&log, gp, {}, {}, {}, ui.session().now()};
    if (r.group) {
        in.in_flight = ui.in_flight_of(r.topic->name, *r.group, r.partition);
        in.dead_offsets = ui.dead_offsets(r.topic->name, *r.group, r.partition);
        in.skipped_offsets = ui.skipped_offsets(r.topic->name, *r.group, r.partition);
    }
    const std::size_t per_bucket = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(kMinBucketPx / v.cell)));
    const auto first = static_cast<std::size_t>(std::max(0.0, std::floor(v.first / static_cast<double>(per_bucket)) * static_cast<double>(per_bucket)));
    const std::size_t last = first + static_cast<std::size_t>(v.width / v.cell) + 2 * per_bucket;
    const std::vector<LaneBucket> buckets = lane_buckets(in, first, last, per_bucket);

    const float top = v.origin.y + 1, bottom = v.origin.y + row_h - 1;
    const bool cells = v.cell >= 8.0f;
    const float gap = cells ? 1.0f : 0.0f;
    const ImVec2 mouse = ImGui::GetMousePos();
    const auto& sel = ui.state().selected;
    const bool sel_here = sel && sel->topic == r.topic->name && sel->partition == r.partition;
    const TimeMs now = ui.session().now();
    // Runs of equal buckets are drawn as one rectangle: most of a long lane is acked or waiting.
    for (std::size_t i = 0; i < buckets.size();) {
        std::size_t j = i + 1;
        if (!cells) {
            while (j < buckets.size() && buckets[j].state == buckets[i].state) ++j;
        }
        const float xa = std::max(v.x(static_cast<double>(buckets[i].first)), v.origin.x);
        const float xb = std::min(v.x(static_cast<double>(buckets[j - 1].last)), v.origin.x + v.width);
        if (xb > xa) {
            // A dead-letter topic nobody reads shows its messages as dead letters.
            const CellState s = r.dlq && !r.group ? CellState::dead : buckets[i].state;
            const ImVec2 a(xa + gap, top), b(xb - gap, bottom);
            dl->AddRectFilled(a, b, colors::cell(s), cells ? 2.0f : 0.0f);
            if (cells) {
                if (colors::has_border(s)) dl->AddRect(a, b, colors::cell_border(s), 2.0f, 0, 2.0f);
                draw_cell_details(dl, buckets[i], a, b, now, log.messages[buckets[i].first]);
            } else if (per_bucket > 1) {
                // A folded run says how many messages it stands for, where the number fits.
                const std::string count = std::to_string(buckets[j - 1].last - buckets[i].first);
                const float tw = ImGui::CalcTextSize(count.c_str()).x;
                if (tw + 8 < b.x - a.x) dl->AddText(ImVec2((a.x + b.x - tw) / 2, top + 1), IM_COL32(255, 255, 255, 190), count.c_str());
            }
            if (mouse.x >= xa && mouse.x < xb && mouse.y >= top && mouse.y < bottom) {
                const double idx = v.first + static_cast<double>((mouse.x - v.origin.x) / v.cell);
                const std::size_t at = std::min(static_cast<std::size_t>(std::max(0.0, idx)), log.messages.size() - 1);
                const std::size_t kb = std::min(buckets.size() - 1, (at - first) / per_bucket);
                hover = {&r, at, buckets[kb], per_bucket};
            }
        }
        i = j;
    }
    if (sel_here) {
        const std::size_t at = first_index_after(log.messages, sel->offset - 1);
        if (at < log.messages.size() && log.messages[at].offset == sel->offset) {
            const float xa = v.x(static_cast<double>(at)), xb = std::max(xa + 3.0f, v.x(static_cast<double>(at + 1)));
            if (xb > v.origin.x && xa < v.origin.x + v.width) dl->AddRect(ImVec2(xa - 1, top - 1), ImVec2(xb + 1, bottom + 1), colors::selection(), 2.0f, 0, 2.0f);
        }
    }
    // Markers: end of log, next dispatch, committed offset.
    auto vline = [&](double index, ImU32 col, float thick, float inset) {
        const float x = v.x(index);
        if (x >= v.origin.x - 1 && x <= v.origin.x + v.width + 1) dl->AddLine(ImVec2(x, top - 1 + inset), ImVec2(x, bottom + 1 - inset), col, thick);
    };
    const auto end = static_cast<double>(log.messages.size());
    vline(end, colors::end_marker(), 2.0f, 0.0f);
    if (r.group) {
        vline(static_cast<double>(next_dispatch_index(in)), colors::next_marker(), 1.5f, row_h * 0.3f);
        vline(static_cast<double>(committed_index(in)), colors::committed_marker(), 3.0f, 0.0f);
    }
    draw_row_pointers(ui, r, v, in, top, bottom);
}

void tooltip(Ui& ui, const Hover& h) {
    const PartitionLog& log = h.row->topic->partitions[static_cast<std::size_t>(h.row->partition)];
    const Message& m = log.messages[h.index];
    ImGui::BeginTooltip();
    if (h.per_bucket > 1) {
        ImGui::Text("%zu messages here (log index %zu to %zu); zoom in to see each.", h.bucket.last - h.bucket.first, h.bucket.first, h.bucket.last - 1);
        ImGui::Text("Worst state: %s", to_string(h.bucket.state));
        if (h.bucket.in_flight_count) ImGui::Text("%zu in flight, highest attempt %d", h.bucket.in_flight_count, h.bucket.attempts);
        ImGui::Separator();
    }
    ImGui::Text("%s p%d offset %lld", h.row->topic->name.c_str(), h.row->partition, static_cast<long long>(m.offset));
    ImGui::Text("key \"%s\"  value \"%s\"", m.key().c_str(), m.value().c_str());
    if (h.row->group) {
        ImGui::Text("group %s: %s", h.row->group->c_str(), h.per_bucket > 1 ? to_string(h.bucket.state) : meaning(h.bucket.state));
        for (const InFlightView& f : ui.in_flight_of(h.row->topic->name, *h.row->group, h.row->partition)) {
            if (f.offset != m.offset) continue;
            ImGui::Text("held by %s, attempt %d, lease %s %lld ms", f.owner.c_str(), f.attempts,
                        f.lease_deadline >= ui.session().now() ? "ends in" : "ended",
                        static_cast<long long>(std::llabs(f.lease_deadline - ui.session().now())));
            if (!f.last_error.empty()) ImGui::Text("last error: %s", f.last_error.c_str());
        }
    }
    if (const Envelope* e = m.envelope(); e && e->dlq) {
        ImGui::Text("dead-lettered from %s p%d@%lld after %d attempts: %s", e->dlq->original_topic.c_str(), e->dlq->original_partition,
                    static_cast<long long>(e->dlq->original_offset), e->dlq->attempts, e->dlq->last_error.c_str());
    }
    ImGui::TextDisabled("Click to follow this message.");
    ImGui::EndTooltip();
}

}  // namespace

void draw_lanes(Ui& ui) {
    const Broker* b = ui.session().world().broker();
    if (!b) {
        ImGui::TextColored(colors::error_text(), "The broker is down: it crashed, and its state in memory is gone.");
        ImGui::TextWrapped("Restart it in Actions and faults (or play on, if the scenario restarts it) to see what the WAL brings back. The WAL tab shows what is on disk now.");
        return;
    }
    UiState& s = ui.state();
    if (ImGui::Button("Fit")) s.fit_lanes = true;
    ImGui::SameLine();
    if (ImGui::Button("-")) { s.fit_lanes = false; s.lane_cell_px = std::max(0.0005f, s.lane_cell_px / 1.5f); }
    ImGui::SameLine();
    if (ImGui::Button("+")) { s.fit_lanes = false; s.lane_cell_px = std::min(80.0f, s.lane_cell_px * 1.5f); }
    ImGui::SameLine();
    ImGui::Checkbox("Follow the tail", &s.follow_tail);
    ImGui::SameLine();
    ImGui::TextDisabled("(Ctrl+wheel zooms, drag pans)");
    legend();

    const std::vector<Row> rows = lane_rows(*b);
    const float row_h = ImGui::GetTextLineHeight() + 8.0f;
    const ImGuiWindowFlags flags = ImGui::GetIO().KeyCtrl ? ImGuiWindowFlags_NoScrollWithMouse : 0;
    ImGui::BeginChild("##lanes_canvas", ImVec2(0, 0), false, flags);
    const float label_w = label_width(rows, ImGui::GetContentRegionAvail().x);
    const float area_w = std::max(10.0f, ImGui::GetContentRegionAvail().x - label_w - 10.0f);
    const std::size_t longest = longest_partition(*b);
    if (s.fit_lanes) {
        s.lane_cell_px = std::clamp(area_w / static_cast<float>(longest), 0.0005f, 96.0f);
        s.lane_first = 0;
    }
    if (s.follow_tail) s.lane_first = std::max(0.0, static_cast<double>(longest) - static_cast<double>(area_w / s.lane_cell_px));

    View v;
    v.width = area_w;
    v.first = s.lane_first;
    v.cell = s.lane_cell_px;
    Hover hover;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()), row_h + ImGui::GetStyle().ItemSpacing.y);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const Row& r = rows[static_cast<std::size_t>(i)];
            const ImVec2 p = ImGui::GetCursorScreenPos();
            // Topic and partition on the partition's first row, the group right-aligned; both
            // clipped to the label column.
            const std::string label = r.first_of_partition ? row_label(r) : std::string();
            const std::string group = row_group(r);
            const float gw = std::min(ImGui::CalcTextSize(group.c_str()).x, label_w * 0.45f);
            const ImVec4 left_clip(p.x, p.y, p.x + label_w - gw - 12, p.y + row_h);
            const ImVec4 right_clip(p.x + label_w - gw - 8, p.y, p.x + label_w - 4, p.y + row_h);
            dl->AddText(nullptr, 0.0f, ImVec2(p.x, p.y + 3), r.dlq ? colors::cell(CellState::dead) : IM_COL32(230, 230, 230, 255),
                        label.c_str(), nullptr, 0.0f, &left_clip);
            dl->AddText(nullptr, 0.0f, ImVec2(right_clip.x, p.y + 3), ImGui::GetColorU32(ImGuiCol_TextDisabled), group.c_str(), nullptr, 0.0f, &right_clip);
            v.origin = ImVec2(p.x + label_w, p.y);
            draw_row(ui, r, v, row_h, hover);
            ImGui::Dummy(ImVec2(label_w + area_w, row_h));
        }
    }
    // One hit area for the whole canvas: click selects, drag pans, Ctrl+wheel zooms.
    const ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsWindowHovered()) {
        const float mx = io.MousePos.x - (ImGui::GetWindowPos().x + ImGui::GetStyle().WindowPadding.x + label_w);
        if (io.KeyCtrl && io.MouseWheel != 0) {
            const double at = s.lane_first + static_cast<double>(mx / s.lane_cell_px);
            s.fit_lanes = false;
            s.lane_cell_px = std::clamp(s.lane_cell_px * std::pow(1.25f, io.MouseWheel), 0.0005f, 80.0f);
            s.lane_first = std::max(0.0, at - static_cast<double>(mx / s.lane_cell_px));
        }
        if (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4.0f)) {
            s.fit_lanes = false;
            s.follow_tail = false;
            s.lane_first = std::max(0.0, s.lane_first - static_cast<double>(io.MouseDelta.x / s.lane_cell_px));
        } else if (hover.row && ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
                   io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 16.0f) {
            const Message& m = hover.row->topic->partitions[static_cast<std::size_t>(hover.row->partition)].messages[hover.index];
            ui.select({hover.row->topic->name, hover.row->partition, m.offset});
        }
        if (hover.row) tooltip(ui, hover);
    }
    if (rows.empty()) ImGui::TextDisabled("No topics yet.");
    ImGui::EndChild();
}

}  // namespace driftq::ui
