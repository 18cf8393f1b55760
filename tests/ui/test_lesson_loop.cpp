// The lesson loop as a learner walks it, through real clicks and keys: Next from the first step
// of every bundled lesson reaches the last step and then the scenario's end, where every check
// resolves and passes, exactly as `driftq-sim run` reports; Back before the end returns the end's
// checks to waiting; Event >>, Right and Tick > always move forward, even from a step's or a
// check's own time.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "harness.hpp"
#include "ui/lane_model.hpp"
#include "ui/lesson_checks.hpp"

namespace driftq::ui_test {

using ui::LessonChecks;
using ui::lesson_checks;

namespace {

int lesson_count(Harness& h) { return static_cast<int>(h.ui().bundled().size()); }

// The drawn text on one line: a line the panel wrapped reads as one.
std::string flat_text(const Harness& h) {
    std::string text = h.text();
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

// The end-of-run report of the lesson's file, run as `driftq-sim run` runs it.
std::vector<sim::CheckResult> file_report(const sim::Scenario& sc) {
    sim::World w(sc);
    w.finish();
    return w.checks();
}

}  // namespace

TEST_CASE("lesson loop: Next walks every lesson to its last step, then to its end, where every check passes") {
    Harness h;
    REQUIRE(lesson_count(h) == 21);
    int skipped = 0;
    for (int n = 1; n <= lesson_count(h); ++n) {
        CAPTURE(n);
        REQUIRE(h.open_lesson(n));
        h.frame();
        const sim::Scenario sc = h.ui().session().world().scenario();
        const int steps = static_cast<int>(sc.lessons.size());
        int presses = 0;
        // Every press moves to the next step (or the end); none stalls.
        while (h.ui().session().now() < sc.until_ms && presses <= steps + 1) {
            if (h.ui().waiting_for_task()) {
                // Next waits for the step's task: a click on it moves nothing; Skip solves it.
                const TimeMs here = h.ui().session().now();
                h.click("Next >", "##lesson");
                CHECK(h.ui().session().now() == here);
                REQUIRE(h.click("Skip: show a solution", "##lesson"));
                h.frame();
                CHECK_FALSE(h.ui().waiting_for_task());
                CHECK(h.shows("Task: solved"));
                ++skipped;
            }
            const TimeMs before = h.ui().session().now();
            const int step_before = h.ui().lesson_step();
            REQUIRE(h.click("Next >", "##lesson"));
            ++presses;
            const bool moved = h.ui().session().now() > before || h.ui().lesson_step() > step_before;
            CHECK_MESSAGE(moved, "Next stalled at " << before << " ms");
            if (!moved) break;
        }
        h.frame();
        CHECK(h.ui().lesson_step() == steps - 1);
        CHECK(h.ui().session().now() == sc.until_ms);
        CHECK(h.shows("Step " + std::to_string(steps) + " of " + std::to_string(steps) + ", at the end"));
        const LessonChecks checks = lesson_checks(h.ui().session());
        CHECK(checks.at_end);
        CHECK(checks.waiting == 0);
        CHECK(checks.failed == 0);
        CHECK(checks.passed == static_cast<int>(checks.lines.size()));
        CHECK(h.shows(std::to_string(checks.passed) + " passed, 0 failed, 0 still to check"));
        CHECK(h.shows("every check passed"));
        // The same report as the file's run: every check, in the same order, with the same verdict.
        // The person's commands (Skip's) are saved with the result they got as their expectation;
        // those checks pass by construction and are the file's alone.
        std::vector<sim::CheckResult> want = file_report(h.ui().session().scenario());
        for (const sim::TimedCommand& c : h.ui().session().commands()) {
            const std::string mine = " " + sim::describe(c.command) + " -> \"";
            std::erase_if(want, [&](const sim::CheckResult& r) { return r.what.find(mine) != std::string::npos && r.ok; });
        }
        const std::vector<sim::CheckResult>* got = h.ui().session().end_checks();
        REQUIRE(got != nullptr);
        REQUIRE(got->size() == want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            CHECK((*got)[i].what == want[i].what);
            CHECK((*got)[i].ok == want[i].ok);
            CHECK((*got)[i].observed == want[i].observed);
        }
        CHECK(static_cast<int>(want.size()) == checks.passed);  // the tally counts what the run checked
    }
    CHECK(skipped == 10);  // every task of every bundled lesson (lesson 21 has two)
}

TEST_CASE("lesson loop: back before the end, the end's checks wait again; forward to the end, they resolve again") {
    Harness h;
    REQUIRE(h.open_lesson(6));  // seven checks at the end, none timed
    h.frame();
    const TimeMs end = h.ui().session().world().scenario().until_ms;
    h.ui().seek(end);
    h.frame();
    const int all = static_cast<int>(lesson_checks(h.ui().session()).lines.size());  // with the invariants
    CHECK(all > 7);
    CHECK(h.shows(std::to_string(all) + " passed, 0 failed, 0 still to check"));
    REQUIRE(h.click("< Back", "##lesson"));
    h.frame();
    CHECK(h.ui().session().now() < end);
    const LessonChecks back = lesson_checks(h.ui().session());
    CHECK_FALSE(back.at_end);
    CHECK(back.waiting == 7);
    CHECK(h.shows("0 passed, 0 failed, 7 still to check"));
    CHECK(h.shows("resolve at " + std::to_string(end) + " ms"));
    REQUIRE(h.click("Next >", "##lesson"));
    h.frame();
    CHECK(h.ui().session().now() == end);
    CHECK(h.shows(std::to_string(all) + " passed, 0 failed, 0 still to check"));
}

TEST_CASE("lesson loop: a check that fails at the end says FAIL with what was found, and the tally counts it") {
    Harness h(1600, 1400);  // tall enough for the whole list under lesson 9's task
    REQUIRE(h.open_lesson(9));
    std::string text = h.ui().editor_text();
    // Lesson 9 expects one delivery of offset 0 at the end; ask for none instead.
    const std::string from = R"({"check": "deliveries", "topic": "orders", "group": "g", "offset": 0, "equals": 1})";
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), R"({"check": "deliveries", "topic": "orders", "group": "g", "offset": 0, "equals": 0})");
    REQUIRE(h.ui().open(text, "09-wrong.json"));
    h.frame();
    h.ui().seek(h.ui().session().world().scenario().until_ms);
    h.frame();
    const LessonChecks c = lesson_checks(h.ui().session());
    CHECK(c.failed == 1);
    CHECK(c.waiting == 0);
    CHECK(h.shows("FAIL"));
    CHECK(h.shows("(found 1)"));
    CHECK(h.shows("some checks failed"));
    CHECK(h.shows(std::to_string(c.passed) + " passed, 1 failed, 0 still to check"));
}

