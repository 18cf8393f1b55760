// Timeline: play, pause and speed (a log scale, 1/1000x to 1000x), stepping one event or one
// tick either way, a scrubber painted with the run's activity and its faults, the lesson steps,
// a Live button, and the branches made by acting in the past.
#include <algorithm>
#include <iterator>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "imgui.h"
#include "ui/flow.hpp"
#include "ui/narration.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

std::string speed_label(double speed) {
    char buf[32];
    const double v = speed >= 1.0 ? speed : 1.0 / speed;
    std::snprintf(buf, sizeof buf, v >= 9.95 ? "%s%.0fx" : "%s%.1fx", speed >= 1.0 ? "" : "1/", v);
    return buf;
}

void transport(Ui& ui) {
    sim::Session& s = ui.session();
    UiState& st = ui.state();
    if (ImGui::Button("|<")) ui.seek(0);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back to the start");
    ImGui::SameLine();
    if (ImGui::Button("<< Event")) { st.playing = false; s.step_event_back(); }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back to the previous time something happened (Left)");
    ImGui::SameLine();
    if (ImGui::Button("< Tick")) { st.playing = false; s.step_tick_back(); }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back one broker tick (Shift+Left)");
    ImGui::SameLine();
    if (ImGui::Button(st.playing ? "Pause" : "Play", ImVec2(ImGui::GetFontSize() * 4.0f, 0))) st.playing = !st.playing;
    ImGui::SameLine();
    const bool tick_ok = ui.can_step_forward(true), event_ok = ui.can_step_forward(false);
    if (!tick_ok) ImGui::BeginDisabled();
    if (ImGui::Button("Tick >")) { st.playing = false; s.step_tick(); }
    if (!tick_ok) ImGui::EndDisabled();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Forward one broker tick (Shift+Right)");
    ImGui::SameLine();
    if (!event_ok) ImGui::BeginDisabled();
    if (ImGui::Button("Event >>")) { st.playing = false; s.step_event(); }
    if (!event_ok) ImGui::EndDisabled();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Forward to the next time something happens (Right)");
    ImGui::SameLine();
    // On a live broker "live" is its edge on its own branch; otherwise the branch's head.
    const bool live = ui.is_live() ? ui.following_live() : s.at_head();
    if (live) ImGui::BeginDisabled();
    if (ImGui::Button("Live")) { st.playing = false; ui.go_live(); }
    if (live) ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip(ui.is_live() ? "Back to what the live broker is doing now, following it (L)" : "Jump to the latest moment of this branch (L)");
    }
    ImGui::SameLine();
    // The speed is written beside the slider, not on it, where the grab would cover it.
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
    ImGui::SliderFloat("##speed", &st.speed_log10, -3.0f, 3.0f, "");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Playback speed: virtual time per real time ([ and ])");
    ImGui::SameLine();
    ImGui::Text("%s", speed_label(st.speed()).c_str());
    if (!ui.is_live()) {  // a live broker has no lesson steps
        same_line_or_wrap(checkbox_width("Stop at lesson steps"));
        ImGui::Checkbox("Stop at lesson steps", &st.pause_at_lesson_steps);
    }
    ImGui::Text("t = %lld ms", static_cast<long long>(s.now()));
    ImGui::SameLine();
    const char* where = ui.is_live() ? (live ? "(following the live broker)" : "(the broker goes on: L returns to live)")
                                     : live ? "(live)" : "(replaying history)";
    ImGui::TextDisabled("%s  events %llu / %llu", where,
                       static_cast<unsigned long long>(s.visible_events()), static_cast<unsigned long long>(s.log().size()));
}

