// Event log: every event of this branch up to the cursor, in plain words, filtered by kind,
// topic, group, message key or any text. The filtered list is a vector of log positions extended
// incrementally (a bounded amount of work per frame), and rows are addressed with 64-bit indices
// and an own scrollbar: ImGui's float layout loses whole rows past about a million lines.
#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "imgui.h"
#include "ui/flow.hpp"
#include "imgui_internal.h"
#include "imgui_stdlib.h"
#include "ui/narration.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

// Events examined per frame: matching words means narrating each event, which costs far more.
constexpr std::uint64_t kFilterBudget = 250'000;
constexpr std::uint64_t kWordFilterBudget = 20'000;

struct Filter {
    std::string text, topic, group, key;
    int kind = -1;
    bool operator==(const Filter&) const = default;
    bool empty() const { return text.empty() && topic.empty() && group.empty() && key.empty() && kind < 0; }
};

struct Rows {
    const Ui* owner = nullptr;
    std::uint64_t generation = 0;
    Filter filter;
    std::uint64_t scanned = 0;        // log positions examined
    std::vector<std::uint64_t> rows;  // matching positions (0-based), ascending
    std::int64_t top = 0;             // first row shown
    // For the key filter: each message's key, from its produced event, which comes before every
    // other event about it on the branch's log (so the broker's state at the cursor is not asked).
    std::map<std::tuple<std::string, std::int32_t, std::int64_t>, std::string> keys;
};

bool matches(const Filter& f, const Event& e, Rows& r) {
    if (!f.key.empty() && e.kind == EventKind::produced) r.keys[{e.topic, e.partition, e.offset}] = e.text;
    if (f.kind >= 0 && static_cast<int>(e.kind) != f.kind) return false;
    if (!f.topic.empty() && e.topic.find(f.topic) == std::string::npos) return false;
    if (!f.group.empty() && e.group.find(f.group) == std::string::npos) return false;
    if (!f.key.empty()) {
        const auto it = r.keys.find({e.topic, e.partition, e.offset});
        if (it == r.keys.end() || it->second != f.key) return false;
    }
    return f.text.empty() || narrate(e).find(f.text) != std::string::npos;
}

void update_rows(Rows& r, Ui& ui, const Filter& f) {
    if (r.owner != &ui || r.generation != ui.events().generation() || !(r.filter == f)) {
        r = Rows{&ui, ui.events().generation(), f, 0, {}, r.top, {}};
    }
    const sim::EventLog& log = ui.session().log();
    const std::uint64_t budget = f.text.empty() ? kFilterBudget : kWordFilterBudget;
    const std::uint64_t stop = std::min<std::uint64_t>(log.size(), r.scanned + budget);
    if (f.empty()) {  // every event is a row: row i is log position i, nothing to store
        r.scanned = log.size();
        return;
    }
    for (; r.scanned < stop; ++r.scanned) {
        if (matches(f, log[r.scanned], r)) r.rows.push_back(r.scanned);
    }
}

