// The visualiser: one interactive session of a scenario and everything the panels share. Panels
// (panel_*.cpp) draw from const views of the session and act only through Commands (act()), so
// whatever a person does is in the session's timeline and replays. The host (desktop or web)
// owns the window and ImGui's frame; it calls frame() between ImGui::NewFrame and ImGui::Render.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "sim/session.hpp"
#include "sim/tasks.hpp"
#include "sim/what_if.hpp"
#include "ui/event_index.hpp"
#include "ui/host.hpp"
#include "ui/live_source.hpp"
#include "ui/ui_state.hpp"

namespace driftq::ui {

// The work budget both hosts give a frame (set_work_budget_ms): long seeks never freeze them.
inline constexpr double kHostWorkBudgetMs = 25;

class Ui {
public:
    Ui(Host& host, std::vector<BundledScenario> bundled);
    ~Ui();
    Ui(const Ui&) = delete;
    Ui& operator=(const Ui&) = delete;

    // Starts a session on a scenario. On a parse error the current session stays and the
    // errors (file, JSON path, what was expected) are in open_errors(); returns false.
    bool open(const std::string& json, const std::string& name);
    // Starts a session on a scenario built in code (tests, benchmarks).
    void open(sim::Scenario scenario, const std::string& name);
    bool open_bundled(std::size_t index);
    const std::string& open_errors() const { return open_errors_; }
    const std::vector<BundledScenario>& bundled() const { return bundled_; }
    const std::string& scenario_name() const { return scenario_name_; }

    // One frame: playback by `dt_seconds` of wall time (clamped), keyboard shortcuts, then every
    // open panel.
    void frame(double dt_seconds);

    // --- a live broker (driftq-viz --listen): a session on its scenario that mirrors it. Play
    // follows the broker; pausing or scrolling back leaves it running; go_live() returns.
    void attach_live(LiveSource& source, sim::Scenario scenario);
    bool is_live() const { return live_ != nullptr; }
    TimeMs live_now() const { return live_now_; }
    // Whether the view is at the live broker's edge and keeps up with it.
    bool following_live() const { return live_ && state_.playing && live_follow_ && session_->branch() == 0; }
    // Back to the latest moment: the live broker's (on its branch), else the branch's head.
    void go_live();
    // Whether stepping forward by one event or tick stays within what has happened (always, but
    // on a live broker's branch, whose future has not been written yet).
    bool can_step_forward(bool tick) const;

    // --- "What if...": the same scenario with one option changed, run beside this one and kept
    // at the same moment, for the Compare panel.
    struct Comparison {
        std::optional<sim::WhatIf> what_if;  // none: another branch of this session
        std::string label;                   // "the contiguous commit rule"
        std::unique_ptr<sim::Session> other;
        EventIndex events;                   // the other run's, for its lanes
        // The first event (1-based seq) where the two runs part, found over the whole of both runs
        // up to the scenario's end when the comparison starts; 0 if they never do.
        std::uint64_t first_difference = 0;
        std::optional<Event> ours, theirs;   // that event on each side
        TimeMs difference_at = 0;
        bool tab_seen_open = false;          // the Compare tab has been open since it started
    };
    // Starts a comparison with `w` applied to this session's scenario (with the person's commands
    // on this branch); false, with the reason in the status bar, if the change does not apply.
    bool start_compare(const sim::WhatIf& w);
    // Compares this branch with another of the session's branches the same way.
    void start_compare_branch(int id);
    void stop_compare();
    const Comparison* comparison() const { return compare_.get(); }
    Comparison* comparison() { return compare_.get(); }

    // --- for panels
    bool has_session() const { return session_ != nullptr; }
    // Counts sessions started: a host tells a new session from the one it saw last.
    std::uint64_t session_serial() const { return session_serial_; }
    sim::Session& session() { return *session_; }
    const sim::Session& session() const { return *session_; }
    UiState& state() { return state_; }
    Host& host() { return host_; }
    // Applies a command at the session's time (forking when in the past) and reports the result
    // in the status bar. Returns it.
    sim::CommandResult act(const sim::Command& c);
    // Moves the cursor. Into history not run yet this can take long (a long scenario, millions of
    // messages): with a work budget set, it runs for at most that long a frame and goes on in the
    // next frames, with a progress line and a way to cancel (work_progress()). seek_now() always
    // finishes before it returns (the page's test hook, benchmarks).
    void seek(TimeMs t);
    void seek_now(TimeMs t);
    // Wall time a frame may spend running a seek forward; 0 (the default) means no limit.
    void set_work_budget_ms(double ms) { work_budget_ms_ = ms; }
    struct WorkProgress {
        TimeMs from = 0, to = 0;  // the seek's start and target
        double fraction = 0;
    };
    std::optional<WorkProgress> work_progress() const;
    // Stops a seek in progress where it has got to.
    void cancel_work();
    void select(const sim::MessageRef& m);
    void set_status(std::string text, bool error = false);
    // A message the person must read before going on (a modal with OK): a storage error, a
    // share link that does not match, what a reload recovered. Several wait their turn, in order.
    // `copyable`, if any, is shown in a field the person can select and copy (a share link).
    void notify(std::string title, std::string body, bool warning = false, std::string copyable = {});
    struct Notice {
        std::string title, body;
        bool warning = false;
        std::string copyable;
    };
    // The notice on screen (the oldest waiting), or null.
    const Notice* notice() const { return notices_.empty() ? nullptr : &notices_.front(); }
    // The host's persistence line, right of the status bar ("Saved in this browser ...").
    void set_storage_line(std::string text, bool error = false);
    // Text of the session's trace (NDJSON, one event a line) up to the cursor.
    std::string trace_text() const;
    const std::string& status() const { return status_; }
    bool status_is_error() const { return status_error_; }

