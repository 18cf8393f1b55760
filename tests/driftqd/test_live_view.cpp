// driftq-viz --listen without a window or sockets: a live broker (on an in-memory WAL, its clock
// moved by the test) answers HTTP requests through the routes, and the visualiser, driven like
// a person through ImGui's input, mirrors it: traffic appears in the panels, pausing leaves the
// broker running, going back shows the past, L returns to live, acting forks a what-if branch,
// and the view's history equals the broker's own trace.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <future>
#include <mutex>
#include <sstream>

#include "harness.hpp"
#include "captured_reply.hpp"
#include "native/driftqd/routes.hpp"
#include "native/driftqd/stream_feed.hpp"
#include "wal/memory_storage.hpp"

using namespace driftq;
using namespace driftq::http;

namespace {

class QueueSource final : public ui::LiveSource {
public:
    void add(std::vector<sim::TimedCommand>&& commands, TimeMs now) {
        std::lock_guard lock(mutex_);
        for (auto& c : commands) pending_.commands.push_back(std::move(c));
        pending_.now = std::max(pending_.now, now);
    }
    Batch take() override {
        std::lock_guard lock(mutex_);
        Batch b;
        b.commands.swap(pending_.commands);
        b.now = pending_.now;
        return b;
    }
    std::string describe() const override { return "driftqd on test"; }

private:
    std::mutex mutex_;
    Batch pending_;
};


struct Live {
    MemoryStorage storage;
    std::atomic<TimeMs> clock{7'000'000};
    QueueSource source;
    LiveOptions options;
    std::unique_ptr<LiveBroker> broker;
    ServerInfo info;
    std::string trace_path = "live_view_test_trace.ndjson";

    Live() {
        options.on_round = [this](std::vector<sim::TimedCommand>&& c, TimeMs now) { source.add(std::move(c), now); };
        options.trace_path = trace_path;
        broker = LiveBroker::open(storage, 7'000'000, options, [this] { return clock.load(); }).value();
    }
    HttpResponse call(const std::string& method, const std::string& target, std::shared_ptr<StreamFeed>* feed = nullptr) {
        HttpRequest r;
        r.method = method;
        r.target = target;
        auto reply = std::make_shared<Captured>();
        auto f = reply->future();
        route(r, reply, *broker, info);
        HttpResponse out = f.get();
        if (feed) *feed = reply->feed_;
        return out;
    }
};

}  // namespace

TEST_CASE("the live view shows real traffic, keeps the broker running while paused, and returns to live") {
    Live live;
    ui_test::Harness h;
    h.ui().attach_live(live.source, live_scenario(live.options));
    h.frame();

    REQUIRE(live.call("POST", "/v1/topics?name=orders&partitions=2").status == 201);
    live.clock += 100;
    for (int i = 0; i < 3; ++i) REQUIRE(live.call("POST", "/v1/produce?topic=orders&key=k" + std::to_string(i) + "&value=v").status == 200);
    std::shared_ptr<StreamFeed> feed;
    REQUIRE(live.call("GET", "/v1/consume?topic=orders&group=billing&owner=alice&lease_ms=60000", &feed).status == 200);
    h.frame();
    h.frame();
    CHECK(h.ui().session().now() == h.ui().live_now());
    CHECK(h.shows("orders p0"));
    CHECK(h.shows("alice (billing)"));  // the In flight panel: the stream's deliveries
    CHECK(h.shows("following the live broker"));
    const TimeMs at_pause = h.ui().session().now();

    // Pause the view: the broker goes on and the view stays where it was.
    h.press(ImGuiKey_Space);
    CHECK_FALSE(h.ui().state().playing);
    live.clock += 2000;
    REQUIRE(live.call("POST", "/v1/produce?topic=orders&key=late&value=later").status == 200);
    const auto taken = feed->take();
    REQUIRE_FALSE(taken.lines.empty());
    auto field = [](const std::string& line, const std::string& key) {
        return std::stoll(line.substr(line.find("\"" + key + "\":") + key.size() + 3));
    };
    const std::string& first = taken.lines.front();
    REQUIRE(live.call("POST", "/v1/ack?topic=orders&group=billing&owner=alice&partition=" + std::to_string(field(first, "partition")) +
                                  "&offset=" + std::to_string(field(first, "offset"))).status == 204);
    h.frame();
    h.frame();
    CHECK(h.ui().session().now() == at_pause);
    CHECK(h.ui().live_now() >= at_pause + 2000);
    CHECK(h.shows("view paused"));
    // Forward steps stop at what the broker has done; going back works as in any session.
    h.press(ImGuiKey_LeftArrow);
    CHECK(h.ui().session().now() < at_pause);

    // L: back to the live edge, the late message there.
    h.type("l");
    h.frame();
    CHECK(h.ui().session().now() == h.ui().live_now());
    CHECK(h.ui().state().playing);
    CHECK(h.shows("following the live broker"));
    const auto& log = h.ui().session().log();
    bool late_seen = false;
    for (std::size_t i = 0; i < log.size(); ++i) late_seen = late_seen || (log[i].kind == EventKind::produced && log[i].at >= at_pause + 2000);
    CHECK(late_seen);

    // Acting from the view forks a what-if branch; the live branch keeps only the clients' commands.
    const std::size_t live_commands = h.ui().session().commands().size();
    sim::Command c;
    c.kind = sim::Command::Kind::produce;
    c.topic = "orders";
    c.value = "what if";
    CHECK(h.ui().act(c).ok());
    CHECK(h.ui().session().branch() == 1);
    h.type("l");
    h.frame();
    CHECK(h.ui().session().branch() == 0);
    CHECK(h.ui().session().commands().size() == live_commands);

    // The view's history is the broker's own, event for event.
    live.broker->stop();
    h.frame();
    std::ifstream in(live.trace_path);
    std::vector<std::string> broker_trace;
    for (std::string line; std::getline(in, line);) broker_trace.push_back(line);
    h.ui().go_live();
    const auto& view_log = h.ui().session().log();
    REQUIRE(view_log.size() == broker_trace.size());
    for (std::size_t i = 0; i < view_log.size(); ++i) {
        CAPTURE(i);
        CHECK(to_json(view_log[i]) == broker_trace[i]);
    }
    std::remove(live.trace_path.c_str());

    // Opening a lesson leaves the live view: the broker's later commands do not reach the lesson.
    REQUIRE(h.ui().open_bundled(0));
    CHECK_FALSE(h.ui().is_live());
    h.frame();
    CHECK(h.ui().session().branch() == 0);
    CHECK(h.ui().session().commands().empty());
}
