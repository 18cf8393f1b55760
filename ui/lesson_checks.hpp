// What the lesson panel lists under "What should hold", worked out from the session alone so the
// tally and the list can never disagree: one line per expectation of the scenario (passed, failed
// with what was found, or still waiting and until when), then every other check the run made
// (timeline commands' expected results, invariants, setup errors). Before the scenario's end the
// checks come from the world on screen (the timed ones already due); at or past the end from the
// session's end-of-run report, which is exactly what `driftq-sim run` prints.
#pragma once

#include <string>
#include <vector>

#include "sim/session.hpp"

namespace driftq::ui {

struct CheckLine {
    enum class Status { waiting, passed, failed } status = Status::waiting;
    std::string text;   // what is checked, in words, with its time
    std::string found;  // a failure: what was found instead
    bool expectation = false;  // one of the scenario's own "expect" entries
};

struct LessonChecks {
    std::vector<CheckLine> lines;
    int passed = 0, failed = 0, waiting = 0;
    bool at_end = false;  // the end-of-run report (the cursor is at or past until_ms)
};

LessonChecks lesson_checks(const sim::Session& session);

}  // namespace driftq::ui
