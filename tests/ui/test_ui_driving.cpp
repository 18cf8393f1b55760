// The UI driven by synthetic mouse and keyboard input through ImGui's IO, as a person would:
// buttons found by their labels and clicked, keys pressed, and the session checked after each.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "harness.hpp"

namespace driftq::ui_test {

TEST_CASE("driving: Play runs time forward and Pause stops it; Space toggles") {
    Harness h;
    REQUIRE(h.open_lesson(3));
    h.frame();
    REQUIRE(h.click("Play"));
    CHECK(h.ui().state().playing);
    for (int i = 0; i < 30; ++i) h.frame();  // half a second at 1x
    const TimeMs t = h.ui().session().now();
    CHECK(t > 0);
    REQUIRE(h.click("Pause"));
    CHECK_FALSE(h.ui().state().playing);
    const TimeMs paused_at = h.ui().session().now();
    for (int i = 0; i < 10; ++i) h.frame();
    CHECK(h.ui().session().now() == paused_at);
    h.press(ImGuiKey_Space);
    CHECK(h.ui().state().playing);
    h.press(ImGuiKey_Space);
    CHECK_FALSE(h.ui().state().playing);
}

TEST_CASE("driving: stepping forward and back by events and ticks, with buttons and arrow keys") {
    Harness h;
    REQUIRE(h.open_lesson(4));
    h.frame();
    REQUIRE(h.click("Event >>"));
    const TimeMs first = h.ui().session().now();
    REQUIRE(h.click("Event >>"));
    const TimeMs second = h.ui().session().now();
    CHECK(second > first);
    REQUIRE(h.click("<< Event"));
    CHECK(h.ui().session().now() == first);
    h.press(ImGuiKey_RightArrow);
    CHECK(h.ui().session().now() == second);
    h.press(ImGuiKey_RightArrow, /*shift=*/true);  // to the next tick-grid pass
    const TimeMs tick = h.ui().session().now();
    CHECK(tick > second);
    h.press(ImGuiKey_LeftArrow, /*shift=*/true);
    CHECK(h.ui().session().now() < tick);
    h.press(ImGuiKey_LeftArrow);  // back to an earlier event time
    CHECK(h.ui().session().now() < second);
}

TEST_CASE("driving: a lesson's Next and Back seek exactly to its steps") {
    Harness h;
    REQUIRE(h.open_lesson(5));  // three steps, the first at 10 ms
    h.frame();
    const auto& lessons = h.ui().session().world().scenario().lessons;
    REQUIRE(lessons.size() == 3);
    CHECK(h.shows("The first step begins at 10 ms"));
    for (std::size_t step = 0; step < 3; ++step) {
        REQUIRE(h.click("Next >"));
        CHECK(h.ui().session().now() == lessons[step].at);
        h.frame();
        CHECK(h.shows("Step " + std::to_string(step + 1) + " of 3"));
    }
    CHECK(h.shows(lessons[2].text.substr(0, 20)));
    REQUIRE(h.click("< Back"));
    CHECK(h.ui().session().now() == lessons[1].at);
    // Back from inside a step goes to its start first.
    h.ui().session().run_until(lessons[1].at + 50);
    h.frame();
    REQUIRE(h.click("< Back"));
    CHECK(h.ui().session().now() == lessons[1].at);
}

TEST_CASE("driving: crashing and restarting the broker from Actions, with the WAL replayed") {
    Harness h;
    REQUIRE(h.open_lesson(15));
    h.ui().session().run_until(1000);
    h.frame();
    REQUIRE(h.click("Crash the broker"));
    CHECK(h.ui().session().world().broker() == nullptr);
    h.frame();
    CHECK(h.shows("The broker is down"));
    REQUIRE(h.click("Restart the broker"));
    REQUIRE(h.ui().session().world().broker() != nullptr);
    REQUIRE(h.ui().session().world().last_recovery().has_value());
    CHECK(h.ui().session().world().last_recovery()->records_recovered > 0);
    // Both are commands in the session, so a saved file replays them.
    const auto& cmds = h.ui().session().commands();
    REQUIRE(cmds.size() == 2);
    CHECK(cmds[0].command.kind == sim::Command::Kind::broker_crash);
    CHECK(cmds[1].command.kind == sim::Command::Kind::broker_restart);
}

TEST_CASE("driving: cutting the power is a broker crash that may keep unsynced sectors") {
    Harness h;
    REQUIRE(h.open_lesson(15));
    h.ui().session().run_until(1000);
    h.frame();
    REQUIRE(h.click("Cut the power"));
    CHECK(h.ui().session().world().broker() == nullptr);
    REQUIRE(h.ui().session().commands().size() == 1);
    const sim::Command& cut = h.ui().session().commands()[0].command;
    CHECK(cut.kind == sim::Command::Kind::broker_crash);
    CHECK(cut.power_loss == PowerLoss::keep_sectors);
    h.frame();
    REQUIRE(h.click("Restart the broker"));
    REQUIRE(h.ui().session().world().last_recovery().has_value());
    CHECK(h.ui().session().world().last_recovery()->records_recovered > 0);
}

TEST_CASE("driving: a consumer's fault menu makes it hang or lose its next ack, as commands") {
    Harness h;
    REQUIRE(h.open_lesson(17));  // messages keep coming: there is a next ack to lose
    h.ui().session().run_until(100);
    h.frame();
    h.frame();
    REQUIRE(h.click("More", "Groups"));
    REQUIRE(h.click("Lose its next ack"));
    REQUIRE(h.ui().session().commands().size() == 1);
    CHECK(h.ui().session().commands().back().command.kind == sim::Command::Kind::lose_ack);
    h.ui().session().run_until(2000);
    std::size_t lost = 0;
    const auto& log = h.ui().session().log();
    for (std::size_t i = 0; i < log.size(); ++i) lost += log[i].kind == EventKind::ack_lost ? 1 : 0;
    CHECK(lost == 1);
    REQUIRE(h.click("More", "Groups"));
    REQUIRE(h.click("Hang"));
    CHECK(h.ui().session().commands().back().command.kind == sim::Command::Kind::consumer_hang);
    h.frame();
    CHECK(h.shows("hanging"));
    REQUIRE(h.click("Resume", "Groups"));
    h.frame();
    CHECK_FALSE(h.shows("hanging"));
}

TEST_CASE("driving: acking an in-flight row as its owner, and as someone else to see the refusal") {
    Harness h;
    REQUIRE(h.open_lesson(4));  // a consumer that never acks: its delivery stays in flight
    h.ui().session().run_until(100);
    h.frame();
    h.frame();
    REQUIRE(h.ui().in_flight_count() == 1);
    // As another consumer first: the broker refuses, and the refusal is in the status bar.
    h.ui().state().act_as = "intruder";
    h.frame();
    REQUIRE(h.click("Ack", "In flight"));
    CHECK(h.ui().status_is_error());
    CHECK(h.ui().status().find("not owner") != std::string::npos);
    CHECK(h.ui().session().world().broker()->in_flight_total() == 1);
    h.ui().state().act_as.clear();
    h.frame();
    REQUIRE(h.click("Ack", "In flight"));
    CHECK_FALSE(h.ui().status_is_error());
    CHECK(h.ui().session().world().broker()->in_flight_total() == 0);
    CHECK(h.ui().session().world().broker()->committed_offset("orders", "g", 0) == 0);
}

TEST_CASE("driving: clicking a message cell selects it and the Message panel tells its story") {
    Harness h;
    REQUIRE(h.open_lesson(8));
    h.ui().session().run_until(1600);
    h.frame();
    h.frame();
    // The lanes canvas: find the row of orders p1 (the message is at index 0) by its drawing
    // position: the first cell starts right of the label column on the lanes' first rows.
    const auto* fit = h.find("Fit");
    REQUIRE(fit);
    bool selected = false;
    for (float dy = 40; dy < 200 && !selected; dy += 6) {
        h.click_at(ImVec2(fit->rect.Min.x + 150 + 12, fit->rect.Max.y + dy));
        selected = h.ui().state().selected.has_value() && h.ui().state().selected->topic == "orders";
    }
    REQUIRE(selected);
    CHECK(h.ui().state().selected->partition == 1);
    h.frame();
    CHECK(h.shows("delivered to stuck"));
    CHECK(h.shows("moved to dlq.orders"));
}

TEST_CASE("driving: an action taken in the UI is in the saved scenario, which replays the same run") {
    Harness h;
    REQUIRE(h.open_lesson(1));
    h.ui().session().run_until(300);
    h.frame();
    REQUIRE(h.click("Produce"));
    REQUIRE(h.ui().session().commands().size() == 1);
    h.ui().session().run_until(1000);
    h.frame();
    REQUIRE(h.click("View"));
    REQUIRE(h.click("Scenario", "##Menu"));
    h.frame();
    REQUIRE(h.click_text("Scenario"));  // its tab
    REQUIRE(h.click("Save"));
    const auto saved = h.host().files.find("my-session.json");
    REQUIRE(saved != h.host().files.end());
    CHECK(saved->second.find("\"action\": \"produce\"") != std::string::npos);
    // Replaying the file gives the session's trace, event for event.
    auto parsed = sim::parse_scenario(saved->second, "saved");
    REQUIRE(parsed.ok());
    sim::World replay(std::move(parsed).value());
    replay.run_until(1000);
    const auto& log = h.ui().session().log();
    REQUIRE(replay.trace().size() >= log.size());
    for (std::size_t i = 0; i < log.size(); ++i) CHECK(to_json(replay.trace()[i]) == to_json(log[i]));
}

TEST_CASE("driving: a bad scenario typed into the editor is refused with where and why, and the run stays") {
    Harness h;
    REQUIRE(h.open_lesson(2));
    h.frame();
    h.ui().state().is_open(ui::Panel::scenario) = true;
    h.frame();
    h.frame();
    REQUIRE(h.click_text("Scenario"));  // its tab
    h.ui().editor_text() = R"({"name": "x", "topics": [{"name": "t", "partitions": "two"}]})";
    REQUIRE(h.click("Apply"));
    CHECK(h.ui().scenario_name() == "02-key-partitioning.json");  // the old session stays
    h.frame();
    CHECK(h.shows("/topics/0/partitions"));
}

namespace {

// The files of a ustar archive: name -> bytes. Fails the test on a bad header or checksum.
std::map<std::string, std::string> untar(const std::string& tar) {
    std::map<std::string, std::string> files;
    std::size_t at = 0;
    while (at + 512 <= tar.size() && tar[at] != '\0') {
        const std::string header = tar.substr(at, 512);
        CHECK(header.compare(257, 5, "ustar") == 0);
        unsigned sum = 0;
        for (std::size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
        CHECK(std::stoul(header.substr(148, 7), nullptr, 8) == sum);
        const std::size_t size = std::stoul(header.substr(124, 11), nullptr, 8);
        files[header.substr(0, header.find('\0'))] = tar.substr(at + 512, size);
        at += 512 + (size + 511) / 512 * 512;
    }
    CHECK(tar.size() == at + 1024);  // two zero blocks end it
    return files;
}

}  // namespace

TEST_CASE("driving: the File menu saves the trace, the session and the WAL the run has at the cursor") {
    Harness h;
    REQUIRE(h.open_lesson(15));
    h.ui().seek(1600);  // after the crash at 1500 ms
    h.frame();
    REQUIRE(h.click("File"));
    REQUIRE(h.click("Save the trace (NDJSON)"));
    const std::string& trace = h.host().files["15-broker-crash-wal-replay-trace.ndjson"];
    const sim::Session& session = h.ui().session();
    REQUIRE(session.visible_events() > 10);
    CHECK(trace.substr(0, trace.find('\n')) == to_json(session.log()[0]));
    CHECK(trace.size() > 2);
    const std::size_t last = trace.rfind('\n', trace.size() - 2) + 1;
    CHECK(trace.substr(last, trace.size() - 1 - last) == to_json(session.log()[static_cast<std::size_t>(session.visible_events() - 1)]));
    CHECK(static_cast<std::uint64_t>(std::count(trace.begin(), trace.end(), '\n')) == h.ui().session().visible_events());

    REQUIRE(h.click("File"));
    REQUIRE(h.click("Save the WAL (tar of its segments)"));
    const auto files = untar(h.host().files["15-broker-crash-wal-replay-wal.tar"]);
    const Storage& disk = h.ui().session().world().wal_storage();
    REQUIRE(!files.empty());
    CHECK(files.size() == disk.list().value().size());
    for (const auto& [name, bytes] : files) {
        REQUIRE(name.rfind("wal/", 0) == 0);
        CHECK(bytes == disk.read(name.substr(4)).value());
    }

    REQUIRE(h.click("File"));
    REQUIRE(h.click("Save the session as a scenario"));
    const std::string saved_trace = h.ui().trace_text();
    REQUIRE(h.ui().open(h.host().files["15-broker-crash-wal-replay-session.json"], "saved.json"));
    h.ui().seek(1600);
    CHECK(h.ui().trace_text() == saved_trace);  // the saved session replays the same run

    h.frame();
    REQUIRE(h.click("File"));
    REQUIRE(h.click("Copy a share link"));
    CHECK(h.ui().status().find("Links are for the web playground") != std::string::npos);
}

TEST_CASE("driving: notices wait their turn and each stays until OK is clicked") {
    Harness h;
    REQUIRE(h.open_lesson(1));
    h.ui().notify("Not saved in this browser", "The browser's storage for this site is full.", true);
    h.ui().notify("Share link", "Copied to the clipboard.", false, "http://127.0.0.1/#f=2&z=abc");
    h.frame();
    h.frame();
    CHECK(h.shows("storage for this site is full"));
    CHECK(h.shows("1 more after this one"));
    CHECK_FALSE(h.shows("Copied to the clipboard"));
    REQUIRE(h.click("OK"));
    h.frame();
    h.frame();
    REQUIRE(h.ui().notice() != nullptr);
    CHECK(h.ui().notice()->title == "Share link");
    CHECK(h.shows("Copied to the clipboard"));
    REQUIRE(h.click("Copy"));
    CHECK(h.host().clipboard == "http://127.0.0.1/#f=2&z=abc");
    REQUIRE(h.click("OK"));
    h.frame();
    CHECK(h.ui().notice() == nullptr);
    CHECK_FALSE(h.shows("Copied to the clipboard"));
}

}  // namespace driftq::ui_test
