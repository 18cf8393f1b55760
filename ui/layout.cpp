// Where the panels go: a menu bar, three columns of windows and a status bar. Related panels
// share a window as tabs, so nothing overlaps on a laptop screen. Windows start where
// place() puts them and can be moved; View > Reset layout puts them back.
#include <algorithm>

#include "imgui.h"
#include "imgui_internal.h"  // MarkIniSettingsDirty: a layout switch is saved like a moved window
#include "ui/panels.hpp"
#include "ui/theme.hpp"
#include "ui/ui.hpp"

namespace driftq::ui {

namespace {

struct Rect {
    float x, y, w, h;
};

void place(const Rect& r, bool reset) {
    const ImGuiCond cond = reset ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y), cond);
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h), cond);
}

using Draw = void (*)(Ui&);
struct Tab {
    Panel panel;
    Draw draw;
};

// The vertical scrollbar is always there: one that came and went with the content would change
// the width text wraps at, and move every control below the wrapped text between two frames.
constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_AlwaysVerticalScrollbar;

// A window holding one or more panels as tabs (a single panel gets no tab bar).
void window(Ui& ui, const char* id, const Rect& r, bool reset, std::initializer_list<Tab> tabs) {
    UiState& s = ui.state();
    if (s.bring_to_front) s.is_open(*s.bring_to_front) = true;
    const bool any = std::any_of(tabs.begin(), tabs.end(), [&](const Tab& t) { return s.is_open(t.panel); });
    if (!any) return;
    place(r, reset);
    if (tabs.size() == 1) {
        const Tab& t = *tabs.begin();
        if (s.bring_to_front == t.panel) {
            s.bring_to_front.reset();
            ImGui::SetNextWindowFocus();
        }
        if (ImGui::Begin(panel_title(t.panel), &s.is_open(t.panel), kPanelFlags)) t.draw(ui);
        ImGui::End();
        return;
    }
    if (ImGui::Begin(id, nullptr, ImGuiWindowFlags_NoTitleBar | kPanelFlags)) {
        if (ImGui::BeginTabBar(id)) {
            for (const Tab& t : tabs) {
                if (!s.is_open(t.panel)) continue;
                const bool front = s.bring_to_front == t.panel;
                if (front) s.bring_to_front.reset();
                if (ImGui::BeginTabItem(panel_title(t.panel), &s.is_open(t.panel), front ? ImGuiTabItemFlags_SetSelected : 0)) {
                    t.draw(ui);
                    ImGui::EndTabItem();
                }
            }
            ImGui::EndTabBar();
        }
    }
    ImGui::End();
}

// Learn: the lesson (with the actions under it) on the left, Flow filling the rest, the timeline
// under Flow. The panels it leaves out are a click away in View, or in Inspect.
void learn_windows(Ui& ui, const Rect& r, bool reset) {
    const float left = std::max(340.0f, r.w * 0.30f), rest = std::max(300.0f, r.w - left);
    const float lesson_h = r.h * 0.64f, timeline_h = std::min(r.h * 0.24f, 190.0f);
    window(ui, "##lesson", Rect{r.x, r.y, left, lesson_h}, reset, {{Panel::lesson, draw_lesson}, {Panel::scenario, draw_scenario}});
    window(ui, "##actions", Rect{r.x, r.y + lesson_h, left, r.h - lesson_h}, reset, {{Panel::actions, draw_actions}});
    window(ui, "##learnflow", Rect{r.x + left, r.y, rest, r.h - timeline_h}, reset, {{Panel::flow, draw_flow}});
    window(ui, "##timeline", Rect{r.x + left, r.y + r.h - timeline_h, rest, timeline_h}, reset, {{Panel::timeline, draw_timeline}});
}

}  // namespace

void Ui::draw_menu() {
    if (!ImGui::BeginMainMenuBar()) return;
    draw_file_menu();
    if (ImGui::BeginMenu("Lessons")) {
        for (std::size_t i = 0; i < bundled_.size(); ++i) {
            const BundledScenario& b = bundled_[i];
            // "04  ack-timeout-redelivery" with its one-line summary beside it (cut; whole on hover).
            const std::string label = b.file.substr(0, 2) + "  " + b.title;
            std::string line = b.summary.size() > 72 ? b.summary.substr(0, 69) + "..." : b.summary;
            if (ImGui::MenuItem(label.c_str(), line.c_str(), b.file == scenario_name_)) open_bundled(i);
            if (ImGui::IsItemHovered() && !b.summary.empty()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
                ImGui::TextUnformatted(b.summary.c_str());
                ImGui::PopTextWrapPos();
                ImGui::EndTooltip();
            }
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        for (int p = 0; p < static_cast<int>(Panel::count); ++p) {
            ImGui::MenuItem(panel_title(static_cast<Panel>(p)), nullptr, &state_.open[p]);
        }
        ImGui::Separator();
        if (ImGui::MenuItem("Reset layout")) reset_layout();
        ImGui::EndMenu();
    }
    if (session_) draw_what_if_menu();
    if (ImGui::BeginMenu("Help")) {
        ImGui::TextUnformatted("Space  play / pause        Left / Right  step one event back / forward");
        ImGui::TextUnformatted("Shift+Left / Right  one tick      [ / ]  slower / faster      L  live (latest)");
        ImGui::TextUnformatted("Click a message cell or an event to select it; the Message panel tells its story.");
        ImGui::TextUnformatted("Acting in the past starts a new branch; the Timeline lists branches.");
        ImGui::EndMenu();
    }
    draw_layout_switch();
    if (session_) {
        ImGui::Separator();
        ImGui::TextDisabled("%s", scenario_name_.c_str());
    }
    ImGui::EndMainMenuBar();
}

// Learn and Inspect side by side in the menu bar, the current one ticked: one click switches and
// puts the windows where that layout keeps them; the choice is remembered with the settings.
void Ui::draw_layout_switch() {
    ImGui::Separator();
    for (Layout l : {Layout::learn, Layout::inspect}) {
        const bool current = state_.layout == l;
        if (ImGui::MenuItem(layout_name(l), nullptr, current) && !current) set_layout(l);
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s", l == Layout::learn ? "Learn: the Flow picture large, the lesson beside it, the timeline below"
                                                       : "Inspect: every panel (partitions, groups, in flight, events, WAL, ...)");
        }
    }
}

