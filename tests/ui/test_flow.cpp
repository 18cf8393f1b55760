// The Flow panel's scene (ui/flow_model.hpp) at chosen moments of bundled lessons, and the panel
// itself reached through a real click on its tab.
#include <doctest/doctest.h>

#include <algorithm>

#include "harness.hpp"
#include "ui/flow_model.hpp"
#include "ui/theme.hpp"

using driftq::ui::FlowScene;
using driftq::ui::MoveKind;

namespace {

const driftq::ui::FlowMove* find_move(const FlowScene& s, MoveKind k) {
    const auto it = std::find_if(s.moves.begin(), s.moves.end(), [&](const auto& m) { return m.kind == k; });
    return it == s.moves.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("lesson 4 at 520 ms: the lease ran out at 500, the redelivery is on its way, the member holds attempt 2") {
    driftq::ui_test::Harness h;
    REQUIRE(h.open_lesson(4));
    h.ui().seek_now(520);
    const FlowScene s = driftq::ui::flow_scene(h.ui());
    REQUIRE(s.partitions.size() == 1);
    CHECK(s.partitions[0].topic == "orders");
    CHECK(s.partitions[0].tail.size() == 1);
    REQUIRE(s.members.size() == 1);
    CHECK(s.members[0].name == "stuck");
    REQUIRE(s.members[0].held.size() == 1);
    CHECK(s.members[0].held[0].attempts == 2);
    // Redelivered at 500 with a 300 ms lease: 280 of 300 ms left.
    CHECK(s.members[0].held[0].lease_left == doctest::Approx(280.0 / 300.0));
    const auto* expire = find_move(s, MoveKind::expire);
    const auto* redeliver = find_move(s, MoveKind::redeliver);
    REQUIRE(expire);
    REQUIRE(redeliver);
    CHECK(redeliver->at == 500);
    CHECK(redeliver->progress == doctest::Approx(20.0 / 250.0));  // 20 ms into a 250 ms travel
    CHECK(redeliver->from.kind == driftq::ui::FlowEnd::Kind::partition);
    CHECK(redeliver->to.kind == driftq::ui::FlowEnd::Kind::member);
    CHECK(expire->from.kind == driftq::ui::FlowEnd::Kind::member);
    // A travel later the moves have arrived and are gone; stepping back brings them back.
    h.ui().seek_now(760);
    CHECK(driftq::ui::flow_scene(h.ui()).moves.empty());
    h.ui().seek_now(600);
    const FlowScene back = driftq::ui::flow_scene(h.ui());
    REQUIRE(find_move(back, MoveKind::redeliver));
    CHECK(find_move(back, MoveKind::redeliver)->progress == doctest::Approx(100.0 / 250.0));
}

TEST_CASE("lesson 15 mid-run: produces fold into bundles and at most max_movers are kept") {
    driftq::ui_test::Harness h;
    REQUIRE(h.open_lesson(15));
    h.ui().seek_now(700);
    driftq::ui::FlowOptions o;
    o.max_movers = 4;
    const FlowScene s = driftq::ui::flow_scene(h.ui(), o);
    CHECK(s.moves.size() == 4);
    CHECK(s.moves_not_drawn > 0);
    for (const auto& m : s.moves) CHECK(m.progress >= 0);
    CHECK(s.members.size() == 2);
}

TEST_CASE("the Flow tab, clicked, draws producers, the broker and the consumers of lesson 4") {
    driftq::ui_test::Harness h;
    REQUIRE(h.open_lesson(4));
    h.ui().seek_now(520);
    h.frame();
    h.frame();
    REQUIRE(h.click_text("Flow"));
    h.frame();
    h.frame();
    CHECK(h.shows("producers"));
    CHECK(h.shows("consumers"));
    CHECK(h.shows("read by g"));
    CHECK(h.shows("stuck"));
}

static bool drew_in(const driftq::ui_test::Harness& h, const std::string& window) {
    return std::any_of(h.runs().begin(), h.runs().end(), [&](const auto& r) { return r.window == window; });
}

TEST_CASE("the Learn layout: a click on Learn in the menu bar shows Flow, the lesson in larger text and the timeline; Inspect goes back") {
    driftq::ui_test::Harness h;
    REQUIRE(h.open_lesson(1));
    h.ui().seek_now(100);  // step 2: "The consumer acks ..."
    h.frame();
    h.frame();
    CHECK(h.ui().state().layout == driftq::ui::Layout::inspect);
    CHECK(drew_in(h, "##lanes"));
    REQUIRE(h.click("Learn"));
    h.frame();
    h.frame();
    CHECK(h.ui().state().layout == driftq::ui::Layout::learn);
    // Flow is a window of its own, drawn without a tab to click; the lanes' window is not drawn.
    CHECK_FALSE(drew_in(h, "##lanes"));
    CHECK(h.shows("producers"));
    CHECK(h.shows("billing-1"));
    CHECK(h.find("Play", "Timeline"));
    // The step's text is drawn a fifth larger than the panel's other lines.
    float step_h = 0, title_h = 0;
    for (const auto& r : h.runs()) {
        if (r.text.find("The consumer") != std::string::npos) step_h = r.height;
        if (r.text.find("first-produce-consume") != std::string::npos && r.window.find("##lesson") != std::string::npos) title_h = r.height;
    }
    REQUIRE(title_h > 0);
    CHECK(step_h > title_h * 1.1f);
    REQUIRE(h.click("Inspect"));
    h.frame();
    h.frame();
    CHECK(h.ui().state().layout == driftq::ui::Layout::inspect);
    CHECK(drew_in(h, "##lanes"));
}

TEST_CASE("lesson 15: the crash greys the broker and empties it; at restart the WAL refills each partition") {
    driftq::ui_test::Harness h;
    REQUIRE(h.open_lesson(15));
    h.ui().seek_now(1600);
    const FlowScene down = driftq::ui::flow_scene(h.ui());
    CHECK(down.broker_down);
    CHECK(down.partitions.empty());
    for (const auto& m : down.members) CHECK(m.trouble);
    h.ui().seek_now(1900);  // 100 ms after the restart at 1800, of a 250 ms travel
    const FlowScene back = driftq::ui::flow_scene(h.ui());
    CHECK_FALSE(back.broker_down);
    CHECK(back.refill == doctest::Approx(0.4));
    REQUIRE(back.partitions.size() == 3);
    int replays = 0;
    for (const auto& m : back.moves) {
        if (m.kind != MoveKind::replay) continue;
        ++replays;
        CHECK(m.from.kind == driftq::ui::FlowEnd::Kind::wal);
        CHECK(m.to.kind == driftq::ui::FlowEnd::Kind::partition);
        CHECK(m.count == back.partitions[m.to.index].messages);
        CHECK(m.progress == doctest::Approx(0.4));
    }
    CHECK(replays == 3);
    h.ui().seek_now(2100);
    CHECK(driftq::ui::flow_scene(h.ui()).refill == 1);
}

TEST_CASE("the Flow panel: a click on a held delivery, then Ack as anyone, acks it and commits") {
    driftq::ui_test::Harness h;
    REQUIRE(h.open_lesson(4));
    h.ui().seek_now(520);
    h.ui().set_layout(driftq::ui::Layout::learn);  // Flow in its own window, in front
    h.frame();
    h.frame();
    const auto* name = [&]() -> const driftq::ui::TextRun* {
        for (const auto& r : h.runs()) {
            if (r.text == "stuck" && r.window == "Flow") return &r;
        }
        return nullptr;
    }();
    REQUIRE(name);
    // Feel along the member's box, right of its name, for the disc: its tooltip says what a click does.
    const float x0 = name->x.front(), y0 = name->y;
    std::optional<ImVec2> disc;
    for (float dy = 0; dy < 40 && !disc; dy += 4) {
        for (float dx = 0; dx < 200 && !disc; dx += 4) {
            h.move_mouse(ImVec2(x0 + dx, y0 + dy));
            h.frame();
            if (h.shows("Click to ack or nack it.")) disc = ImVec2(x0 + dx, y0 + dy);
        }
    }
    REQUIRE(disc);
    CHECK(h.shows("attempt 2"));
    h.click_at(*disc);
    h.frame();
    CHECK(h.shows("held by stuck"));
    REQUIRE(h.click("Ack as anyone (plain ack)"));
    h.frame();
    const driftq::Broker* b = h.ui().session().world().broker();
    REQUIRE(b);
    CHECK(b->committed_offset("orders", "g", 0) == 0);
    CHECK(h.ui().session().commands().size() == 1);
}

// Vertices drawn in the task colour (any alpha: it pulses) in the named window's draw list.
static int task_coloured_vertices(const std::string& window) {
    const ImVec4 c = driftq::ui::colors::task_text();
    const ImU32 rgb = ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, 1.0f)) & 0x00FFFFFF;
    int n = 0;
    const ImDrawData* d = ImGui::GetDrawData();
    for (int i = 0; d && i < d->CmdListsCount; ++i) {
        const ImDrawList* l = d->CmdLists[i];
        if (std::string(l->_OwnerName ? l->_OwnerName : "").rfind(window, 0) != 0) continue;  // the window or its children
        for (const ImDrawVert& v : l->VtxBuffer) n += (v.col & 0x00FFFFFF) == rgb;
    }
    return n;
}