void filters(UiState& s) {
    const float w = ImGui::GetFontSize() * 7.0f;
    ImGui::SetNextItemWidth(w * 1.2f);
    const std::string kind_label = s.filter_kind < 0 ? "all kinds" : std::string(to_string(static_cast<EventKind>(s.filter_kind)));
    if (ImGui::BeginCombo("##kind", kind_label.c_str())) {
        if (ImGui::Selectable("all kinds", s.filter_kind < 0)) s.filter_kind = -1;
        for (int k = 0; k <= static_cast<int>(EventKind::command); ++k) {
            const std::string name(to_string(static_cast<EventKind>(k)));
            if (ImGui::Selectable(name.c_str(), s.filter_kind == k)) s.filter_kind = k;
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(w);
    ImGui::InputTextWithHint("##topic", "topic", &s.filter_topic);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(w);
    ImGui::InputTextWithHint("##group", "group", &s.filter_group);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(w);
    ImGui::InputTextWithHint("##key", "message key", &s.filter_key);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(w * 1.4f);
    ImGui::InputTextWithHint("##text", "words", &s.filter_text);
    same_line_or_wrap(checkbox_width("Follow"));
    ImGui::Checkbox("Follow", &s.follow_log);
}

}  // namespace

void draw_events(Ui& ui) {
    static Rows rows;
    UiState& s = ui.state();
    filters(s);
    const Filter f{s.filter_text, s.filter_topic, s.filter_group, s.filter_key, s.filter_kind};
    update_rows(rows, ui, f);
    const sim::EventLog& log = ui.session().log();
    const std::uint64_t visible = ui.session().visible_events();
    // Rows up to the cursor: the story so far.
    const bool all = f.empty();
    const auto count = all ? static_cast<std::int64_t>(visible)
                           : static_cast<std::int64_t>(std::lower_bound(rows.rows.begin(), rows.rows.end(), visible) - rows.rows.begin());
    if (rows.scanned < log.size()) ImGui::TextDisabled("filtering... %llu of %llu events", static_cast<unsigned long long>(rows.scanned), static_cast<unsigned long long>(log.size()));

    const float row_h = ImGui::GetTextLineHeightWithSpacing();
    const float bar_w = ImGui::GetStyle().ScrollbarSize;
    ImGui::BeginChild("##event_rows", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const auto page = std::max<std::int64_t>(1, static_cast<std::int64_t>(avail.y / row_h));
    const std::int64_t max_top = std::max<std::int64_t>(0, count - page);
    if (ImGui::IsWindowHovered() && ImGui::GetIO().MouseWheel != 0) {
        rows.top -= static_cast<std::int64_t>(ImGui::GetIO().MouseWheel * 3.0f);
        s.follow_log = rows.top >= max_top;
    }
    if (s.follow_log) rows.top = max_top;
    rows.top = std::clamp<std::int64_t>(rows.top, 0, max_top);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::PushFont(mono_font());
    for (std::int64_t i = rows.top; i < std::min(count, rows.top + page); ++i) {
        const std::uint64_t pos = all ? static_cast<std::uint64_t>(i) : rows.rows[static_cast<std::size_t>(i)];
        const Event& e = log[pos];
        ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + static_cast<float>(i - rows.top) * row_h));
        const std::string line = std::to_string(e.at) + "  " + narrate(e);
        ImGui::PushID(static_cast<int>(i - rows.top));
        const bool at_cursor = pos + 1 == visible;
        if (is_fault(e.kind)) ImGui::PushStyleColor(ImGuiCol_Text, ImColor(colors::fault()).Value);
        if (ImGui::Selectable(line.c_str(), at_cursor, 0, ImVec2(avail.x - bar_w - 4, 0))) {
            if (e.offset >= 0 && e.partition >= 0 && e.kind != EventKind::offset_committed) ui.select({e.topic, e.partition, e.offset});
            ui.seek(e.at);
            s.follow_log = false;
        }
        if (is_fault(e.kind)) ImGui::PopStyleColor();
        ImGui::PopID();
    }
    ImGui::PopFont();
    if (count == 0) ImGui::TextDisabled(f.empty() ? "No events yet." : "No event matches the filters.");
    // The scrollbar works in rows (64-bit), not pixels.
    const ImRect bar(ImVec2(origin.x + avail.x - bar_w, origin.y), ImVec2(origin.x + avail.x, origin.y + avail.y));
    ImS64 top = rows.top;
    if (ImGui::ScrollbarEx(bar, ImGui::GetID("##event_scroll"), ImGuiAxis_Y, &top, page, std::max<std::int64_t>(count, page), ImDrawFlags_None)) {
        rows.top = top;
        s.follow_log = rows.top >= max_top;
    }
    ImGui::EndChild();
}

}  // namespace driftq::ui
