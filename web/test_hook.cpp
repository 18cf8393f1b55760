// What window.__driftq (web/glue_pre.js) reads: the page's state as JSON and where the UI's items
// are. End-to-end tests use it to check what a click did and to find what to click; they act only
// through real mouse and keyboard events.
#include <emscripten.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"
#include "ui/flow_model.hpp"
#include "ui/drawn_text.hpp"
#include "ui/item_recorder.hpp"
#include "ui/lesson_checks.hpp"
#include "ui/sdl_frame_input.hpp"
#include "web/app.hpp"

namespace {

using nlohmann::json;
using driftq::web::App;

// FNV-1a 64 of the trace up to the cursor (its NDJSON text), as web/share_link.js hashes (hex).
// Event by event: a million-event trace is half a gigabyte of text.
std::string trace_hash(const driftq::sim::Session& s) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    const auto add = [&](unsigned char c) { h = (h ^ c) * 0x100000001b3ull; };
    for (std::uint64_t i = 0; i < s.visible_events(); ++i) {
        for (unsigned char c : driftq::to_json(s.log()[static_cast<std::size_t>(i)])) add(c);
        add('\n');
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

// The last `n` events up to the cursor, as the event log words them.
json last_events(const driftq::sim::Session& s, std::uint64_t n) {
    json out = json::array();
    const std::uint64_t end = s.visible_events();
    for (std::uint64_t i = end > n ? end - n : 0; i < end; ++i) out.push_back(driftq::to_text(s.log()[static_cast<std::size_t>(i)]));
    return out;
}

// The lesson panel's checks as it lists them: the tally and each line's verdict.
json checks_state(const driftq::sim::Session& s) {
    const driftq::ui::LessonChecks c = driftq::ui::lesson_checks(s);
    json lines = json::array();
    for (const driftq::ui::CheckLine& l : c.lines) {
        using S = driftq::ui::CheckLine::Status;
        lines.push_back({{"status", l.status == S::passed ? "pass" : l.status == S::failed ? "FAIL" : "waiting"}, {"text", l.text}});
    }
    return {{"passed", c.passed}, {"failed", c.failed}, {"waiting", c.waiting}, {"at_end", c.at_end}, {"lines", lines}};
}

// The Flow panel's scene, in brief: who is drawn and what is moving, how far along.
json flow_state(driftq::ui::Ui& ui) {
    const driftq::ui::FlowScene scene = driftq::ui::flow_scene(ui);
    json producers = json::array(), members = json::array(), moves = json::array();
    for (const auto& p : scene.producers) producers.push_back(p.name);
    for (const auto& m : scene.members) {
        json held = json::array();
        for (const auto& h : m.held) held.push_back({{"offset", h.ref.offset}, {"attempts", h.attempts}, {"lease_left", h.lease_left}});
        members.push_back({{"name", m.name}, {"group", m.group}, {"state", m.state}, {"held", held}});
    }
    const char* ends[] = {"producer", "partition", "member", "wal"};
    for (const auto& m : scene.moves) {
        moves.push_back({{"kind", driftq::ui::to_string(m.kind)}, {"progress", m.progress}, {"count", m.count},
                         {"from", ends[static_cast<int>(m.from.kind)]}, {"to", ends[static_cast<int>(m.to.kind)]}, {"offset", m.ref.offset}});
    }
    return {{"broker_down", scene.broker_down}, {"producers", producers}, {"members", members}, {"moves", moves}};
}

json session_state(App& a) {
    driftq::ui::Ui& ui = *a.ui;
    const driftq::sim::Session& s = ui.session();
    const driftq::Broker* broker = s.world().broker();
    const driftq::sim::WalView& wal = ui.wal();
    return {{"scenario", ui.scenario_name()},
            {"now_ms", s.now()},
            {"events", s.visible_events()},
            {"branch", s.branch()},
            {"commands", s.commands().size()},
            {"playing", ui.state().playing},
            {"live", ui.is_live()},
            {"live_now_ms", ui.live_now()},
            {"lesson_step", ui.lesson_step()},
            {"lesson_steps", s.world().scenario().lessons.size()},
            {"until_ms", s.world().scenario().until_ms},
            {"checks", checks_state(s)},
            {"task", ui.task_here() ? json{{"waiting", ui.waiting_for_task()}, {"solved", ui.task_here()->solved()}} : json(nullptr)},
            {"flow", flow_state(ui)},
            {"broker_running", broker != nullptr},
            {"committed", broker ? json(driftq::web::committed_offsets(*broker)) : json::object()},
            {"wal", {{"enabled", wal.enabled}, {"appended", wal.appended}, {"durable", wal.durable}}},
            {"last_events", last_events(s, 5)}};
}

json saved_state(const driftq::web::SavedPlayground& saved) {
    const driftq::web::IdbStorage& st = saved.storage();
    const driftq::web::RecoveredWal& r = saved.recovered();
    return {{"loaded_files", st.loaded_files()},
            {"epochs_confirmed", saved.epochs_confirmed()},
            {"in_flight", st.in_flight()},
            {"durable_records", saved.durable_records()},
            {"error", static_cast<int>(st.error())},
            {"error_text", st.error_text()},
            {"recovered",
             {{"attempted", r.attempted}, {"records", r.records}, {"committed", r.committed}, {"matches_run", r.matches_run}, {"error", r.error}}}};
}

char* to_c(const json& j) { return strdup(j.dump().c_str()); }

// p50, p95 and worst of the latest frames' CPU time.
json frame_times(const App& a) {
    const std::size_t n = std::min<std::size_t>(a.frames, a.frame_ms.size());
    std::vector<double> t(a.frame_ms.begin(), a.frame_ms.begin() + static_cast<std::ptrdiff_t>(n));
    std::sort(t.begin(), t.end());
    if (t.empty()) return json::object();
    return {{"n", n}, {"p50", t[n / 2]}, {"p95", t[n * 95 / 100]}, {"max", t.back()}};
}

}  // namespace

extern "C" {

// The trace hash apart from the state: it reads the whole trace.
EMSCRIPTEN_KEEPALIVE char* driftq_trace_hash() {
    const driftq::web::App& a = driftq::web::app();
    return strdup(a.ui->has_session() ? trace_hash(a.ui->session()).c_str() : "");
}

EMSCRIPTEN_KEEPALIVE char* driftq_state_json() {
    App& a = driftq::web::app();
    json j = {{"frames", a.ui->frame_count()}, {"status", a.ui->status()}, {"has_session", a.ui->has_session()},
              {"layout", driftq::ui::layout_name(a.ui->state().layout)}};
    if (a.ui->has_session()) j["session"] = session_state(a);
    j["saved"] = saved_state(*a.saved);
    j["frame_ms"] = frame_times(a);
    {  // ImGui's input state, to tell a stuck press from a lost click
        const ImGuiContext& g = *ImGui::GetCurrentContext();
        j["imgui"] = {{"active_id", g.ActiveId}, {"active_window", g.ActiveIdWindow ? g.ActiveIdWindow->Name : ""},
                      {"hovered_window", g.HoveredWindow ? g.HoveredWindow->Name : ""},
                      {"mouse_down", ImGui::GetIO().MouseDown[0]}, {"moving_window", g.MovingWindow ? g.MovingWindow->Name : ""},
                      {"open_popups", g.OpenPopupStack.Size}, {"sdl_button_events", driftq::ui::button_events_seen()},
                      {"mouse_pos", {ImGui::GetIO().MousePos.x, ImGui::GetIO().MousePos.y}}};
    }
    const driftq::ui::Ui::Notice* n = a.ui->notice();
    j["notice"] = n ? json{{"title", n->title}, {"body", n->body}, {"warning", n->warning}, {"copyable", n->copyable}} : json(nullptr);
    return to_c(j);
}

// The text the last frame drew, read back from its glyphs, one run a line: what a person reads.
EMSCRIPTEN_KEEPALIVE char* driftq_drawn_text() {
    const ImDrawData* d = ImGui::GetDrawData();
    return strdup(d ? driftq::ui::join_lines(driftq::ui::drawn_text(*d)).c_str() : "");
}

// The same runs with where they are, in CSS pixels: [{text, x, w, y, h, window, cut}], so a test
// can point at something the UI drew without being an item (a lane's label, a cell beside it) and
// find text cut off where a person cannot scroll to the rest.
EMSCRIPTEN_KEEPALIVE char* driftq_drawn_runs_json() {
    const ImDrawData* d = ImGui::GetDrawData();
    const double dpr = driftq::web::app().dpr > 0 ? driftq::web::app().dpr : 1.0;
    json out = json::array();
    if (d) {
        for (const driftq::ui::TextRun& r : driftq::ui::drawn_text(*d)) {
            if (r.x.empty()) continue;
            out.push_back({{"text", r.text}, {"x", r.x.front() / dpr}, {"w", (r.x.back() - r.x.front()) / dpr},
                           {"y", r.y / dpr}, {"h", r.height / dpr}, {"window", r.window},
                           {"cut", driftq::ui::cut_out_of_reach(r)}});
        }
    }
    return to_c(out);
}

// Moves the cursor as the scrubber does (benchmarks: build a long run without playing it).
EMSCRIPTEN_KEEPALIVE void driftq_seek(double ms) {
    driftq::ui::Ui& ui = *driftq::web::app().ui;
    if (ui.has_session() && ms >= 0) ui.seek_now(static_cast<driftq::TimeMs>(ms));
}

// Items of the last frame in CSS pixels (ImGui works in canvas pixels: device pixels).
EMSCRIPTEN_KEEPALIVE char* driftq_items_json() {
    const double dpr = driftq::web::app().dpr > 0 ? driftq::web::app().dpr : 1.0;
    json out = json::array();
    for (const driftq::ui::RecordedItem& it : driftq::ui::ItemRecorder::items()) {
        if (it.label.empty()) continue;
        out.push_back({{"label", it.label}, {"window", it.window}, {"x", it.rect.Min.x / dpr}, {"y", it.rect.Min.y / dpr},
                       {"w", it.rect.GetWidth() / dpr}, {"h", it.rect.GetHeight() / dpr}});
    }
    return to_c(out);
}

}  // extern "C"
