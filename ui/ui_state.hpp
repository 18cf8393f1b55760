// Everything the UI remembers that is not the broker's or the session's: which panels are open,
// the selection, filters, zoom and playback speed. Persisted through ImGui's ini handling (the
// host decides where the ini text lives), so a restart comes back as the person left it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/time.hpp"
#include "sim/session.hpp"

namespace driftq::ui {

enum class Panel : int {
    lanes, groups, in_flight, biography, events, timeline, plots, wal, lesson, scenario, actions,
    compare, flow, count
};
const char* panel_title(Panel p);  // the window title, also its ini name
std::optional<Panel> panel_named(std::string_view title);  // case-insensitive; "wal" finds "WAL"

// Learn: the Flow panel large in the centre, the lesson beside it in larger text and the timeline
// below, for someone meeting the broker; Inspect: every panel, for someone debugging delivery.
enum class Layout : int { inspect, learn };
const char* layout_name(Layout l);  // "Inspect", "Learn": the menu bar's switch and the ini value

struct UiState {
    Layout layout = Layout::inspect;  // the web host makes Learn the first visit's default
    bool open[static_cast<int>(Panel::count)] = {true, true, true, true, true, true, true, true,
                                                 true, false, true, false, true};
    bool& is_open(Panel p) { return open[static_cast<int>(p)]; }
    // A panel to open and bring to the front of its window at the next frame.
    std::optional<Panel> bring_to_front;

    // Selection: one message, shown in every panel.
    std::optional<sim::MessageRef> selected;
    // The scenario consumer whose menu the Flow panel has open (its index in World::consumers).
    std::optional<std::size_t> flow_member;
    // The held delivery whose menu (ack, nack) the Flow panel has open.
    struct HeldChoice {
        sim::MessageRef ref;
        std::string group, owner;
    };
    std::optional<HeldChoice> flow_held;

    // Dead letters chosen for a redrive (Actions and faults), and the preview worked out for
    // them: what each would become, on the branch and at the event count it was worked out at.
    std::vector<sim::MessageRef> redrive_chosen;
    std::vector<std::string> redrive_preview;
    std::tuple<int, std::uint64_t, std::size_t> redrive_preview_key{-1, 0, 0};

    // Playback. Speed is virtual ms per real ms, as 10^speed_log10 (1/1000x to 1000x).
    bool playing = false;
    float speed_log10 = 0.0f;
    bool pause_at_lesson_steps = true;

    // Partition lanes: the first log index shown and the width of one message cell in pixels.
    // fit_lanes: zoom so the longest partition fills the width (until the person zooms).
    double lane_first = 0;
    float lane_cell_px = 24.0f;
    bool fit_lanes = true;
    bool follow_tail = false;

    // Event log filters.
    std::string filter_text;  // matches the narrated line
    int filter_kind = -1;     // EventKind, -1 = all
    std::string filter_topic, filter_group, filter_key;
    bool follow_log = true;

    // Plots
    int plot_metric = 0;  // SeriesKey::Metric
    bool plot_per_partition = true;

    // In flight: the consumer name used by "ack as" and the nack reason typed.
    std::string act_as;
    std::string nack_reason = "failed";

    // Scenario panel: the path typed for Open, the name for Save, the last check's verdict.
    std::string open_path;
    std::string save_name = "my-session.json";
    std::string check_message;
    bool check_ok = false;

    double speed() const;
};

// Registers the "DriftQ" section with ImGui's ini handler (call once after CreateContext).
void register_ini_handler(UiState& state);

}  // namespace driftq::ui