    // Derived views, built when first asked for and kept until the state changes, so a frame
    // pays only for what is on screen. Spans stay valid until the next act(), seek() or frame.
    std::span<const InFlightView> in_flight_of(const std::string& topic, const std::string& group,
                                               std::int32_t partition);
    // Every in-flight delivery as one list (topics, groups, partitions, offsets ascending),
    // addressed by row without building the rows not shown.
    std::size_t in_flight_count();
    const InFlightView& in_flight_row(std::size_t row);
    std::span<const std::int64_t> dead_offsets(const std::string& topic, const std::string& group,
                                               std::int32_t partition);
    // Messages the group's commit passed that it never acked, at the cursor (EventIndex::Skip).
    std::span<const std::int64_t> skipped_offsets(const std::string& topic, const std::string& group,
                                                  std::int32_t partition);
    const sim::WalView& wal();
    EventIndex& events() { return events_; }
    // Lesson steps: the index of the step at the cursor (-1 before the first).
    int lesson_step() const;
    // --- lesson tasks (ui/lesson_task.cpp)
    // The task of the step at the cursor, asked of the world there; none if the step has none.
    std::optional<sim::TaskStatus> task_here() const;
    // The run waits: the cursor is at a step whose task is not solved yet, so Play and Next
    // stay there (stepping and the scrubber still move).
    bool waiting_for_task() const;
    // Skip: applies the step's solution, command by command, as the person's own (it records).
    void skip_task();
    // Whether the hint of the task at the cursor is shown: after kHintAfterSeconds of wall time
    // on the unsolved step.
    bool show_hint() const { return task_seconds_ >= kHintAfterSeconds; }
    static constexpr double kHintAfterSeconds = 20;
    // The scenario editor's text (the Scenario panel).
    std::string& editor_text() { return editor_text_; }
    // Requests the layout be placed again (View > Reset layout).
    void reset_layout() { layout_reset_ = true; }
    // Learn or Inspect (ui_state.hpp): switches, puts the windows where that layout has them.
    void set_layout(Layout l);
    std::uint64_t frame_count() const { return frames_; }

private:
    // A new session on a parsed scenario, its text in the editor.
    void start(sim::Scenario scenario, const std::string& name, std::string editor_text);
    void play(double dt_seconds);
    void count_task_time(double dt_seconds);
    void shortcuts();
    void refresh_views();
    void draw_menu();
    void draw_layout_switch();
    void draw_status_bar();
    void draw_windows();
    void draw_file_menu();
    void draw_notice();
    void draw_what_if_menu();
    // t as far as the cursor may go: not before 0, nor past what a live broker has done.
    TimeMs reachable(TimeMs t) const;
    void sync_compare();
    void continue_work();
    double work_budget_ms_ = 0;
    struct Work {
        TimeMs from = 0, to = 0;
        TimeMs slice = 1;  // virtual time run per step, grown while steps are quick
    };
    std::optional<Work> work_;
    std::unique_ptr<Comparison> compare_;
    void start_compare_with(std::optional<sim::WhatIf> w, sim::Scenario other, std::string label);

    Host& host_;
    std::vector<BundledScenario> bundled_;
    std::unique_ptr<sim::Session> session_;
    std::string scenario_name_;
    std::string open_errors_;
    std::string editor_text_;
    UiState state_;
    EventIndex events_;
    std::string status_;
    bool status_error_ = false;
    std::deque<Notice> notices_;
    bool notice_opened_ = false;
    std::string storage_line_;
    bool storage_error_ = false;
    double play_carry_ms_ = 0;
    bool was_playing_ = false;
    LiveSource* live_ = nullptr;
    TimeMs live_now_ = 0;
    bool live_follow_ = false;  // at the live broker's edge, keeping up with it
    std::uint64_t live_commands_ = 0;
    void pull_live();
    void play_live(double dt_seconds);
    bool layout_reset_ = true;
    std::uint64_t frames_ = 0;
    std::uint64_t session_serial_ = 0;
    // Wall seconds spent on the unsolved task at `task_step_` of session `task_serial_`.
    double task_seconds_ = 0;
    int task_step_ = -1;
    std::uint64_t task_serial_ = 0;

    // cached views and the state they were built for
    std::tuple<int, std::size_t, std::uint64_t> views_key_{-1, 0, 0};
    using LaneKey = std::tuple<std::string, std::string, std::int32_t>;
    std::map<LaneKey, std::vector<InFlightView>> lane_flights_;
    struct FlightLane {
        LaneKey lane;
        std::size_t first_row = 0;
    };
    std::optional<std::vector<FlightLane>> flight_lanes_;  // lanes with deliveries in flight
    std::size_t flight_rows_ = 0;
    void index_flight_lanes();
    std::map<std::tuple<std::string, std::string, std::int32_t>, std::vector<std::int64_t>> dead_;
    std::map<std::tuple<std::string, std::string, std::int32_t>, std::vector<std::int64_t>> skipped_;
    std::optional<sim::WalView> wal_;
};

}  // namespace driftq::ui