void scrubber(Ui& ui) {
    sim::Session& s = ui.session();
    const TimeMs span = std::max<TimeMs>({s.head_time(), s.world().scenario().until_ms, 1});
    const float w = ImGui::GetContentRegionAvail().x, h = ImGui::GetFontSize() * 2.6f;
    const ImVec2 a = ImGui::GetCursorScreenPos(), b(a.x + w, a.y + h);
    ImGui::InvisibleButton("##scrubber", ImVec2(w, h));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, b, IM_COL32(30, 33, 40, 255), 3.0f);
    auto x_of = [&](TimeMs t) { return a.x + static_cast<float>(static_cast<double>(t) / static_cast<double>(span)) * w; };
    // Activity: events per pixel column, scaled to the busiest column on screen.
    const int cols = std::max(1, static_cast<int>(w / 2.0f));
    std::vector<std::uint64_t> counts(static_cast<std::size_t>(cols));
    std::uint64_t prev = 0, most = 1;
    const sim::EventLog& log = s.log();
    for (int c = 0; c < cols; ++c) {
        const auto t = static_cast<TimeMs>(static_cast<double>(span) * (c + 1) / cols);
        const std::uint64_t through = s.events_through(t);
        counts[static_cast<std::size_t>(c)] = through - prev;
        prev = through;
        most = std::max(most, counts[static_cast<std::size_t>(c)]);
    }
    const float col_w = w / static_cast<float>(cols);
    for (int c = 0; c < cols; ++c) {
        const auto n = counts[static_cast<std::size_t>(c)];
        if (n == 0) continue;
        const float bar = std::max(2.0f, (h * 0.55f) * std::sqrt(static_cast<float>(n) / static_cast<float>(most)));
        const float x = a.x + static_cast<float>(c) * col_w;
        dl->AddRectFilled(ImVec2(x, b.y - bar), ImVec2(x + col_w, b.y), IM_COL32(80, 130, 190, 200));
    }
    // The part not yet run (beyond the head) is shaded.
    dl->AddRectFilled(ImVec2(x_of(s.head_time()), a.y), b, IM_COL32(0, 0, 0, 90));
    // Faults, lease expiries, dead letters and commands as ticks at the top.
    float last_x = -100;
    for (const EventIndex::Mark& m : ui.events().marks()) {
        const float x = x_of(m.at);
        if (x - last_x < 1.0f && !is_fault(m.kind)) continue;
        last_x = x;
        const float len = is_fault(m.kind) ? h * 0.45f : h * 0.25f;
        dl->AddLine(ImVec2(x, a.y), ImVec2(x, a.y + len), colors::marker(m.kind), is_fault(m.kind) ? 2.0f : 1.0f);
    }
    // Lesson steps: numbered flags along the bottom.
    const auto& lessons = s.world().scenario().lessons;
    for (std::size_t i = 0; i < lessons.size(); ++i) {
        const float x = x_of(lessons[i].at);
        dl->AddTriangleFilled(ImVec2(x, b.y - 9), ImVec2(x - 5, b.y), ImVec2(x + 5, b.y), IM_COL32(255, 220, 120, 255));
    }
    const float end_x = x_of(s.world().scenario().until_ms);
    dl->AddLine(ImVec2(end_x, a.y), ImVec2(end_x, b.y), IM_COL32(255, 255, 255, 70), 1.0f);
    const float cur = x_of(s.now());
    dl->AddLine(ImVec2(cur, a.y - 2), ImVec2(cur, b.y + 2), colors::selection(), 2.0f);
    dl->AddTriangleFilled(ImVec2(cur - 6, a.y - 2), ImVec2(cur + 6, a.y - 2), ImVec2(cur, a.y + 6), colors::selection());

    const ImGuiIO& io = ImGui::GetIO();
    auto t_at_mouse = [&] {
        const double f = std::clamp(static_cast<double>((io.MousePos.x - a.x) / w), 0.0, 1.0);
        return static_cast<TimeMs>(std::llround(f * static_cast<double>(span)));
    };
    if (ImGui::IsItemActive()) ui.seek(t_at_mouse());  // scrubbing pauses playback
    if (ImGui::IsItemHovered()) {
        const TimeMs t = t_at_mouse();
        ImGui::BeginTooltip();
        ImGui::Text("%lld ms: click or drag to go there", static_cast<long long>(t));
        const TimeMs near = static_cast<TimeMs>(static_cast<double>(span) * 6.0 / static_cast<double>(w));
        int shown = 0;
        for (const EventIndex::Mark& m : ui.events().marks()) {
            if (m.at < t - near || m.at > t + near || shown == 6) continue;
            ++shown;
            ImGui::TextColored(ImColor(colors::marker(m.kind)).Value, "%lld  %s", static_cast<long long>(m.at), narrate(log[m.pos]).c_str());
        }
        ImGui::EndTooltip();
    }
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string state_text(const sim::World& w) {
    return w.broker() ? w.broker()->dump_state() : std::string("(the broker is down)");
}