void Ui::set_layout(Layout l) {
    state_.layout = l;
    if (l == Layout::learn) {  // the three windows Learn is made of
        for (Panel p : {Panel::lesson, Panel::flow, Panel::timeline}) state_.is_open(p) = true;
    }
    reset_layout();
    ImGui::MarkIniSettingsDirty();
}

void Ui::draw_status_bar() {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float h = ImGui::GetFrameHeight();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + vp->Size.y - h));
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x, h));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 2));
    if (ImGui::Begin("##status", nullptr, flags)) {
        if (work_) {  // a long seek under way: it can be stopped where it has got to
            if (ImGui::SmallButton("Cancel")) cancel_work();
            ImGui::SameLine();
        }
        if (status_error_) ImGui::PushStyleColor(ImGuiCol_Text, colors::error_text());
        ImGui::TextUnformatted(status_.c_str());
        if (status_error_) ImGui::PopStyleColor();
        if (!storage_line_.empty()) {  // right-aligned, else after the status: never over it
            const float w = ImGui::CalcTextSize(storage_line_.c_str()).x;
            const float after_status = ImGui::GetStyle().WindowPadding.x + ImGui::CalcTextSize(status_.c_str()).x + 24.0f;
            ImGui::SameLine(std::max(after_status, ImGui::GetWindowWidth() - w - 12.0f));
            ImGui::PushStyleColor(ImGuiCol_Text, storage_error_ ? colors::error_text() : ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
            ImGui::TextUnformatted(storage_line_.c_str());
            ImGui::PopStyleColor();
        }
    }
    ImGui::End();
    ImGui::PopStyleVar();
}

void Ui::draw_windows() {
    // Below the menu bar and above the status bar, both one frame high. Not the viewport's work
    // area: ImGui updates that a frame late, and the first frame's layout is the one kept.
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float bar = ImGui::GetFrameHeight();
    const float x0 = vp->Pos.x, y0 = vp->Pos.y + bar;
    const float W = vp->Size.x, H = vp->Size.y - 2 * bar;
    const float left = std::max(300.0f, W * 0.24f), right = std::max(320.0f, W * 0.27f);
    const float mid = std::max(200.0f, W - left - right);
    const bool reset = layout_reset_;
    layout_reset_ = false;
    if (!session_) {
        window(*this, "##scenario", Rect{x0, y0, W, H}, reset, {{Panel::scenario, draw_scenario}});
        return;
    }
    if (state_.layout == Layout::learn) {
        learn_windows(*this, Rect{x0, y0, W, H}, reset);
        return;
    }
    const float lesson_h = H * 0.45f, timeline_h = std::min(H * 0.22f, 190.0f), lanes_h = H * 0.42f;
    window(*this, "##lesson", Rect{x0, y0, left, lesson_h}, reset,
           {{Panel::lesson, draw_lesson}, {Panel::scenario, draw_scenario}});
    window(*this, "##actions", Rect{x0, y0 + lesson_h, left, H - lesson_h}, reset, {{Panel::actions, draw_actions}});
    window(*this, "##timeline", Rect{x0 + left, y0, mid, timeline_h}, reset, {{Panel::timeline, draw_timeline}});
    window(*this, "##lanes", Rect{x0 + left, y0 + timeline_h, mid, lanes_h}, reset, {{Panel::lanes, draw_lanes}, {Panel::flow, draw_flow}, {Panel::compare, draw_compare}});
    window(*this, "##details", Rect{x0 + left, y0 + timeline_h + lanes_h, mid, H - timeline_h - lanes_h}, reset,
           {{Panel::events, draw_events}, {Panel::plots, draw_plots}, {Panel::wal, draw_wal}});
    const float flight_h = H * 0.36f, groups_h = H * 0.30f;
    window(*this, "##flight", Rect{x0 + left + mid, y0, right, flight_h}, reset, {{Panel::in_flight, draw_in_flight}});
    window(*this, "##groups", Rect{x0 + left + mid, y0 + flight_h, right, groups_h}, reset, {{Panel::groups, draw_groups}});
    window(*this, "##message", Rect{x0 + left + mid, y0 + flight_h + groups_h, right, H - flight_h - groups_h}, reset,
           {{Panel::biography, draw_biography}});
}

}  // namespace driftq::ui