TEST_CASE("lesson loop: Event >>, Right and Tick > move forward from a check's own time, and Event >> reaches the end") {
    Harness h;
    for (const auto& [lesson, times] : std::vector<std::pair<int, std::vector<TimeMs>>>{{4, {499, 500}}, {9, {10, 500, 1100}}}) {
        CAPTURE(lesson);
        REQUIRE(h.open_lesson(lesson));
        h.frame();
        for (const TimeMs t : times) {
            CAPTURE(t);
            h.ui().seek(t);
            h.frame();
            REQUIRE(h.click("Event >>", "Timeline"));
            CHECK(h.ui().session().now() > t);
            h.ui().seek(t);
            h.frame();
            h.press(ImGuiKey_RightArrow);
            CHECK(h.ui().session().now() > t);
            h.ui().seek(t);
            h.frame();
            REQUIRE(h.click("Tick >", "Timeline"));
            CHECK(h.ui().session().now() > t);
        }
        // From the start, Event >> until the end: every press moves, and the end is one of its stops.
        h.ui().seek(0);
        h.frame();
        const TimeMs end = h.ui().session().world().scenario().until_ms;
        int presses = 0;
        while (h.ui().session().now() < end && presses < 500) {
            const TimeMs before = h.ui().session().now();
            const std::uint64_t events = h.ui().session().visible_events();
            REQUIRE(h.click("Event >>", "Timeline"));
            ++presses;
            REQUIRE_MESSAGE((h.ui().session().now() > before || h.ui().session().visible_events() > events),
                            "Event >> stalled at " << before << " ms");
        }
        CHECK(h.ui().session().now() == end);
        CHECK(lesson_checks(h.ui().session()).at_end);
    }
}

TEST_CASE("lesson loop: Play with 'Stop at lesson steps' pauses once at each step, then goes on to the end") {
    Harness h;
    REQUIRE(h.open_lesson(5));  // steps at 10, 500 and 710 ms
    h.frame();
    const auto& lessons = h.ui().session().world().scenario().lessons;
    const TimeMs end = h.ui().session().world().scenario().until_ms;
    h.ui().state().speed_log10 = 2.0f;  // 100x: a few frames a step
    std::vector<TimeMs> stops;
    for (int round = 0; round < 10 && h.ui().session().now() < end; ++round) {
        REQUIRE(h.click("Play", "Timeline"));
        for (int i = 0; i < 600 && h.ui().state().playing; ++i) h.frame();
        CHECK_FALSE(h.ui().state().playing);
        stops.push_back(h.ui().session().now());
    }
    CHECK(stops == std::vector<TimeMs>{lessons[0].at, lessons[1].at, lessons[2].at, end});
}


