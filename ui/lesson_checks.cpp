#include "ui/lesson_checks.hpp"

#include <cassert>

namespace driftq::ui {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// A result belongs to the expectation whose JSON path it starts with ("/expect/2 committed ...").
bool belongs_to(const sim::CheckResult& c, const sim::Expectation& x) {
    return !x.path.empty() && starts_with(c.what, x.path + " ");
}

CheckLine from_result(const sim::CheckResult& c, std::string text) {
    CheckLine l;
    l.status = c.ok ? CheckLine::Status::passed : CheckLine::Status::failed;
    l.text = std::move(text);
    if (!c.ok) l.found = c.observed;
    return l;
}

std::string when(const sim::Expectation& x) {
    return x.at ? "at " + std::to_string(*x.at) + " ms" : "at the end";
}

}  // namespace

LessonChecks lesson_checks(const sim::Session& session) {
    const sim::World& w = session.world();
    const std::vector<sim::CheckResult>* end = session.end_checks();
    const std::vector<sim::CheckResult>& results = end ? *end : w.checks();
    LessonChecks out;
    out.at_end = end != nullptr;
    const auto& expects = w.scenario().expectations;
    std::vector<bool> used(results.size(), false);
    for (const sim::Expectation& x : expects) {
        const sim::CheckResult* found = nullptr;
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (!belongs_to(results[i], x)) continue;
            found = &results[i];
            used[i] = true;
        }
        if (!found) {
            CheckLine l;
            l.text = sim::describe(x) + ", " + when(x);
            l.expectation = true;
            out.lines.push_back(std::move(l));
            continue;
        }
        // The report without its JSON path: the person reads what was checked, not where.
        std::string text = found->what.substr(x.path.size() + 1);
        if (x.at && text.find(" ms") == std::string::npos) text += " at " + std::to_string(*x.at) + " ms";
        CheckLine l = from_result(*found, std::move(text));
        l.expectation = true;
        out.lines.push_back(std::move(l));
    }
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (used[i]) continue;
        const sim::CheckResult& c = results[i];
        // An invariant that held says how ("held", "12 deliveries checked").
        const bool say_how = c.ok && starts_with(c.what, "invariant") && !c.observed.empty();
        out.lines.push_back(from_result(c, say_how ? c.what + ": " + c.observed : c.what));
    }
    for (const CheckLine& l : out.lines) {
        switch (l.status) {
            case CheckLine::Status::waiting: ++out.waiting; break;
            case CheckLine::Status::passed: ++out.passed; break;
            case CheckLine::Status::failed: ++out.failed; break;
        }
    }
    assert(out.passed + out.failed + out.waiting == static_cast<int>(out.lines.size()));
    // finish() checks every expectation: one not yet due (or never reached) is reported as such.
    assert(!out.at_end || out.waiting == 0);
    return out;
}

}  // namespace driftq::ui
