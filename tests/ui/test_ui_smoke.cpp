// Every panel drawn headless against several states, checking what was drawn: the texts shown,
// the items laid out and the draw data (vertex counts, no draw list over 16-bit limits unless
// indices are 32-bit), not only that nothing crashed.
#include <doctest/doctest.h>

#include <cstdlib>

#include "big_run.hpp"
#include "harness.hpp"

namespace driftq::ui_test {

namespace {

// Brings every tab of the tabbed windows to the front in turn, drawing each.
void draw_every_tab(Harness& h) {
    for (const char* tab : {"Events", "Lag and throughput", "WAL", "Events"}) {
        REQUIRE_MESSAGE(h.click_text(tab), "no tab " << tab);
    }
}

}  // namespace

TEST_CASE("smoke: no scenario open shows the scenario panel with a way to open one") {
    Harness h;
    h.frame();
    h.frame();
    CHECK(h.find("Open") != nullptr);
    CHECK(h.find("Check") != nullptr);
    CHECK(h.find("Crash the broker") == nullptr);  // nothing to act on yet
}

TEST_CASE("smoke: lesson 1 at the start") {
    Harness h;
    REQUIRE(h.open_lesson(1));
    const FrameStats s = h.frame();
    h.frame();
    CHECK(h.shows("first-produce-consume"));
    CHECK(h.shows("Step 1 of 3"));
    CHECK(h.shows("Topic orders created with 1 partition(s)"));
    for (const char* label : {"Play", "Event >>", "Crash the broker", "Produce", "Fit"}) CHECK_MESSAGE(h.find(label), label);
    CHECK(s.vertices > 1000);
    CHECK(s.lists >= 8);
}

TEST_CASE("smoke: mid-run, a message dead-lettered") {
    Harness h;
    REQUIRE(h.open_lesson(8));
    h.ui().session().run_until(1600);
    h.frame();
    h.frame();
    draw_every_tab(h);
    CHECK(h.shows("Step 2 of 3"));
    CHECK(h.shows("pass"));
    CHECK(h.shows("dlq_count orders == 1"));
    CHECK(h.shows("gave up after 3 attempt(s) and moved to dlq.orders"));
    CHECK(h.shows("billing"));  // the group table
    CHECK(h.shows("This scenario runs without a WAL") == false);  // the Events tab is in front again
}

TEST_CASE("smoke: after a broker crash and the WAL replay") {
    Harness h;
    REQUIRE(h.open_lesson(15));
    h.ui().session().run_until(1600);  // crashed at 1500
    h.frame();
    h.frame();
    CHECK(h.shows("The broker is down"));
    CHECK(h.find("Restart the broker") != nullptr);
    h.ui().session().run_until(6000);  // the lesson restarts it
    h.frame();
    REQUIRE(h.click_text("WAL"));
    CHECK(h.shows("Last restart at"));
    CHECK(h.shows("records replayed"));
    CHECK(h.shows("durable: records 0.."));
    CHECK(h.shows("Segments:"));
}

TEST_CASE("smoke: after a fork the timeline lists both branches and where they differ") {
    Harness h;
    REQUIRE(h.open_lesson(4));
    h.ui().session().run_until(1200);
    h.ui().session().seek(600);
    sim::Command c;
    c.kind = sim::Command::Kind::produce;
    c.topic = "orders";
    c.key = "late";
    c.value = "x";
    REQUIRE(h.ui().act(c).ok());
    h.frame();
    h.frame();
    CHECK(h.ui().session().branches().size() == 2);
    CHECK(h.shows("differs from branch 0 at event"));
    CHECK(h.shows("Acting in the past started a new branch"));
    CHECK(h.shows("branch 1 (from 0 at 600 ms)"));
    // The state comparison lists what only this branch has: the produced message "late".
    REQUIRE(h.click("Compare state now"));
    h.frame();
    CHECK(h.shows("At 600 ms, branch 1 against branch 0:"));
    CHECK(h.shows("late"));
}

TEST_CASE("smoke: a large run keeps every draw list small and draws only what is on screen") {
    // DRIFTQ_UI_BIG_MESSAGES: 1,000,000 in the plain test build (tests/ui/CMakeLists.txt), the
    // default 200,000 under the sanitizers.
    const char* env = std::getenv("DRIFTQ_UI_BIG_MESSAGES");
    const int messages = env ? std::atoi(env) : 200'000;
    Harness h;
    h.ui().open(big_run(messages), "big-run");
    h.ui().session().run_until(h.ui().session().world().scenario().until_ms);
    REQUIRE(h.ui().session().world().broker()->in_flight_total() > 9'000);
    FrameStats s = h.frame();
    s = h.frame();
    draw_every_tab(h);
    s = h.frame();
    const std::size_t flying = h.ui().session().world().broker()->in_flight_total();
    CHECK(h.shows("orders / billing"));
    CHECK(h.shows(std::to_string(flying) + " in flight"));
    CHECK(h.shows("orders p0"));
    // Folded: a handful of rectangles per visible lane, nowhere near one per message.
    CHECK(s.max_list_vertices < 65'536);
    CHECK(s.vertices < 100'000);
    // Zoomed in to 40 px cells: each visible cell is drawn with its offset, still only those on
    // screen (the first lanes start with in-flight cells: offsets 0, 1, ... of the topic).
    h.ui().state().fit_lanes = false;
    h.ui().state().lane_cell_px = 40.0f;
    const FrameStats in = h.frame();
    CHECK(in.vertices > s.vertices);
    CHECK(in.vertices < 100'000);  // one lane of 40 px cells across the window, not a million
    CHECK(in.max_list_vertices < 65'536);
    const PartitionLog& p0 = h.ui().session().world().broker()->find_topic("orders")->partitions[0];
    CHECK(h.shows(std::to_string(p0.messages[1].offset)));
}

}  // namespace driftq::ui_test

namespace driftq::ui_test {

TEST_CASE("UI state (panels, speed, zoom, filters) survives through ImGui's ini text") {
    std::string ini;
    {
        Harness h;
        REQUIRE(h.open_lesson(1));
        h.frame();
        ui::UiState& s = h.ui().state();
        s.is_open(ui::Panel::wal) = false;
        s.speed_log10 = -1.5f;
        s.fit_lanes = false;
        s.lane_cell_px = 12.5f;
        s.filter_kind = static_cast<int>(EventKind::acked);
        s.filter_topic = "orders";
        s.filter_text = "lease ran out";
        s.plot_per_partition = false;
        h.frame();
        ini = ImGui::SaveIniSettingsToMemory();
    }
    Harness h;
    ImGui::LoadIniSettingsFromMemory(ini.c_str(), ini.size());
    const ui::UiState& s = h.ui().state();
    CHECK_FALSE(s.open[static_cast<int>(ui::Panel::wal)]);
    CHECK(s.open[static_cast<int>(ui::Panel::lanes)]);
    CHECK(s.speed_log10 == doctest::Approx(-1.5));
    CHECK_FALSE(s.fit_lanes);
    CHECK(s.lane_cell_px == doctest::Approx(12.5));
    CHECK(s.filter_kind == static_cast<int>(EventKind::acked));
    CHECK(s.filter_topic == "orders");
    CHECK(s.filter_text == "lease ran out");
    CHECK_FALSE(s.plot_per_partition);
}

}  // namespace driftq::ui_test