TEST_CASE("a lesson step's pointer is ringed in the lanes and in Flow while the step is on screen, and only then") {
    driftq::ui_test::Harness h;
    REQUIRE(h.open_lesson(8));
    h.ui().seek_now(1000);  // step 1: no pointer
    h.frame();
    h.frame();
    CHECK(task_coloured_vertices("##lanes") == 0);
    h.ui().seek_now(2000);  // step 3 points at dlq.orders p1@0
    h.frame();
    h.frame();
    CHECK(task_coloured_vertices("##lanes") > 0);
    h.ui().set_layout(driftq::ui::Layout::learn);
    h.frame();
    h.frame();
    CHECK(task_coloured_vertices("Flow") > 0);
}

// Every bundled lesson in the Learn layout, 60 ms after its first produce: the Flow window
// draws every scenario producer and consumer by name, and that produce is on its way from a
// producer to its partition, 60 / 250 of the way.
TEST_CASE("the Flow panel on every bundled lesson: names drawn, the first produce 24% of the way") {
    driftq::ui_test::Harness h(1280, 720);
    h.ui().set_layout(driftq::ui::Layout::learn);
    int lessons = 0;
    for (int n = 1; h.open_lesson(n); ++n, ++lessons) {
        CAPTURE(n);
        h.ui().seek_now(h.ui().session().world().scenario().until_ms);
        const auto& log = h.ui().session().log();
        driftq::TimeMs first = -1;
        for (std::uint64_t i = 0; i < h.ui().session().visible_events() && first < 0; ++i) {
            if (log[i].kind == driftq::EventKind::produced) first = log[i].at;
        }
        REQUIRE(first >= 0);
        h.ui().seek_now(first + 60);
        h.frame();
        h.frame();
        std::string drawn;
        for (const auto& r : h.runs()) {
            if (r.window == "Flow") drawn += r.text + "\n";
        }
        const auto& sc = h.ui().session().world().scenario();
        for (const auto& p : sc.producers) CHECK_MESSAGE(drawn.find(p.name) != std::string::npos, p.name);
        for (const auto& c : sc.consumers) CHECK_MESSAGE(drawn.find(c.owner.empty() ? c.name : c.owner) != std::string::npos, c.name);
        const FlowScene s = driftq::ui::flow_scene(h.ui());
        const bool on_its_way = std::any_of(s.moves.begin(), s.moves.end(), [&](const auto& m) {
            return m.kind == MoveKind::produce && m.at == first && m.from.kind == driftq::ui::FlowEnd::Kind::producer &&
                   m.to.kind == driftq::ui::FlowEnd::Kind::partition && m.progress == doctest::Approx(60.0 / 250.0);
        });
        CHECK(on_its_way);
        for (const auto& m : s.members) {
            for (const auto& held : m.held) CHECK((held.lease_left >= 0 && held.lease_left <= 1));
        }
    }
    CHECK(lessons == 21);
}
