// UI frame CPU time, headless (ImGui without a renderer), on a run of 1,000,000 messages over 64
// partitions with about 10,000 in flight: the whole window drawn zoomed out (lanes fitted),
// zoomed in, and while scrolling the lanes and the event log. Prints milliseconds per frame
// (median, p99, worst) and the largest draw list's vertex count for each view. Build it in the
// release preset: cmake --build --preset release --target bench_ui_frame.
//
//   bench_ui_frame [MESSAGES]      (default 1,000,000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "big_run.hpp"
#include "harness.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Figures {
    double p50 = 0, p99 = 0, worst = 0;
    std::size_t max_list_vertices = 0, vertices = 0;
};

template <class Before>
Figures measure(driftq::ui_test::Harness& h, int frames, Before before) {
    std::vector<double> ms;
    Figures f;
    for (int i = 0; i < frames; ++i) {
        before(i);
        const auto t0 = Clock::now();
        const auto s = h.frame();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        f.max_list_vertices = std::max(f.max_list_vertices, s.max_list_vertices);
        f.vertices = std::max(f.vertices, s.vertices);
    }
    std::sort(ms.begin(), ms.end());
    f.p50 = ms[ms.size() / 2];
    f.p99 = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
    f.worst = ms.back();
    return f;
}

void print(const char* view, const Figures& f) {
    std::printf("%-34s %8.2f %8.2f %8.2f %12zu %10zu\n", view, f.p50, f.p99, f.worst, f.max_list_vertices, f.vertices);
}

// The Flow panel over the big run: as Inspect's tab, and in the Learn layout (its own large
// window, the larger font), idle and while playing.
void flow_views(driftq::ui_test::Harness& h) {
    auto& st = h.ui().state();
    st.bring_to_front = driftq::ui::Panel::flow;
    measure(h, 4, [](int) {});
    print("Flow tab (Inspect), idle", measure(h, 120, [](int) {}));
    h.ui().set_layout(driftq::ui::Layout::learn);
    measure(h, 4, [](int) {});
    print("Learn layout (Flow), idle", measure(h, 120, [](int) {}));
    print("Learn layout, playing: UI part", measure(h, 120, [&](int) { h.ui().session().run_until(h.ui().session().now() + 16); }));
    h.ui().set_layout(driftq::ui::Layout::inspect);
}

// Every bundled lesson in the Learn layout at the middle of its run (messages moving in most),
// frames timed while it plays at 1x: the Flow panel's target is 4 ms on every one.
void flow_on_lessons() {
    driftq::ui_test::Harness h(1280, 720);
    h.read_text(false);
    h.ui().set_layout(driftq::ui::Layout::learn);
    std::printf("\nLearn layout at 1280x720, each bundled lesson from the middle of its run, playing at 1x (16 ms a frame):\n");
    std::printf("%-44s %8s %8s %8s\n", "lesson", "p50 ms", "p99 ms", "worst");
    double worst_p50 = 0, worst_p99 = 0;
    for (int n = 1; h.open_lesson(n); ++n) {
        const driftq::TimeMs mid = h.ui().session().world().scenario().until_ms / 2;
        h.ui().seek_now(mid);
        measure(h, 4, [](int) {});
        const Figures f = measure(h, 60, [&](int) { h.ui().session().run_until(h.ui().session().now() + 16); });
        std::printf("%-44s %8.2f %8.2f %8.2f\n", h.ui().scenario_name().c_str(), f.p50, f.p99, f.worst);
        worst_p50 = std::max(worst_p50, f.p50);
        worst_p99 = std::max(worst_p99, f.p99);
    }
    std::printf("%-44s %8.2f %8.2f\n", "worst over the lessons", worst_p50, worst_p99);
}

}  // namespace

// The big run's views; its harness is gone when this returns (one ImGui context at a time).
void big_run_views(int messages) {
    driftq::ui_test::Harness h(1600, 900);
    h.read_text(false);  // the tests' text probe is not part of a real frame
    const auto t0 = Clock::now();
    h.ui().open(driftq::ui_test::big_run(messages), "big-run");
    h.ui().session().run_until(h.ui().session().world().scenario().until_ms);
    const double build_s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::size_t in_flight = h.ui().session().world().broker()->in_flight_total();
    std::printf("run: %d messages, 64 partitions, %zu in flight, %llu events, built in %.1f s\n", messages, in_flight,
                static_cast<unsigned long long>(h.ui().session().visible_events()), build_s);
    auto& s = h.ui().state();
    std::printf("%-34s %8s %8s %8s %12s %10s\n", "view", "p50 ms", "p99 ms", "worst", "max list vtx", "vertices");
    // The first frames build the windows and the cached views, and the event log indexes the
    // log in slices of 250,000 events a frame: reported apart from the steady state.
    print("first 8 frames after opening", measure(h, 8, [](int) {}));
    print("zoomed out (fit), idle", measure(h, 120, [](int) {}));
    s.fit_lanes = false;
    s.lane_cell_px = 24.0f;
    print("zoomed in (24 px cells), idle", measure(h, 120, [](int) {}));
    print("zoomed in, panning", measure(h, 120, [&](int i) { s.lane_first = static_cast<double>(i) * 40.0; }));
    s.lane_cell_px = 0.2f;
    print("zoomed out (0.2 px/msg), panning", measure(h, 120, [&](int i) { s.lane_first = static_cast<double>(i) * 100.0; }));
    s.fit_lanes = true;
    s.follow_log = false;
    // Scroll the lanes (vertical) and the event log by wheel over their windows.
    const auto* lanes = h.find("Fit");
    const auto* log = h.find("Follow");
    print("scrolling lanes and event log", measure(h, 120, [&](int i) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = (i % 2 == 0 && lanes) ? ImVec2(lanes->rect.Min.x + 300, lanes->rect.Max.y + 150)
                                            : (log ? ImVec2(log->rect.Min.x, log->rect.Max.y + 100) : ImVec2(800, 700));
        io.MouseWheel = -1.0f;
    }));
    // Playing through the busy middle of the run at 1x: each frame the session replays 16 ms
    // (about 250 messages produced and dispatched) and the views are rebuilt. The session's
    // share is timed apart: it is the core's work, not drawing.
    h.ui().seek(h.ui().session().world().scenario().until_ms / 2);
    std::vector<double> advance;
    print("playing at 1x: UI part of the frame", measure(h, 120, [&](int) {
        const auto step_start = Clock::now();
        h.ui().session().run_until(h.ui().session().now() + 16);
        advance.push_back(std::chrono::duration<double, std::milli>(Clock::now() - step_start).count());
    }));
    std::sort(advance.begin(), advance.end());
    std::printf("%-34s %8.2f %8.2f %8.2f\n", "playing at 1x: session's 16 ms", advance[advance.size() / 2],
                advance[advance.size() * 99 / 100], advance.back());
    flow_views(h);
}

int main(int argc, char** argv) {
    big_run_views(argc > 1 ? std::atoi(argv[1]) : 1'000'000);
    flow_on_lessons();
    return 0;
}
