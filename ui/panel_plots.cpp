// Lag, in flight, produced and acked over time, per group and partition (or summed). Each pixel
// column draws the min-to-max range of the samples it covers, so a one-tick spike never vanishes
// however far out the plot is; markers show crashes (red), lease expiries (yellow) and dead
// letters (purple); the cursor is the blue line.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "imgui.h"
#include "ui/narration.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

using Metric = sim::SeriesKey::Metric;
const char* const kMetricNames[] = {"Lag", "In flight", "Produced", "Acked"};

struct Line {
    std::string label;
    std::vector<sim::Series::Column> cols;
};

std::vector<Line> lines_for(const sim::Session& s, Metric metric, bool per_partition, TimeMs span, int cols) {
    std::vector<Line> out;
    for (const auto& [key, series] : s.series()) {
        if (key.metric != metric) continue;
        const std::string group = key.group.empty() ? key.topic : key.topic + "/" + key.group;
        std::vector<sim::Series::Column> c = series.columns(0, span + 1, cols);
        if (per_partition) {
            out.push_back({group + " p" + std::to_string(key.partition), std::move(c)});
            continue;
        }
        if (out.empty() || out.back().label != group) {
            out.push_back({group, std::move(c)});
            continue;
        }
        auto& sum = out.back().cols;  // bounds of the sum: sums of the bounds
        for (std::size_t i = 0; i < sum.size() && i < c.size(); ++i) {
            if (c[i].empty) continue;
            if (sum[i].empty) { sum[i] = c[i]; continue; }
            sum[i].min += c[i].min;
            sum[i].max += c[i].max;
            sum[i].last += c[i].last;
        }
    }
    return out;
}

}  // namespace

void draw_plots(Ui& ui) {
    UiState& st = ui.state();
    const sim::Session& s = ui.session();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
    ImGui::Combo("##metric", &st.plot_metric, kMetricNames, 4);
    ImGui::SameLine();
    ImGui::Checkbox("Per partition", &st.plot_per_partition);
    const auto metric = static_cast<Metric>(std::clamp(st.plot_metric, 0, 3));

    const ImVec2 a = ImGui::GetCursorScreenPos();
    const ImVec2 size(ImGui::GetContentRegionAvail().x, std::max(60.0f, ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 2));
    const ImVec2 b(a.x + size.x, a.y + size.y);
    // The history run so far (the scrubber also shows the scenario's planned end; a plot has
    // nothing to show there).
    const TimeMs span = std::max<TimeMs>(s.head_time(), 1);
    const int cols = std::max(1, static_cast<int>(size.x / 2.0f));
    // Columns are recomputed only when the history, the width or the choice changes.
    static std::tuple<const void*, std::uint64_t, int, int, int, bool, TimeMs> key;
    static std::vector<Line> lines;
    const auto now_key = std::make_tuple(static_cast<const void*>(&s), static_cast<std::uint64_t>(s.log().size()), s.branch(), cols,
                                         static_cast<int>(metric), st.plot_per_partition, span);
    if (now_key != key) {
        key = now_key;
        lines = lines_for(s, metric, st.plot_per_partition, span, cols);
    }
    std::int64_t top = 1;
    for (const Line& l : lines) {
        for (const auto& c : l.cols) {
            if (!c.empty) top = std::max(top, c.max);
        }
    }
    ImGui::InvisibleButton("##plot", size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, b, IM_COL32(24, 26, 32, 255));
    auto y_of = [&](std::int64_t v) { return b.y - 4 - (size.y - 8) * static_cast<float>(v) / static_cast<float>(top); };
    auto x_of = [&](TimeMs t) { return a.x + size.x * static_cast<float>(static_cast<double>(t) / static_cast<double>(span)); };
    for (int g = 1; g <= 3; ++g) dl->AddLine(ImVec2(a.x, y_of(top * g / 4)), ImVec2(b.x, y_of(top * g / 4)), colors::grid());
    for (const EventIndex::Mark& m : ui.events().marks()) {
        if (m.kind == EventKind::command) continue;
        dl->AddLine(ImVec2(x_of(m.at), a.y), ImVec2(x_of(m.at), b.y), (colors::marker(m.kind) & 0x00FFFFFFu) | 0x70000000u);
    }
    const float col_w = size.x / static_cast<float>(cols);
    for (std::size_t li = 0; li < lines.size(); ++li) {
        const ImU32 col = colors::plot_line(static_cast<int>(li));
        float px = 0, py = 0;
        bool have = false;
        for (int c = 0; c < cols; ++c) {
            const auto& k = lines[li].cols[static_cast<std::size_t>(c)];
            if (k.empty) continue;
            const float x = a.x + (static_cast<float>(c) + 0.5f) * col_w;
            if (k.max != k.min) dl->AddLine(ImVec2(x, y_of(k.min)), ImVec2(x, y_of(k.max)), col, 1.5f);
            if (have) dl->AddLine(ImVec2(px, py), ImVec2(x, y_of(k.last)), col, 1.5f);
            px = x;
            py = y_of(k.last);
            have = true;
        }
    }
    dl->AddLine(ImVec2(x_of(s.now()), a.y), ImVec2(x_of(s.now()), b.y), colors::selection(), 2.0f);
    // Time along the bottom: the start, the middle and the end of the span, in ms.
    const ImU32 label = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    for (const TimeMs t : {TimeMs{0}, span / 2, span}) {
        const std::string text = std::to_string(t) + " ms";
        const float w = ImGui::CalcTextSize(text.c_str()).x;
        const float x = std::clamp(x_of(t) - w / 2, a.x + 2, b.x - w - 2);
        dl->AddText(ImVec2(x, b.y - ImGui::GetTextLineHeight() - 2), label, text.c_str());
    }
    dl->AddText(ImVec2(a.x + 4, a.y + 2), IM_COL32(220, 220, 220, 255), (std::string(kMetricNames[static_cast<int>(metric)]) + ", max " + std::to_string(top)).c_str());
    if (ImGui::IsItemHovered()) {
        const double f = std::clamp(static_cast<double>((ImGui::GetIO().MousePos.x - a.x) / size.x), 0.0, 1.0);
        const auto t = static_cast<TimeMs>(f * static_cast<double>(span));
        const int c = std::clamp(static_cast<int>(f * cols), 0, cols - 1);
        ImGui::BeginTooltip();
        ImGui::Text("%lld ms (click to go there)", static_cast<long long>(t));
        for (std::size_t li = 0; li < lines.size() && li < 16; ++li) {
            const auto& k = lines[li].cols[static_cast<std::size_t>(c)];
            if (!k.empty) ImGui::TextColored(ImColor(colors::plot_line(static_cast<int>(li))).Value, "%s: %lld (min %lld, max %lld)", lines[li].label.c_str(),
                                             static_cast<long long>(k.last), static_cast<long long>(k.min), static_cast<long long>(k.max));
        }
        ImGui::EndTooltip();
        if (ImGui::IsItemClicked()) ui.seek(t);
    }
    // Legend
    for (std::size_t li = 0; li < lines.size() && li < 12; ++li) {
        if (li > 0) ImGui::SameLine();
        ImGui::TextColored(ImColor(colors::plot_line(static_cast<int>(li))).Value, "%s", lines[li].label.c_str());
    }
    if (lines.size() > 12) {
        ImGui::SameLine();
        ImGui::TextDisabled("and %zu more", lines.size() - 12);
    }
    if (lines.empty()) ImGui::TextDisabled("Nothing to plot yet.");
}

}  // namespace driftq::ui
