// A layout nothing is cut from: every panel of three lessons drawn at the browser's two common
// sizes, each tab brought to the front, and every run of text read back from its glyphs; a run
// whose last glyph crosses the right edge of the rectangle it was clipped to is text a person
// sees cut off. Text must fit or wrap; tables scroll sideways instead.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "harness.hpp"
#include "imgui_internal.h"

namespace driftq::ui_test {

namespace {

std::vector<std::string> cut_text(Harness& h) {
    std::vector<std::string> out;
    for (const ui::TextRun& r : h.runs()) {
        if (ui::cut_out_of_reach(r)) out.push_back(r.window + ": " + r.text);
    }
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& x : v) s += "\n  \"" + x + "\"";
    return s;
}

}  // namespace

TEST_CASE("layout: no panel cuts its text at 1280x720 or 1440x900, on three lessons, with every tab in front") {
    struct Size { float w, h; };
    struct Moment { int lesson; TimeMs at; };
    const ui::Panel tabs[] = {ui::Panel::lesson, ui::Panel::events, ui::Panel::plots, ui::Panel::wal, ui::Panel::scenario};
    for (const Size size : {Size{1280, 720}, Size{1440, 900}}) {
        Harness h(size.w, size.h);
        for (const Moment m : {Moment{4, 400}, Moment{8, 3000}, Moment{15, 1600}}) {
            CAPTURE(size.w);
            CAPTURE(m.lesson);
            REQUIRE(h.open_lesson(m.lesson));
            h.ui().seek(m.at);
            for (const ui::Panel tab : tabs) {
                CAPTURE(std::string(ui::panel_title(tab)));
                h.ui().state().bring_to_front = tab;
                h.frame();
                h.frame();
                h.frame();
                const std::vector<std::string> cut = cut_text(h);
                CHECK_MESSAGE(cut.empty(), "cut off:" << joined(cut));
            }
            // Something selected: the Message panel's story, with its dead-letter and recovery lines.
            if (m.lesson == 8) {
                const Topic* dlq = h.ui().session().world().broker()->find_topic("dlq.orders");
                REQUIRE(dlq != nullptr);
                for (std::size_t p = 0; p < dlq->partitions.size(); ++p) {
                    if (!dlq->partitions[p].messages.empty()) {
                        h.ui().select({"dlq.orders", static_cast<std::int32_t>(p), dlq->partitions[p].messages.front().offset});
                    }
                }
                h.frame();
                h.frame();
                const std::vector<std::string> cut = cut_text(h);
                CHECK_MESSAGE(cut.empty(), "cut off with a message selected:" << joined(cut));
                CHECK(h.shows("original topic: orders"));
                CHECK(h.shows("attempts: 3"));
            }
        }
    }
}

}  // namespace driftq::ui_test

namespace driftq::ui_test {

TEST_CASE("layout: a window resizes when its right edge or its bottom-right corner is dragged") {
    Harness h(1280, 720);
    REQUIRE(h.open_lesson(1));
    h.frame();
    h.frame();
    ImGuiWindow* w = ImGui::FindWindowByName("Timeline");
    REQUIRE(w != nullptr);
    const ImVec2 size = w->Size;
    auto drag = [&](ImVec2 from, ImVec2 by) {
        ImGuiIO& io = ImGui::GetIO();
        h.move_mouse(from);
        h.frame();
        io.MouseDown[0] = true;
        h.frame();
        for (int i = 1; i <= 5; ++i) h.move_mouse(ImVec2(from.x + by.x * static_cast<float>(i) / 5, from.y + by.y * static_cast<float>(i) / 5));
        io.MouseDown[0] = false;
        h.frame();
    };
    // The right edge, halfway down: wider.
    // Windows share their edges; the one in front owns a shared edge, as a person finds after
    // clicking into it.
    h.click_at(ImVec2(w->Pos.x + w->Size.x / 2, w->Pos.y + w->Size.y - 8));
    drag(ImVec2(w->Pos.x + w->Size.x - 1, w->Pos.y + w->Size.y / 2), ImVec2(-60, 0));
    CHECK(w->Size.x == doctest::Approx(size.x - 60).epsilon(0.05));
    CHECK(w->Size.y == doctest::Approx(size.y));
    // The bottom-right corner: both ways.
    const ImVec2 before = w->Size;
    drag(ImVec2(w->Pos.x + w->Size.x - 2, w->Pos.y + w->Size.y - 2), ImVec2(30, 40));
    CHECK(w->Size.x > before.x + 20);
    CHECK(w->Size.y > before.y + 30);
}

}  // namespace driftq::ui_test

namespace driftq::ui_test {

TEST_CASE("a long seek runs a slice a frame with a progress line, and Esc or Cancel stops it where it got to") {
    Harness h;
    const std::string big = R"({"name": "big", "until_ms": 100000, "topics": [{"name": "o", "partitions": 4}],
        "producers": [{"name": "p", "topic": "o", "rate": {"count": 100000, "every_ms": 1, "keys": {"kind": "round_robin", "value": "k", "count": 8}}}],
        "consumers": [{"name": "c", "topic": "o", "processing": {"kind": "constant", "ms": 1}}]})";
    REQUIRE_MESSAGE(h.ui().open(big, "big.json"), h.ui().open_errors());
    h.ui().set_work_budget_ms(2);
    h.frame();
    h.ui().seek(100000);
    const TimeMs first = h.ui().session().now();
    CHECK(first < 100000);  // one budget's worth, then back to the person
    REQUIRE(h.ui().work_progress());
    h.frame();
    CHECK(h.shows("Running to 100000 ms"));
    CHECK(h.find("Cancel") != nullptr);
    const TimeMs second = h.ui().session().now();
    CHECK(second > first);  // it goes on by itself, frame by frame
    h.press(ImGuiKey_Escape);
    REQUIRE_FALSE(h.ui().work_progress());
    const TimeMs stopped = h.ui().session().now();
    CHECK(stopped < 100000);
    h.frame();
    CHECK(h.ui().session().now() == stopped);
    CHECK(h.shows("Stopped at " + std::to_string(stopped) + " ms"));
    // Again, to the end: it gets there.
    h.ui().seek(100000);
    for (int i = 0; i < 100000 && h.ui().work_progress(); ++i) h.frame();
    CHECK(h.ui().session().now() == 100000);
    // Known history is replayed at once, with no progress line.
    h.ui().seek(50000);
    CHECK(h.ui().session().now() == 50000);
    CHECK_FALSE(h.ui().work_progress());
}

}  // namespace driftq::ui_test
