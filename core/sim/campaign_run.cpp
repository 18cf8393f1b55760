// Running one campaign seed: draw, parse, run twice, compare, check.
#include "sim/campaign.hpp"

#include "sim/world.hpp"

namespace driftq::sim {

namespace {

struct Run {
    std::string trace;  // NDJSON
    std::uint64_t events = 0;
    std::vector<CheckResult> checks;
};

Run run_once(const Scenario& scenario) {
    World world(scenario);
    world.finish();
    Run r;
    for (const Event& e : world.trace()) r.trace += to_json(e) + "\n";
    r.events = world.trace().size();
    r.checks = world.checks();
    return r;
}

std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    return h;
}

// The line number (from 1) where two traces first differ.
std::size_t first_differing_line(const std::string& a, const std::string& b) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < a.size() && i < b.size() && a[i] == b[i]; ++i) {
        if (a[i] == '\n') ++line;
    }
    return line;
}

}  // namespace

SeedOutcome run_seed(std::uint64_t seed) {
    SeedOutcome out;
    out.seed = seed;
    out.scenario = random_scenario(seed);
    auto scenario = parse_scenario(out.scenario, "campaign-" + std::to_string(seed) + ".json");
    if (!scenario) {
        out.failure = "the generator drew a scenario the reader refuses: " + scenario.error().message;
        return out;
    }
    const Run first = run_once(scenario.value());
    const Run second = run_once(scenario.value());
    out.events = first.events;
    out.checks = first.checks.size();
    out.trace_hash = fnv1a(first.trace);
    if (first.trace != second.trace) {
        out.failure = "not deterministic: the second run's trace differs at event " +
                      std::to_string(first_differing_line(first.trace, second.trace));
        return out;
    }
    if (first.checks.empty()) {
        out.failure = "the scenario checked nothing";
        return out;
    }
    for (const CheckResult& c : first.checks) {
        if (!c.ok) {
            out.failure = c.what + " at " + std::to_string(c.at) + " ms: " + c.observed;
            return out;
        }
    }
    out.ok = true;
    return out;
}

}  // namespace driftq::sim
