#include "ui/ui_state.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

#include "imgui.h"
#include "imgui_internal.h"

namespace driftq::ui {

const char* panel_title(Panel p) {
    switch (p) {
        case Panel::lanes: return "Partitions";
        case Panel::groups: return "Groups";
        case Panel::in_flight: return "In flight";
        case Panel::biography: return "Message";
        case Panel::events: return "Events";
        case Panel::timeline: return "Timeline";
        case Panel::plots: return "Lag and throughput";
        case Panel::wal: return "WAL";
        case Panel::lesson: return "Lesson";
        case Panel::scenario: return "Scenario";
        case Panel::actions: return "Actions and faults";
        case Panel::compare: return "Compare";
        case Panel::flow: return "Flow";
        case Panel::count: break;
    }
    return "?";
}

std::optional<Panel> panel_named(std::string_view title) {
    for (int p = 0; p < static_cast<int>(Panel::count); ++p) {
        const std::string_view t = panel_title(static_cast<Panel>(p));
        if (t.size() == title.size() &&
            std::equal(t.begin(), t.end(), title.begin(), [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); })) {
            return static_cast<Panel>(p);
        }
    }
    return std::nullopt;
}

const char* layout_name(Layout l) { return l == Layout::learn ? "Learn" : "Inspect"; }

double UiState::speed() const { return std::pow(10.0, static_cast<double>(speed_log10)); }

namespace {

UiState* g_state = nullptr;  // ImGui's ini callbacks carry a handler, not our state

void* read_open(ImGuiContext*, ImGuiSettingsHandler*, const char* name) {
    return std::strcmp(name, "State") == 0 ? g_state : nullptr;
}

template <class T>
void parse_number(std::string_view text, T& out) {
    T v{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size()) out = v;
}

void read_line(ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
    auto* s = static_cast<UiState*>(entry);
    const std::string_view l(line);
    const auto eq = l.find('=');
    if (eq == std::string_view::npos) return;
    const std::string_view key = l.substr(0, eq), value = l.substr(eq + 1);
    for (int p = 0; p < static_cast<int>(Panel::count); ++p) {
        if (key == panel_title(static_cast<Panel>(p))) s->open[p] = value == "1";
    }
    int flag = -1;
    if (key == "speed_milli_log10") {  // an integer: from_chars on floats is missing on the web
        int milli = 9999;
        parse_number(value, milli);
        if (milli >= -3000 && milli <= 3000) s->speed_log10 = static_cast<float>(milli) / 1000.0f;
    } else if (key == "pause_at_lesson_steps") {
        parse_number(value, flag);
        if (flag >= 0) s->pause_at_lesson_steps = flag != 0;
    } else if (key == "plot_metric") {
        parse_number(value, flag);
        if (flag >= 0 && flag <= 3) s->plot_metric = flag;
    } else if (key == "follow_log") {
        parse_number(value, flag);
        if (flag >= 0) s->follow_log = flag != 0;
    } else if (key == "plot_per_partition") {
        parse_number(value, flag);
        if (flag >= 0) s->plot_per_partition = flag != 0;
    } else if (key == "lane_cell_micro_px") {  // an integer, as speed above
        long micro = 0;
        parse_number(value, micro);
        if (micro >= 500 && micro <= 80'000'000) {
            s->lane_cell_px = static_cast<float>(micro) / 1e6f;
            s->fit_lanes = false;
        }
    } else if (key == "filter_kind") {
        parse_number(value, flag);
        if (flag >= -1 && flag <= static_cast<int>(EventKind::command)) s->filter_kind = flag;
    } else if (key == "layout") {
        if (value == layout_name(Layout::learn)) s->layout = Layout::learn;
        if (value == layout_name(Layout::inspect)) s->layout = Layout::inspect;
    } else if (key == "filter_topic") {
        s->filter_topic = value;
    } else if (key == "filter_group") {
        s->filter_group = value;
    } else if (key == "filter_key") {
        s->filter_key = value;
    } else if (key == "filter_text") {
        s->filter_text = value;
    }
}

void write_all(ImGuiContext*, ImGuiSettingsHandler* handler, ImGuiTextBuffer* out) {
    const UiState& s = *g_state;
    out->appendf("[%s][State]\n", handler->TypeName);
    for (int p = 0; p < static_cast<int>(Panel::count); ++p) {
        out->appendf("%s=%d\n", panel_title(static_cast<Panel>(p)), s.open[p] ? 1 : 0);
    }
    out->appendf("layout=%s\n", layout_name(s.layout));
    out->appendf("speed_milli_log10=%d\n", static_cast<int>(std::lround(s.speed_log10 * 1000.0f)));
    out->appendf("pause_at_lesson_steps=%d\n", s.pause_at_lesson_steps ? 1 : 0);
    out->appendf("plot_metric=%d\n", s.plot_metric);
    out->appendf("follow_log=%d\n", s.follow_log ? 1 : 0);
    out->appendf("plot_per_partition=%d\n", s.plot_per_partition ? 1 : 0);
    if (!s.fit_lanes) out->appendf("lane_cell_micro_px=%ld\n", std::lround(static_cast<double>(s.lane_cell_px) * 1e6));
    out->appendf("filter_kind=%d\n", s.filter_kind);
    // Filters are one-line text fields: the rest of the line is the value.
    out->appendf("filter_topic=%s\nfilter_group=%s\nfilter_key=%s\nfilter_text=%s\n\n", s.filter_topic.c_str(),
                 s.filter_group.c_str(), s.filter_key.c_str(), s.filter_text.c_str());
}

}  // namespace

void register_ini_handler(UiState& state) {
    g_state = &state;
    ImGuiSettingsHandler h;
    h.TypeName = "DriftQ";
    h.TypeHash = ImHashStr("DriftQ");
    h.ReadOpenFn = read_open;
    h.ReadLineFn = read_line;
    h.WriteAllFn = write_all;
    ImGui::GetCurrentContext()->SettingsHandlers.push_back(h);
}

}  // namespace driftq::ui
