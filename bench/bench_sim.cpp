// Simulator speed: simulated events per second for a 1,000,000-message scenario, and trace
// writing speed (NDJSON). Prints Markdown; docs/benchmarks.md keeps the latest table.
//
//   build/release/bench/bench_sim [messages]    (default 1,000,000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/prng.hpp"
#include "sim/time_machine.hpp"
#include "sim/world.hpp"
#include "bench_scenario.hpp"

using namespace driftq;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int messages = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
    sim::World world(bench::big_scenario(messages));
    auto t = Clock::now();
    world.finish();
    const double run_s = seconds_since(t);
    const auto events = static_cast<double>(world.trace().size());
    std::printf("| what | figure |\n|---|---:|\n");
    std::printf("| messages | %d |\n| simulated virtual time | %.0f s |\n", messages,
                static_cast<double>(world.now()) / 1000);
    std::printf("| events in the trace | %.0f |\n| checks passed | %s |\n", events,
                world.passed() ? "all" : "NOT ALL");
    std::printf("| run time | %.2f s |\n| simulated events/s | %.0f |\n", run_s, events / run_s);

    t = Clock::now();
    std::string out;
    out.reserve(world.trace().size() * 160);
    for (const Event& e : world.trace()) {
        out += to_json(e);
        out += '\n';
    }
    const double json_s = seconds_since(t);
    FILE* f = std::fopen("/dev/null", "wb");
    t = Clock::now();
    std::fwrite(out.data(), 1, out.size(), f);
    std::fclose(f);
    std::printf("| trace as NDJSON | %.0f MB |\n| trace writing (to_json) | %.0f events/s, %.0f MB/s |\n",
                static_cast<double>(out.size()) / (1 << 20), events / json_s,
                static_cast<double>(out.size()) / (1 << 20) / json_s);
    if (!world.passed()) return 1;

    // Time travel: record a run of about 1,000,000 events, then seek to random times.
    const int tt_messages = messages / 4;
    t = Clock::now();
    sim::TimeMachine tm(bench::big_scenario(tt_messages));
    const double record_s = seconds_since(t);
    Prng rng(7);
    const TimeMs until = tm.recording().scenario().until_ms;
    double total_ms = 0, worst_ms = 0;
    const int seeks = 200;
    for (int i = 0; i < seeks; ++i) {
        const auto target = static_cast<TimeMs>(rng.below(static_cast<std::uint64_t>(until)));
        const auto s0 = Clock::now();
        const sim::World& w = tm.seek(target);
        const double ms = seconds_since(s0) * 1000;
        if (w.now() != target) return 1;
        total_ms += ms;
        worst_ms = std::max(worst_ms, ms);
    }
    std::printf("\n| time travel | figure |\n|---|---:|\n");
    std::printf("| events in the recorded run | %zu |\n| snapshots (every 20,000 events) | %zu |\n",
                tm.trace().size(), tm.snapshot_count());
    std::printf("| recording time (run + snapshots) | %.2f s |\n", record_s);
    std::printf("| random seek, mean of %d | %.1f ms |\n| random seek, worst | %.1f ms |\n", seeks,
                total_ms / seeks, worst_ms);
    return 0;
}
