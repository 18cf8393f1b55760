// Time travel in an interactive session: what recording costs in memory and how fast seeks are.
// A run of about 1,000,000 events is recorded by a Session (snapshots every N events, the event
// log shared by branches), then seeked to random times and stepped back from random times.
// Memory is the peak RSS of a child process that records the session, minus that of a child
// that runs the same scenario with a plain World (which keeps its trace too). Prints Markdown;
// docs/benchmarks.md keeps the latest table.
//
//   build/release/bench/bench_session [messages] [events_per_snapshot]   (250,000 and the default)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "base/prng.hpp"
#include "sim/session.hpp"
#include "bench_scenario.hpp"

using namespace driftq;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Runs `work` in a child process and returns its peak resident set in MiB.
template <class Work>
double peak_rss_mib(Work&& work) {
    const pid_t pid = fork();
    if (pid == 0) {
        work();
        _exit(0);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    const int messages = argc > 1 ? std::atoi(argv[1]) : 250'000;
    const std::uint64_t every = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : sim::SessionOptions{}.events_per_snapshot;
    const sim::Scenario s = bench::big_scenario(messages);

    const double plain_mib = peak_rss_mib([&] {
        sim::World w(s);
        w.run_until(s.until_ms);
    });
    const double session_mib = peak_rss_mib([&] {
        sim::Session session(s, sim::SessionOptions{every});
        session.run_until(s.until_ms);
    });

    auto t = Clock::now();
    sim::Session session(s, sim::SessionOptions{every});
    session.run_until(s.until_ms);
    const double record_ms = ms_since(t);
    const std::size_t events = session.log().size();

    Prng rng(7);
    std::vector<double> seeks;
    for (int i = 0; i < 1000; ++i) {
        const auto target = static_cast<TimeMs>(rng.below(static_cast<std::uint64_t>(s.until_ms)));
        t = Clock::now();
        session.seek(target);
        seeks.push_back(ms_since(t));
        if (session.now() != target) return 1;
    }
    std::vector<double> backs;
    for (int i = 0; i < 200; ++i) {
        session.seek(static_cast<TimeMs>(rng.below(static_cast<std::uint64_t>(s.until_ms))));
        t = Clock::now();
        session.step_event_back();
        backs.push_back(ms_since(t));
    }

    std::printf("| time travel (session) | figure |\n|---|---:|\n");
    std::printf("| events recorded | %zu |\n| snapshots (every %llu events) | %zu |\n", events,
                static_cast<unsigned long long>(every), session.snapshot_count());
    std::printf("| recording time | %.2f s |\n", record_ms / 1000);
    std::printf("| peak RSS, plain run | %.0f MiB |\n| peak RSS, session with time travel | %.0f MiB |\n",
                plain_mib, session_mib);
    std::printf("| time travel's extra memory | %.0f MiB |\n", session_mib - plain_mib);
    std::printf("| random seek p50 / p99 / worst (1,000) | %.1f / %.1f / %.1f ms |\n", percentile(seeks, 0.5),
                percentile(seeks, 0.99), *std::max_element(seeks.begin(), seeks.end()));
    std::printf("| step one event back p99 / worst (200) | %.1f / %.1f ms |\n", percentile(backs, 0.99),
                *std::max_element(backs.begin(), backs.end()));
    return 0;
}
