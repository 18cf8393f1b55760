#include "ui/ui.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>

#include "imgui.h"
#include "ui/panels.hpp"

namespace driftq::ui {

Ui::Ui(Host& host, std::vector<BundledScenario> bundled) : host_(host), bundled_(std::move(bundled)) {
    // Windows resize from any edge, not only from the grip in their corner. ImGui 1.86 allows
    // that only for a host that shows resize cursors; both hosts do (SDL sets the cursor shape,
    // the browser's canvas its CSS cursor), and the headless tests say so too.
    ImGuiIO& io = ImGui::GetIO();
    io.ConfigWindowsResizeFromEdges = true;
    io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
}

Ui::~Ui() = default;

bool Ui::open(const std::string& json, const std::string& name) {
    auto parsed = sim::parse_scenario(json, name);
    if (!parsed) {
        open_errors_ = parsed.error().message;
        set_status("Could not open " + name + ": see the Scenario panel", true);
        state_.is_open(Panel::scenario) = true;
        return false;
    }
    start(std::move(parsed).value(), name, json);
    return true;
}

void Ui::open(sim::Scenario scenario, const std::string& name) {
    std::string text = sim::write_scenario(scenario);  // built in code: the editor shows it as a file
    start(std::move(scenario), name, std::move(text));
}

void Ui::start(sim::Scenario scenario, const std::string& name, std::string editor_text) {
    open_errors_.clear();
    if (live_) {  // another session replaces the live view; the broker's commands stop here
        live_ = nullptr;
        set_storage_line("", false);
    }
    session_ = std::make_unique<sim::Session>(std::move(scenario));
    ++session_serial_;
    scenario_name_ = name;
    editor_text_ = std::move(editor_text);
    state_.selected.reset();
    state_.playing = false;
    state_.fit_lanes = true;
    state_.lane_first = 0;
    play_carry_ms_ = 0;
    views_key_ = {-1, 0, 0};
    wal_.reset();
    events_ = EventIndex{};
    stop_compare();
    set_status("Opened " + name + ". Press Play (Space) or step with the arrow keys.");
}

bool Ui::open_bundled(std::size_t index) {
    if (index >= bundled_.size()) return false;
    return open(bundled_[index].text, bundled_[index].file);
}

sim::CommandResult Ui::act(const sim::Command& c) {
    work_.reset();  // acting happens here and now, not where a seek in progress was going
    const bool forks = !session_->at_head();
    const sim::CommandResult r = session_->apply(c);
    std::string what = sim::describe(c);
    if (r.ok()) {
        set_status(what + ": ok" + (r.detail.empty() ? "" : " (" + r.detail + ")") +
                   (forks ? ". Acting in the past started a new branch." : ""));
    } else {
        set_status(what + ": refused: " + r.text(), true);
    }
    refresh_views();  // the panels drawn after this one in the frame see the new state
    return r;
}

TimeMs Ui::reachable(TimeMs t) const {
    // A live broker's branch has no history past what the broker has done yet.
    if (live_ && session_->branch() == 0) t = std::min(t, live_now_);
    return std::max<TimeMs>(0, t);
}

void Ui::seek(TimeMs t) {
    t = reachable(t);
    state_.playing = false;
    work_.reset();
    // Known history replays from a snapshot at most a few thousand events away: quick. New
    // history is run in budgeted steps when there is a budget.
    if (work_budget_ms_ <= 0 || t <= session_->head_time()) return seek_now(t);
    const TimeMs tick = std::max<TimeMs>(1, session_->world().scenario().broker.tick_ms);
    work_ = Work{session_->now(), t, tick};
    continue_work();
}

void Ui::seek_now(TimeMs t) {
    state_.playing = false;
    work_.reset();
    session_->seek(reachable(t));
    refresh_views();
}

std::optional<Ui::WorkProgress> Ui::work_progress() const {
    if (!work_) return std::nullopt;
    const double span = static_cast<double>(std::max<TimeMs>(1, work_->to - work_->from));
    return WorkProgress{work_->from, work_->to, static_cast<double>(session_->now() - work_->from) / span};
}

void Ui::cancel_work() {
    if (!work_) return;
    set_status("Stopped at " + std::to_string(session_->now()) + " ms on the way to " + std::to_string(work_->to) + " ms.");
    work_.reset();
    refresh_views();
}

// Runs the seek in progress for at most the frame's budget, in steps of virtual time that double
// while a step takes under a quarter of the budget, so that a run of a million messages and a
// quiet one both take a few steps a frame.
void Ui::continue_work() {
    if (!work_) return;
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const auto elapsed_ms = [&] { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); };
    while (session_->now() < work_->to && elapsed_ms() < work_budget_ms_) {
        const auto step_start = elapsed_ms();
        session_->run_until(std::min(work_->to, session_->now() + work_->slice));
        if (elapsed_ms() - step_start < work_budget_ms_ / 4) work_->slice = std::min<TimeMs>(work_->slice * 2, 1'000'000'000);
    }
    if (session_->now() >= work_->to) {
        work_.reset();
    } else {
        const auto p = *work_progress();
        set_status("Running to " + std::to_string(p.to) + " ms: " + std::to_string(static_cast<int>(p.fraction * 100)) +
                   "% (at " + std::to_string(session_->now()) + " ms). Esc or Cancel stops here.");
    }
    refresh_views();
}

void Ui::attach_live(LiveSource& source, sim::Scenario scenario) {
    scenario.until_ms = 0;  // no end: the scrubber spans what has happened
    open(std::move(scenario), "live");  // start() leaves any earlier live view
    session_->keep_first_branch();
    live_ = &source;
    live_now_ = 0;
    state_.playing = true;
    live_follow_ = true;  // it opens at the broker's edge, however long the broker has run
    set_status("Live: clients' requests appear as they happen. Space pauses the view (the broker goes on), L returns.");
}

void Ui::go_live() {
    if (!live_) {
        session_->go_live();
        return;
    }
    if (session_->branch() != 0) session_->switch_branch(0);
    session_->run_until(live_now_);
    state_.playing = true;
    live_follow_ = true;
    refresh_views();
}

bool Ui::can_step_forward(bool tick) const {
    if (!live_ || session_->branch() != 0) return true;
    const TimeMs now = session_->now();
    if (tick) return now + std::max<TimeMs>(1, session_->world().scenario().broker.tick_ms) <= live_now_;
    const auto next = session_->world().next_time();
    return next && *next <= live_now_;
}

void Ui::pull_live() {
    LiveSource::Batch b = live_->take();
    for (sim::TimedCommand& c : b.commands) session_->extend(c);
    live_commands_ += b.commands.size();
    live_now_ = std::max(live_now_, b.now);
    const TimeMs behind = live_now_ - session_->now();
    const std::string lag = std::to_string(behind / 1000) + "." + std::to_string(behind % 1000 / 100) + " s behind";
    std::string line = "LIVE  " + live_->describe() + "  " + std::to_string(live_commands_) + " commands";
    if (session_->branch() != 0) line += "  viewing a what-if branch (L: back to live)";
    else if (!state_.playing) line += "  view paused " + lag + " (L: live)";
    else if (!live_follow_) line += "  playing " + lag + " (L: live)";
    set_storage_line(std::move(line), false);
}

void Ui::play_live(double dt_seconds) {
    if (!state_.playing || session_->branch() != 0) {
        live_follow_ = false;
        return;
    }
    const TimeMs now = session_->now();
    // Following: at the broker's edge. Played from the past: forward at the chosen speed, like
    // a recording behind live, until it reaches the edge and follows again.
    TimeMs target = live_now_;
    if (!live_follow_ && now < live_now_) {
        play_carry_ms_ += std::clamp(dt_seconds, 0.0, 0.1) * 1000.0 * state_.speed();
        const double whole = std::floor(play_carry_ms_);
        play_carry_ms_ -= whole;
        target = std::min(live_now_, now + static_cast<TimeMs>(whole));
    }
    if (target > now) session_->run_until(target);
    if (session_->now() >= live_now_) live_follow_ = true;
}

void Ui::select(const sim::MessageRef& m) {
    state_.selected = m;
    state_.is_open(Panel::biography) = true;
}

void Ui::set_status(std::string text, bool error) {
    status_ = std::move(text);
    status_error_ = error;
}

int Ui::lesson_step() const {
    const auto& lessons = session_->world().scenario().lessons;
    int step = -1;
    for (std::size_t i = 0; i < lessons.size(); ++i) {
        if (lessons[i].at <= session_->now()) step = static_cast<int>(i);
    }
    return step;
}

void Ui::refresh_views() {
    events_.update(*session_);
    const std::tuple<int, std::size_t, std::uint64_t> key{session_->branch(), events_.generation(),
                                                           session_->visible_events()};
    if (key == views_key_) return;
    views_key_ = key;
    wal_.reset();
    lane_flights_.clear();
    flight_lanes_.reset();
    flight_rows_ = 0;
    dead_.clear();
    const std::uint64_t visible = session_->visible_events();
    for (const EventIndex::Dead& d : events_.dead()) {
        if (d.pos < visible) dead_[{d.topic, d.group, d.partition}].push_back(d.offset);
    }
    for (auto& [k, offsets] : dead_) std::sort(offsets.begin(), offsets.end());
    skipped_.clear();
    for (const EventIndex::Skip& k : events_.skipped()) {
        if (k.visible_at(visible)) skipped_[{k.topic, k.group, k.partition}].push_back(k.offset);
    }
    for (auto& [k, offsets] : skipped_) std::sort(offsets.begin(), offsets.end());
}

std::span<const InFlightView> Ui::in_flight_of(const std::string& topic, const std::string& group,
                                               std::int32_t partition) {
    const Broker* b = session_->world().broker();
    if (!b) return {};
    LaneKey k{topic, group, partition};
    auto it = lane_flights_.find(k);
    if (it == lane_flights_.end()) it = lane_flights_.emplace(std::move(k), b->in_flight_view(topic, group, partition)).first;
    return it->second;
}

void Ui::index_flight_lanes() {
    if (flight_lanes_) return;
    flight_lanes_.emplace();
    flight_rows_ = 0;
    const Broker* b = session_->world().broker();
    if (!b) return;
    for (const auto& [tname, t] : b->topics()) {
        for (const auto& [gname, g] : t.groups) {
            for (std::size_t p = 0; p < g.partitions.size(); ++p) {
                const std::size_t n = g.partitions[p].in_flight.size();
                if (n == 0) continue;
                flight_lanes_->push_back({{tname, gname, static_cast<std::int32_t>(p)}, flight_rows_});
                flight_rows_ += n;
            }
        }
    }
}

std::size_t Ui::in_flight_count() {
    index_flight_lanes();
    return flight_rows_;
}

const InFlightView& Ui::in_flight_row(std::size_t row) {
    index_flight_lanes();
    assert(row < flight_rows_ && "rows come from in_flight_count()");
    const auto& lanes = *flight_lanes_;
    const auto lane = std::prev(std::upper_bound(lanes.begin(), lanes.end(), row,
                                                 [](std::size_t r, const FlightLane& l) { return r < l.first_row; }));
    const auto& [topic, group, partition] = lane->lane;
    return in_flight_of(topic, group, partition)[row - lane->first_row];
}

std::span<const std::int64_t> Ui::dead_offsets(const std::string& topic, const std::string& group,
                                               std::int32_t partition) {
    const auto it = dead_.find({topic, group, partition});
    if (it == dead_.end()) return {};
    return it->second;
}

std::span<const std::int64_t> Ui::skipped_offsets(const std::string& topic, const std::string& group,
                                                  std::int32_t partition) {
    const auto it = skipped_.find({topic, group, partition});
    if (it == skipped_.end()) return {};
    return it->second;
}

const sim::WalView& Ui::wal() {
    if (!wal_) wal_ = session_->world().wal_view();
    return *wal_;
}

void Ui::play(double dt_seconds) {
    if (live_ && session_->branch() == 0) return play_live(dt_seconds);
    if (!state_.playing) return;
    if (waiting_for_task()) {  // the run waits at a task's step until its goal holds
        state_.playing = false;
        set_status("The run waits for this step's task: do it (the lesson says what), or press Skip to see a solution.");
        return;
    }
    // A hidden window or a long stall must not turn into a jump: at most a tenth of a second.
    const double dt = std::clamp(dt_seconds, 0.0, 0.1);
    play_carry_ms_ += dt * 1000.0 * state_.speed();
    const double whole = std::floor(play_carry_ms_);
    if (whole < 1) return;
    play_carry_ms_ -= whole;
    const TimeMs now = session_->now();
    TimeMs target = now + static_cast<TimeMs>(whole);
    // Stop where the next lesson step begins, and at the scenario's end, so nothing is missed;
    // always at a step with a task.
    for (const sim::Lesson& l : session_->world().scenario().lessons) {
        if (l.at > now && l.at <= target && (state_.pause_at_lesson_steps || l.task)) {
            target = l.at;
            state_.playing = false;
            set_status(l.task ? "A task: the lesson says what to do; the run waits until it is done (or Skip)."
                              : "Paused at the next lesson step. Press Play (Space) to go on.");
            break;
        }
    }
    const TimeMs end = session_->world().scenario().until_ms;
    if (now < end && target >= end) {
        target = end;
        state_.playing = false;
        set_status("The scenario's end (" + std::to_string(end) + " ms). Play goes on past it; the broker keeps ticking.");
    }
    session_->run_until(target);
    play_carry_ms_ = state_.playing ? play_carry_ms_ : 0;
}

void Ui::shortcuts() {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;
    if (work_ && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) cancel_work();
    auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k)); };
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) state_.playing = !state_.playing;
    if (pressed(ImGuiKey_RightArrow) && can_step_forward(io.KeyShift)) {
        state_.playing = false;
        if (io.KeyShift) session_->step_tick();
        else session_->step_event();
    }
    if (pressed(ImGuiKey_LeftArrow)) {
        state_.playing = false;
        if (io.KeyShift) session_->step_tick_back();
        else session_->step_event_back();
    }
    // Keys named by the character they type: ImGui 1.86 maps only a few keys by name, and the
    // typed character is the same on every keyboard layout and platform.
    for (const ImWchar c : io.InputQueueCharacters) {
        if (c == '[') state_.speed_log10 = std::max(-3.0f, state_.speed_log10 - 0.5f);
        if (c == ']') state_.speed_log10 = std::min(3.0f, state_.speed_log10 + 0.5f);
        if ((c == 'l' || c == 'L') && !io.KeyCtrl) {
            state_.playing = false;
            go_live();
        }
    }
}

void Ui::frame(double dt_seconds) {
    ++frames_;
    if (!session_) state_.is_open(Panel::scenario) = true;  // the only way to start
    if (session_ && live_) pull_live();
    if (session_ && work_ && state_.playing) work_.reset();  // Play takes over from a seek
    if (session_ && work_) continue_work();
    if (session_) {
        if (state_.playing && !was_playing_ && !live_) {
            set_status("Playing: Space pauses, Left and Right step, the scrubber goes anywhere.");
        }
        was_playing_ = state_.playing;
        play(dt_seconds);
        count_task_time(dt_seconds);
        shortcuts();
        sync_compare();
        refresh_views();
    }
    draw_menu();
    draw_windows();
    draw_status_bar();
    draw_notice();
}

}  // namespace driftq::ui
