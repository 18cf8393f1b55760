// driftq-sim fuzz: the seeded random-scenario campaign (core/sim/campaign.hpp) over a seed range.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "native/commands.hpp"
#include "sim/campaign.hpp"

namespace driftq::cli {

namespace {

constexpr const char* kUsage =
    "usage: driftq-sim fuzz --seeds A..B [--out DIR] [--keep-going] [--hash] [--draw-only]\n"
    "\n"
    "Draws a whole scenario from each seed in A..B (inclusive), runs it twice, and checks every\n"
    "invariant the drawn situation promises, that both runs are identical, and that replay after\n"
    "each broker crash equals the durable state. A failing seed is printed with what failed, and\n"
    "its scenario is written to DIR/campaign-SEED.json (default: the current directory), which\n"
    "`driftq-sim run` reproduces. Stops at the first failure unless --keep-going.\n"
    "  --hash        also print one FNV-1a hash over every seed's trace (to compare builds)\n"
    "  --draw-only   write each seed's scenario to DIR without running it\n";

bool parse_seed_range(const std::string& text, std::uint64_t& from, std::uint64_t& to) {
    const std::size_t dots = text.find("..");
    if (dots == std::string::npos || dots == 0 || dots + 2 >= text.size()) return false;
    try {
        std::size_t used = 0;
        from = std::stoull(text.substr(0, dots), &used);
        if (used != dots) return false;
        const std::string rest = text.substr(dots + 2);
        to = std::stoull(rest, &used);
        return used == rest.size() && from <= to && text[0] != '-' && rest[0] != '-';
    } catch (const std::exception&) {
        return false;
    }
}

struct Options {
    std::uint64_t from = 0, to = 0;
    bool have_seeds = false;
    std::string out_dir = ".";
    bool keep_going = false;
    bool hash = false;
    bool draw_only = false;
};

bool parse(const Args& args, Options& o) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            std::exit(0);
        } else if ((a == "--seeds" || a == "--out") && i + 1 < args.size()) {
            if (a == "--out") {
                o.out_dir = args[++i];
            } else if (!(o.have_seeds = parse_seed_range(args[++i], o.from, o.to))) {
                std::fprintf(stderr, "driftq-sim fuzz: --seeds wants A..B with A <= B, got '%s'\n", args[i].c_str());
                return false;
            }
        } else if (a == "--keep-going") {
            o.keep_going = true;
        } else if (a == "--hash") {
            o.hash = true;
        } else if (a == "--draw-only") {
            o.draw_only = true;
        } else {
            std::fprintf(stderr, "driftq-sim fuzz: unexpected '%s'\n\n%s", a.c_str(), kUsage);
            return false;
        }
    }
    if (!o.have_seeds) std::fprintf(stderr, "driftq-sim fuzz: --seeds A..B is required\n\n%s", kUsage);
    return o.have_seeds;
}

// Writes a seed's scenario; returns the path, or "" (after saying why) if it could not.
std::string write_scenario_file(const Options& o, std::uint64_t seed, const std::string& scenario) {
    const std::string path = o.out_dir + "/campaign-" + std::to_string(seed) + ".json";
    std::ofstream f(path, std::ios::binary);
    f << scenario;
    if (!f.flush()) {
        std::fprintf(stderr, "driftq-sim fuzz: cannot write %s\n", path.c_str());
        return {};
    }
    return path;
}

}  // namespace

int fuzz(const Args& args) {
    Options o;
    if (!parse(args, o)) return 2;
    if (o.draw_only) {
        for (std::uint64_t seed = o.from;; ++seed) {
            const std::string path = write_scenario_file(o, seed, sim::random_scenario(seed));
            if (path.empty()) return 1;
            std::printf("%s\n", path.c_str());
            if (seed == o.to) return 0;
        }
    }
    const auto started = std::chrono::steady_clock::now();
    std::uint64_t seeds = 0, failed = 0, events = 0, checks = 0, hash = 0xcbf29ce484222325ull;
    for (std::uint64_t seed = o.from;; ++seed) {
        const sim::SeedOutcome r = sim::run_seed(seed);
        ++seeds;
        events += r.events;
        checks += r.checks;
        for (int i = 0; i < 8; ++i) hash = (hash ^ ((r.trace_hash >> (8 * i)) & 0xFF)) * 0x100000001b3ull;
        if (!r.ok) {
            ++failed;
            const std::string path = write_scenario_file(o, seed, r.scenario);
            std::printf("seed %llu FAILED: %s\n", static_cast<unsigned long long>(seed), r.failure.c_str());
            if (!path.empty()) std::printf("  reproduce: driftq-sim run %s\n", path.c_str());
            std::fflush(stdout);
            if (!o.keep_going) break;
        }
        if (seed == o.to) break;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("%llu seeds, %llu failed; %llu events and %llu checks in one run of each (each ran twice)\n",
                static_cast<unsigned long long>(seeds), static_cast<unsigned long long>(failed),
                static_cast<unsigned long long>(events), static_cast<unsigned long long>(checks));
    // Timing goes to stderr, so that stdout is the same on every build (the wasm test compares it).
    std::fprintf(stderr, "%.1f s, %.1f seeds/s\n", secs, secs > 0 ? static_cast<double>(seeds) / secs : 0.0);
    if (o.hash) std::printf("trace hash %016llx\n", static_cast<unsigned long long>(hash));
    return failed == 0 ? 0 : 1;
}

}  // namespace driftq::cli