namespace {

// Every cell state the lanes would draw at the cursor, one message a cell, over all lanes.
std::set<ui::CellState> states_on_screen(ui::Ui& u) {
    std::set<ui::CellState> out;
    const Broker* b = u.session().world().broker();
    if (!b) return out;
    for (const auto& [tname, t] : b->topics()) {
        for (const auto& [gname, g] : t.groups) {
            for (std::size_t p = 0; p < t.partitions.size() && p < g.partitions.size(); ++p) {
                const auto part = static_cast<std::int32_t>(p);
                ui::LaneInput in{&t.partitions[p], &g.partitions[p], u.in_flight_of(tname, gname, part),
                                 u.dead_offsets(tname, gname, part), u.skipped_offsets(tname, gname, part), u.session().now()};
                for (const ui::LaneBucket& k : ui::lane_buckets(in, 0, t.partitions[p].messages.size(), 1)) out.insert(k.state);
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("states that tell the truth: every legend state shows in a bundled lesson at a stated time") {
    using S = ui::CellState;
    struct Case { S state; int lesson; TimeMs at; };
    const Case cases[] = {
        {S::waiting, 17, 4000},     // the hot partition: a queue behind its one consumer
        {S::in_flight, 4, 100},     // the hung consumer holds offset 0, its lease running
        {S::expired, 4, 400},       // its 300 ms lease ran out; the pass at 500 takes it back
        {S::redelivered, 4, 600},   // attempt 2
        {S::acked, 1, 1000},
        {S::dead, 8, 3000},
        {S::skipped, 9, 1100},      // the commit jumped past offset 0; after the restart nobody holds it
    };
    for (const S s : ui::kCellStates) {
        CAPTURE(std::string(ui::to_string(s)));
        bool listed = false;
        for (const Case& c : cases) listed = listed || c.state == s;
        CHECK_MESSAGE(listed, "a legend state with no lesson that shows it");
    }
    Harness h;
    for (const Case& c : cases) {
        CAPTURE(std::string(ui::to_string(c.state)));
        CAPTURE(c.lesson);
        REQUIRE(h.open_lesson(c.lesson));
        h.ui().seek(c.at);
        h.frame();
        CHECK(states_on_screen(h.ui()).count(c.state) == 1);
    }
    // Its story says the same as its cell.
    REQUIRE(h.open_lesson(9));
    h.ui().seek(1200);
    h.ui().select({"orders", 0, 0});
    h.frame();
    h.frame();
    CHECK(h.shows("group g: committed past, never acked: skipped"));
    // Lesson 9 before the crash: offset 0 is still held, and shown so; never as acked.
    REQUIRE(h.open_lesson(9));
    h.ui().seek(500);
    h.frame();
    const auto held = states_on_screen(h.ui());
    CHECK(held.count(S::in_flight) == 1);
    CHECK(held.count(S::skipped) == 0);
    h.ui().select({"orders", 0, 0});
    h.frame();
    h.frame();
    CHECK(h.shows("group g: committed past, never acked (still held"));
}


TEST_CASE("forms follow the open scenario: Produce defaults to its topic and a key of its own, and says where the key goes and why") {
    Harness h;
    REQUIRE(h.open_lesson(2));  // topic events, 4 partitions, keys user:1, user:2, k1
    h.frame();
    h.frame();
    CHECK(h.shows("events"));
    CHECK_FALSE(h.shows("orders"));
    // The line wraps in the panel: read it as one.
    CHECK(flat_text(h).find("-> events p3: fnv1a32(\"user:1\") = 1830439627, 1830439627 mod 4 = 3") != std::string::npos);
    // The message it produces lands where the form said.
    REQUIRE(h.click("Produce", "Actions"));
    const auto& log = h.ui().session().log();
    bool found = false;
    for (std::uint64_t i = 0; i < h.ui().session().visible_events(); ++i) {
        const Event& x = log[static_cast<std::size_t>(i)];
        if (x.kind == EventKind::produced && x.at == h.ui().session().now() && x.topic == "events" && x.partition == 3) {
            found = true;
            h.ui().select({"events", 3, x.offset});
        }
    }
    CHECK(found);
    // Its story says the same.
    h.frame();
    h.frame();
    CHECK(flat_text(h).find("on p3: fnv1a32(\"user:1\") = 1830439627, 1830439627 mod 4 = 3") != std::string::npos);
    // Another lesson, other defaults: the form never keeps the last lesson's topic.
    REQUIRE(h.open_lesson(6));
    h.frame();
    h.frame();
    CHECK(h.shows("-> payments p"));
}


TEST_CASE("compare two runs: lesson 9 beside the contiguous commit rule, one above the other, with where they part") {
    Harness h;
    REQUIRE(h.open_lesson(9));
    h.frame();
    REQUIRE(h.click("Next >", "##lesson"));
    REQUIRE(h.click("Next >", "##lesson"));  // step 2, at 1100 ms: after the restart
    h.frame();
    REQUIRE(h.ui().session().now() == 1100);
    REQUIRE(h.click("Compare with the contiguous commit rule", "##lesson"));
    const ui::Ui::Comparison* c = h.ui().comparison();
    REQUIRE(c != nullptr);
    CHECK(c->other->now() == 1100);
    CHECK(c->other->world().scenario().broker.commit_rule == CommitRule::contiguous);
    CHECK(h.ui().session().world().scenario().broker.commit_rule == CommitRule::highest_acked);
    // The runs part where offset 1's ack commits it under one rule and not the other.
    REQUIRE(c->first_difference > 0);
    REQUIRE(c->ours);
    CHECK(c->ours->kind == EventKind::offset_committed);
    h.frame();
    h.frame();
    CHECK(h.shows("They first differ at event " + std::to_string(c->first_difference)));
    CHECK(h.shows("This run"));
    CHECK(h.shows("With the contiguous commit rule"));
    CHECK(h.shows("commit 1, 0 in flight"));      // this run: committed past offset 0, which nobody holds
    CHECK(h.shows("commit none, 2 in flight"));   // contiguous: nothing committed, both delivered again
    // Both runs move together.
    REQUIRE(h.click("Event >>", "Timeline"));
    h.frame();
    CHECK(c->other->now() == h.ui().session().now());
    REQUIRE(h.click("Go there", "##lanes"));
    h.frame();
    CHECK(h.ui().session().now() == c->difference_at);
    CHECK(c->other->now() == c->difference_at);
    // Comparing does not touch this run's history: acting now does not fork.
    CHECK(h.ui().session().branches().size() == 1);
    // The lesson about the other side is one click away.
    h.ui().seek(1100);
    h.frame();
    REQUIRE(h.click("Open lesson 10", "##lesson"));
    h.frame();
    CHECK(h.ui().scenario_name() == "10-contiguous-commit-keeps-message.json");
    CHECK(h.ui().comparison() == nullptr);
}

TEST_CASE("compare two runs: What if... from the menu bar with another in-flight limit; a change that does not apply says why") {
    Harness h;
    REQUIRE(h.open_lesson(3));
    h.frame();
    REQUIRE(h.ui().start_compare(sim::WhatIf{sim::WhatIf::Kind::max_in_flight, 1}));
    CHECK(h.ui().comparison()->other->world().scenario().broker.max_in_flight == 1);
    CHECK_FALSE(h.ui().start_compare(sim::WhatIf{sim::WhatIf::Kind::durability, 2}));  // lesson 3 has no WAL
    CHECK(h.ui().status_is_error());
    CHECK(h.ui().status().find("this scenario has no WAL") != std::string::npos);
    CHECK(h.ui().comparison() != nullptr);  // the running comparison stays
    h.frame();
    h.frame();
    REQUIRE(h.click("Stop comparing", "##lanes"));
    CHECK(h.ui().comparison() == nullptr);
}


TEST_CASE("compare two runs: a branch made by acting in the past, side by side with the one it left") {
    Harness h;
    REQUIRE(h.open_lesson(4));
    h.ui().seek(1500);
    h.ui().seek(100);
    h.frame();
    sim::Command crash;
    crash.kind = sim::Command::Kind::consumer_crash;
    crash.consumer = "stuck";
    REQUIRE(h.ui().act(crash).ok());  // in the past: a new branch
    REQUIRE(h.ui().session().branches().size() == 2);
    h.frame();
    h.frame();
    REQUIRE(h.click("Side by side", "Timeline"));
    const ui::Ui::Comparison* c = h.ui().comparison();
    REQUIRE(c != nullptr);
    CHECK_FALSE(c->what_if);
    CHECK(c->label == "branch 0");
    CHECK(c->first_difference > 0);
    CHECK(c->difference_at == 100);  // where the crash was applied
    h.frame();
    h.frame();
    CHECK(h.shows("This branch, and branch 0, at 100 ms"));
    CHECK(h.ui().session().branches().size() == 2);  // comparing made no branch
}

}  // namespace driftq::ui_test
