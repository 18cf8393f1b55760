// Lesson tasks: every bundled lesson step with a task is solved by its own solution, applied as a
// person would (at the step, through the session), saved as a scenario file and replayed; without
// the person's commands the goal holds neither at the step nor at the end. Also the task and
// pointer fields' errors, and the redrive command the DLQ lesson's task uses.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenario_fixture.hpp"
#include "sim/session.hpp"
#include "sim/tasks.hpp"

using namespace driftq;
using namespace driftq::sim;

namespace {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct BundledLesson {
    std::string file;
    Scenario scenario;
};

std::vector<BundledLesson> lessons_with_tasks() {
    std::vector<BundledLesson> out;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(DRIFTQ_SCENARIOS)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        if (f.extension() != ".json") continue;
        Scenario s = parse_ok(read_text(f));
        const bool has_task = std::any_of(s.lessons.begin(), s.lessons.end(), [](const sim::Lesson& l) { return l.task.has_value(); });
        if (has_task) out.push_back({f.filename().string(), std::move(s)});
    }
    return out;
}

bool solved(const World& w, std::size_t step) {
    const auto t = task_status(w, step);
    REQUIRE(t);
    return t->solved();
}

}  // namespace

// A person walks the lesson: at each task's step the goal does not hold yet; they do what Skip
// does; it holds. The session saved and replayed holds it at the same step, and every check of
// the file passes. The lesson run alone (nobody acting) passes its own checks too.
TEST_CASE("every bundled task: unsolved until the person acts, solved by its solution, saved and replayed") {
    const std::vector<BundledLesson> lessons = lessons_with_tasks();
    CHECK(lessons.size() >= 9);  // six lessons with a task and three challenges
    for (const BundledLesson& l : lessons) {
        CAPTURE(l.file);
        World untouched(l.scenario);
        untouched.finish();
        CHECK(untouched.passed());
        Session s(l.scenario);
        std::vector<std::size_t> steps;
        for (std::size_t step = 0; step < l.scenario.lessons.size(); ++step) {
            const auto& task = l.scenario.lessons[step].task;
            if (!task) continue;
            CAPTURE(step);
            steps.push_back(step);
            s.run_until(l.scenario.lessons[step].at);
            CHECK_FALSE(solved(s.world(), step));
            for (const Command& c : task->solution) {
                const CommandResult r = s.apply(c);
                CHECK_MESSAGE(r.ok(), std::string(describe(c) + ": " + r.text()));
            }
            CHECK(solved(s.world(), step));
        }
        const std::string saved = write_scenario(s.scenario());
        for (std::size_t step : steps) {
            World replay(parse_ok(saved));
            replay.run_until(l.scenario.lessons[step].at);
            CHECK(solved(replay, step));
        }
        World replay(parse_ok(saved));
        replay.finish();
        for (const CheckResult& c : replay.checks()) CHECK_MESSAGE(c.ok, std::string(c.what + " found " + c.observed));
        CHECK(replay.passed());
    }
}

TEST_CASE("a task's goal and solution refuse a time, and a goal or solution must be there") {
    const std::string head = R"({"name": "t", "topics": [{"name": "orders"}], "lessons": [{"at": 0, "text": "x", )";
    auto errors = [&](const std::string& lesson_tail) {
        auto s = parse_scenario(head + lesson_tail + "}]}", "t.json");
        return s.ok() ? std::string() : s.error().message;
    };
    CHECK(errors(R"("task": {"text": "do", "goal": [{"at": 5, "check": "topic_messages", "topic": "orders", "equals": 1}], "solution": [{"action": "produce", "topic": "orders"}]})")
              .find("/lessons/0/task/goal/0/at: a task's goal is checked whenever the person acts") != std::string::npos);
    CHECK(errors(R"("task": {"text": "do", "goal": [{"check": "topic_messages", "topic": "orders", "equals": 1}], "solution": [{"at": 3, "action": "produce", "topic": "orders"}]})")
              .find("/lessons/0/task/solution/0/at: a solution's commands are applied when Skip is pressed") != std::string::npos);
    CHECK(errors(R"("task": {"text": "do", "goal": [], "solution": [{"action": "produce", "topic": "orders"}]})").find("/lessons/0/task/goal: a task needs at least one check") !=
          std::string::npos);
    CHECK(errors(R"("task": {"text": "do", "goal": [{"check": "topic_messages", "topic": "orders", "equals": 1}]})").find("/lessons/0/task/solution: a task needs a solution") !=
          std::string::npos);
    CHECK(errors(R"("task": {"text": "do", "goal": [{"check": "topic_messages", "topic": "ordres", "equals": 1}], "solution": [{"action": "produce", "topic": "orders"}]})")
              .find("unknown topic \"ordres\"") != std::string::npos);
    CHECK(errors(R"("look": [{"what": "partitoin", "topic": "orders"}])").find("/lessons/0/look/0/what: expected one of") != std::string::npos);
    CHECK(errors(R"("look": [{"what": "member", "group": "g"}])").find("/lessons/0/look/0/member: required string is missing") != std::string::npos);
    CHECK(errors(R"("look": [{"what": "wal"}, {"what": "commit", "topic": "orders", "group": "g", "partition": 0}])").empty());
}

TEST_CASE("redrive: a dead letter goes back to its topic as a new message without its dlq metadata") {
    Scenario sc = parse_ok(R"({"name": "t", "until_ms": 3000,
        "topics": [{"name": "orders", "partitions": 2}],
        "producers": [{"name": "p", "topic": "orders", "messages": [{"at": 0, "key": "k1", "value": "poison",
                       "envelope": {"run_id": "r7", "retry_policy": {"max_attempts": 2}}}]}],
        "consumers": [{"name": "stuck", "topic": "orders", "group": "billing", "lease_ms": 300, "behaviour": "hang"}]})");
    Session s(sc);
    s.run_until(2000);
    const Broker& b = *s.world().broker();
    const Topic* dlq = b.find_topic("dlq.orders");
    REQUIRE(dlq);
    std::int32_t p = -1;
    for (std::size_t i = 0; i < dlq->partitions.size(); ++i) {
        if (!dlq->partitions[i].messages.empty()) p = static_cast<std::int32_t>(i);
    }
    REQUIRE(p >= 0);
    Command c;
    c.kind = Command::Kind::redrive;
    c.topic = "dlq.orders";
    c.partition = p;
    c.offset = 0;
    const CommandResult r = s.apply(c);
    REQUIRE(r.ok());
    const auto& p1 = s.world().broker()->find_topic("orders")->partitions[1].messages;
    REQUIRE(p1.size() == 2);  // key k1's partition, the topic's next offset
    const Message* m = &p1.back();
    CHECK(r.detail == "orders p1@1");
    CHECK(m->value() == "poison");
    REQUIRE(m->envelope());
    CHECK_FALSE(m->envelope()->dlq.has_value());
    CHECK(m->envelope()->run_id == "r7");
    CHECK(describe(c) == "redrive dlq.orders p" + std::to_string(p) + "@0");
    // Not a dead letter, or no message there: refused, nothing produced.
    c.topic = "orders";
    c.partition = 1;
    CHECK(s.apply(c).text() == "orders p1@0: not a dead letter (it has no dlq metadata)");
    c.offset = 99;
    CHECK(s.apply(c).text() == "orders p1@99: no such message");
    CHECK(s.world().broker()->find_topic("orders")->partitions[1].messages.size() == 2);
}