// Both branches' broker state at the cursor's time, line by line where they differ (the state
// dump is canonical and ordered, so a line-set difference names what changed).
void compare_state(const sim::Session& s, int here, int there) {
    static std::tuple<const sim::Session*, int, int, TimeMs, std::uint64_t> key;
    static std::vector<std::string> only_here, only_there;
    const auto now_key = std::make_tuple(&s, here, there, s.now(), s.log().size());
    if (now_key != key) {
        key = now_key;
        const auto a = s.world_at(here, s.now());
        const auto b = s.world_at(there, s.now());
        std::vector<std::string> la = lines_of(state_text(*a)), lb = lines_of(state_text(*b));
        std::sort(la.begin(), la.end());
        std::sort(lb.begin(), lb.end());
        only_here.clear();
        only_there.clear();
        std::set_difference(la.begin(), la.end(), lb.begin(), lb.end(), std::back_inserter(only_here));
        std::set_difference(lb.begin(), lb.end(), la.begin(), la.end(), std::back_inserter(only_there));
    }
    ImGui::Text("At %lld ms, branch %d against branch %d:", static_cast<long long>(s.now()), here, there);
    if (only_here.empty() && only_there.empty()) {
        ImGui::TextDisabled("the same broker state");
        return;
    }
    ImGui::PushFont(mono_font());
    constexpr std::size_t kMax = 40;
    for (std::size_t i = 0; i < only_here.size() && i < kMax; ++i) ImGui::TextColored(colors::ok_text(), "+ %s", only_here[i].c_str());
    for (std::size_t i = 0; i < only_there.size() && i < kMax; ++i) ImGui::TextColored(colors::error_text(), "- %s", only_there[i].c_str());
    ImGui::PopFont();
    if (only_here.size() > kMax || only_there.size() > kMax) ImGui::TextDisabled("(first %zu lines of each side)", kMax);
}

void branches(Ui& ui) {
    sim::Session& s = ui.session();
    const auto list = s.branches();
    if (list.size() < 2) {
        ImGui::TextDisabled("One branch. Acting at an earlier time keeps this future and starts a new branch.");
        return;
    }
    auto name = [&](const sim::Session::BranchInfo& b) {
        return "branch " + std::to_string(b.id) + (b.parent < 0 ? " (original)" : " (from " + std::to_string(b.parent) + " at " + std::to_string(b.fork_at) + " ms)");
    };
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18.0f);
    if (ImGui::BeginCombo("Branch", name(list[static_cast<std::size_t>(s.branch())]).c_str())) {
        for (const auto& b : list) {
            if (ImGui::Selectable(name(b).c_str(), b.id == s.branch())) {
                ui.state().playing = false;
                s.switch_branch(b.id);
            }
        }
        ImGui::EndCombo();
    }
    const sim::Session::BranchInfo& cur = list[static_cast<std::size_t>(s.branch())];
    const int other = cur.parent >= 0 ? cur.parent : list.back().id == cur.id ? list.front().id : list.back().id;
    ImGui::SameLine();
    // Comparing walks both logs: only again when either has changed.
    static std::tuple<const sim::Session*, int, int, std::size_t, std::uint64_t> key;
    static sim::Session::Divergence d;
    const auto now_key = std::make_tuple(&s, cur.id, other, list.size(), s.log().size());
    if (now_key != key) {
        key = now_key;
        d = s.compare(cur.id, other);
    }
    if (!d.diverged) {
        ImGui::TextDisabled("same events as branch %d so far", other);
    } else {
        if (ImGui::SmallButton("Side by side")) ui.start_compare_branch(other);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Both branches one above the other in the Compare tab, at this moment");
        ImGui::SameLine();
        ImGui::TextDisabled("differs from branch %d at event %llu (%s)", other, static_cast<unsigned long long>(d.first_event),
                           d.a ? (std::to_string(d.a->at) + " ms").c_str() : "its end");
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::Text("here:  %s", d.a ? narrate(*d.a).c_str() : "(no more events)");
            ImGui::Text("there: %s", d.b ? narrate(*d.b).c_str() : "(no more events)");
            ImGui::EndTooltip();
        }
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("Compare state now")) ImGui::OpenPopup("compare");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The broker's state on both branches at %lld ms, where it differs", static_cast<long long>(s.now()));
    if (ImGui::BeginPopup("compare")) {
        compare_state(s, cur.id, other);
        ImGui::EndPopup();
    }
}

}  // namespace

void draw_timeline(Ui& ui) {
    transport(ui);
    scrubber(ui);
    branches(ui);
}

}  // namespace driftq::ui
