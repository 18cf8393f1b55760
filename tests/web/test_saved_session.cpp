// session.json, the session the web playground keeps in the browser: what it accepts, and what
// it refuses with the field that is wrong (a refused file is set aside, never opened half-read).
#include <doctest/doctest.h>

#include "web/saved_session.hpp"

using namespace driftq;
using namespace driftq::web;

TEST_CASE("a saved session reads back what was written") {
    SavedSession s;
    s.engine = "0.1.0";
    s.name = "15-broker-crash-wal-replay.json";
    s.at_ms = 1234;
    s.commands = 3;
    s.scenario = R"({"name": "x", "topics": [{"name": "t"}]})";
    auto back = read_saved_session(write_saved_session(s), "session.json");
    REQUIRE(back.ok());
    CHECK(back->engine == s.engine);
    CHECK(back->name == s.name);
    CHECK(back->at_ms == 1234);
    CHECK(back->commands == 3);
    CHECK(back->scenario == s.scenario);
}

TEST_CASE("optional fields default; the file's name stands in for a missing name") {
    auto s = read_saved_session(R"({"scenario": "{}"})", "session.json");
    REQUIRE(s.ok());
    CHECK(s->name == "session.json");
    CHECK(s->at_ms == 0);
    CHECK(s->commands == 0);
    CHECK(s->engine.empty());
}

TEST_CASE("a damaged or foreign session.json is refused with the field that is wrong") {
    const auto error_of = [](const char* text) {
        auto r = read_saved_session(text, "session.json");
        REQUIRE_FALSE(r.ok());
        return r.error().message;
    };
    CHECK(error_of("{not json") == "session.json: /: not JSON");
    CHECK(error_of("[1, 2]") == "session.json: /: expected an object");
    CHECK(error_of(R"({"at_ms": 5})") == "session.json: /scenario: missing");
    CHECK(error_of(R"({"scenario": 5})") == "session.json: /scenario: expected a string");
    CHECK(error_of(R"({"scenario": "{}", "at_ms": "x"})") == "session.json: /at_ms: expected a whole number >= 0");
    CHECK(error_of(R"({"scenario": "{}", "at_ms": -1})") == "session.json: /at_ms: expected a whole number >= 0");
    CHECK(error_of(R"({"scenario": "{}", "at_ms": 18446744073709551615})") == "session.json: /at_ms: too large");
    CHECK(error_of(R"({"scenario": "{}", "commands": 1.5})") == "session.json: /commands: expected a whole number >= 0");
    CHECK(error_of(R"({"scenario": "{}", "name": ["a"]})") == "session.json: /name: expected a string");
    CHECK(error_of(R"({"scenario": "{}", "format": "1"})") == "session.json: /format: expected a whole number");
    CHECK(error_of(R"({"scenario": "{}", "format": 2})") ==
          "session.json: /format: saved by a newer playground (format 2; this one reads up to 1)");
}
