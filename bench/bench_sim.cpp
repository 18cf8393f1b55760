// Simulator speed: simulated events per second for a 1,000,000-message scenario, and trace
// writing speed (NDJSON). Prints Markdown; docs/benchmarks.md keeps the latest table. Time travel
// is measured by bench_session.
//
//   build/release/bench/bench_sim [messages]    (default 1,000,000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

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

    return 0;
}
