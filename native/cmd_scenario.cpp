// Scenario commands: run, check, trace, state.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "sim/world.hpp"
#include "native/commands.hpp"

namespace driftq::cli {

namespace {

constexpr const char* kRunUsage =
    "usage: driftq-sim run FILE... [--seed N] [--until MS] [--trace OUT.ndjson] [--lessons]\n"
    "\n"
    "Runs each scenario and checks its expectations and invariants. Prints a summary table; for a\n"
    "failure, the expectation, what was observed and the events that led to it. Exit status 0\n"
    "only when every check of every file holds.\n"
    "  --seed N        override the scenarios' seed\n"
    "  --until MS      stop at virtual time MS instead of the scenario's until_ms\n"
    "  --trace FILE    write the trace (NDJSON) of the last scenario to FILE\n"
    "  --lessons       print each scenario's lesson texts as the run reaches them\n"
    "  --play          print the events too, as text, between the lessons\n"
    "  --determinism   run each scenario twice more and fail if a trace differs\n";
constexpr const char* kCheckUsage =
    "usage: driftq-sim check FILE...\n\nValidates scenario files without running them.\n";
constexpr const char* kTraceUsage =
    "usage: driftq-sim trace FILE [--seed N] [--until MS]\n\nPrints the run's events as NDJSON.\n";
constexpr const char* kStateUsage =
    "usage: driftq-sim state FILE --at MS [--seed N]\n\n"
    "Prints the canonical broker state at virtual time MS.\n";

struct Options {
    std::vector<std::string> files;
    std::optional<std::uint64_t> seed;
    std::optional<TimeMs> until;
    std::optional<TimeMs> at;
    std::string trace_out;
    bool lessons = false;
    bool play = false;
    bool determinism = false;
};

bool parse_number(const std::string& s, std::int64_t& out) {
    if (s.empty() || s[0] == '-') return false;
    char* end = nullptr;
    errno = 0;
    out = std::strtoll(s.c_str(), &end, 10);
    return *end == '\0' && errno == 0 && out >= 0;
}

// Returns false (after printing why) on a bad command line.
bool parse_args(const Args& args, const char* cmd, const char* usage, Options& o) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::int64_t& out) {
            if (i + 1 >= args.size() || !parse_number(args[i + 1], out)) {
                std::fprintf(stderr, "driftq-sim %s: %s needs a non-negative number\n", cmd, a.c_str());
                return false;
            }
            ++i;
            return true;
        };
        std::int64_t n = 0;
        if (a == "--help" || a == "-h") {
            std::fputs(usage, stdout);
            std::exit(0);
        } else if (a == "--seed") {
            if (!value(n)) return false;
            o.seed = static_cast<std::uint64_t>(n);
        } else if (a == "--until" || a == "--at") {
            if (!value(n)) return false;
            if (n > 1'000'000'000) {
                std::fprintf(stderr, "driftq-sim %s: %s is at most 1000000000 ms\n", cmd, a.c_str());
                return false;
            }
            (a == "--until" ? o.until : o.at) = n;
        } else if (a == "--trace") {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "driftq-sim %s: --trace needs a file name\n", cmd);
                return false;
            }
            o.trace_out = args[++i];
        } else if (a == "--lessons") {
            o.lessons = true;
        } else if (a == "--play") {
            o.lessons = o.play = true;
        } else if (a == "--determinism") {
            o.determinism = true;
        } else if (a.rfind("--", 0) == 0) {
            std::fprintf(stderr, "driftq-sim %s: unknown option '%s'\n\n%s", cmd, a.c_str(), usage);
            return false;
        } else {
            o.files.push_back(a);
        }
    }
    if (o.files.empty()) {
        std::fputs(usage, stderr);
        return false;
    }
    return true;
}

std::optional<sim::Scenario> load(const std::string& file, const Options& o) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "%s: cannot read the file\n", file.c_str());
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto s = sim::parse_scenario(text.str(), file);
    if (!s) {
        std::fprintf(stderr, "%s\n", s.error().message.c_str());
        return std::nullopt;
    }
    if (o.seed) s.value().seed = *o.seed;
    if (o.until) s.value().until_ms = *o.until;
    return std::move(s).value();
}

// A report line of at most `max` bytes: a long last_error chain would bury the report.
std::string clipped(std::string line, std::size_t max = 240) {
    if (line.size() <= max) return line;
    const std::size_t total = line.size();
    line.resize(max);
    return line + "... (" + std::to_string(total) + " bytes)";
}

void print_failure(const sim::World& w, const sim::CheckResult& c) {
    std::printf("  FAIL at %lld ms: %s\n       observed: %s\n", static_cast<long long>(c.at),
                c.what.c_str(), clipped(c.observed, 2000).c_str());
    const auto& trace = w.trace();
    const std::size_t end = std::min<std::size_t>(static_cast<std::size_t>(c.last_event), trace.size());
    const std::size_t begin = end > 8 ? end - 8 : 0;
    if (begin < end) std::printf("       the events before it:\n");
    for (std::size_t i = begin; i < end; ++i) std::printf("       %s\n", clipped(to_text(trace[i])).c_str());
}

// Runs the scenario twice more, straight through, and compares each trace with `first`.
bool same_trace_twice(const std::string& file, const Options& o, const std::vector<Event>& first) {
    for (int i = 0; i < 2; ++i) {
        auto s = load(file, o);
        if (!s) return false;
        sim::World again(std::move(*s));
        again.finish();
        const auto& t = again.trace();
        if (t != first) {
            std::size_t k = 0;
            while (k < t.size() && k < first.size() && t[k] == first[k]) ++k;
            std::printf("  NOT DETERMINISTIC: run %d differs at event %zu\n", i + 2, k + 1);
            return false;
        }
    }
    std::printf("  deterministic: 3 runs, identical traces (%zu events)\n", first.size());
    return true;
}

}  // namespace

int run(const Args& args) {
    Options o;
    if (!parse_args(args, "run", kRunUsage, o)) return 2;
    // Progress (on stderr) only on a real terminal: under node, Emscripten's isatty says yes even
    // when the output is piped, and the line would land in captured output.
#ifdef __EMSCRIPTEN__
    const bool tty = false;
#else
    const bool tty = isatty(STDERR_FILENO) != 0;
#endif
    bool all_ok = true;
    for (const std::string& file : o.files) {
        auto s = load(file, o);
        if (!s) {
            all_ok = false;
            continue;
        }
        sim::World world(std::move(*s));
        const sim::Scenario& sc = world.scenario();
        std::size_t lesson = 0;
        std::size_t shown = 0;  // events already printed (--play)
        auto show_until = [&](TimeMs t) {
            // Lessons and events in time order; a lesson comes before the events of its time.
            const auto& tr = world.trace();
            for (;;) {
                const bool lesson_due = o.lessons && lesson < sc.lessons.size() && sc.lessons[lesson].at <= t;
                const bool event_due = o.play && shown < tr.size();
                if (lesson_due && (!event_due || sc.lessons[lesson].at <= tr[shown].at)) {
                    std::printf("\n[%lld ms] %s\n\n", static_cast<long long>(sc.lessons[lesson].at),
                                sc.lessons[lesson].text.c_str());
                    ++lesson;
                } else if (event_due) {
                    std::printf("%s\n", to_text(tr[shown++]).c_str());
                } else {
                    break;
                }
            }
        };
        // Run in slices so a long run can show progress and lessons appear in time order.
        const TimeMs slice = std::max<TimeMs>(1, o.play ? 1 : sc.until_ms / 50);
        for (TimeMs t = 0; t < sc.until_ms; t += slice) {
            world.run_until(t);
            show_until(t);
            if (tty && sc.until_ms >= 100'000) {
                std::fprintf(stderr, "\r%s %3lld%%", sc.name.c_str(), static_cast<long long>(100 * t / sc.until_ms));
            }
        }
        world.finish();
        show_until(sc.until_ms);
        if (tty && sc.until_ms >= 100'000) std::fprintf(stderr, "\r%*s\r", 60, "");
        std::size_t failed = 0;
        for (const auto& c : world.checks()) failed += c.ok ? 0 : 1;
        if (file == o.files.front() || o.lessons) {
            std::printf("%s%-36s %8s %8s %7s  %s\n", o.lessons ? "\n" : "", "scenario", "events",
                        "checks", "failed", "result");
        }
        std::printf("%-36s %8zu %8zu %7zu  %s\n", sc.name.c_str(), world.trace().size(),
                    world.checks().size(), failed, failed == 0 ? "ok" : "FAILED");
        for (const auto& c : world.checks()) {
            if (!c.ok) print_failure(world, c);
        }
        all_ok = all_ok && failed == 0;
        if (o.determinism && !same_trace_twice(file, o, world.trace())) all_ok = false;
        if (!o.trace_out.empty()) {
            std::ofstream out(o.trace_out, std::ios::binary);
            for (const Event& e : world.trace()) out << to_json(e) << '\n';
        }
    }
    return all_ok ? 0 : 1;
}

int check(const Args& args) {
    Options o;
    if (!parse_args(args, "check", kCheckUsage, o)) return 2;
    bool ok = true;
    for (const std::string& file : o.files) {
        if (load(file, o)) {
            std::printf("%s: ok\n", file.c_str());
        } else {
            ok = false;
        }
    }
    return ok ? 0 : 1;
}

int trace(const Args& args) {
    Options o;
    if (!parse_args(args, "trace", kTraceUsage, o)) return 2;
    if (o.files.size() != 1) {
        std::fprintf(stderr, "driftq-sim trace: give exactly one scenario file\n\n%s", kTraceUsage);
        return 2;
    }
    auto s = load(o.files[0], o);
    if (!s) return 1;
    sim::World world(std::move(*s));
    world.finish();
    for (const Event& e : world.trace()) std::printf("%s\n", to_json(e).c_str());
    return 0;
}

int state(const Args& args) {
    Options o;
    if (!parse_args(args, "state", kStateUsage, o)) return 2;
    if (o.files.size() != 1 || !o.at) {
        std::fprintf(stderr, "driftq-sim state: give one scenario file and --at MS\n\n%s", kStateUsage);
        return 2;
    }
    auto s = load(o.files[0], o);
    if (!s) return 1;
    sim::World world(std::move(*s));
    world.run_until(std::min(*o.at, world.scenario().until_ms));
    if (!world.broker()) {
        std::printf("the broker is down at %lld ms\n", static_cast<long long>(*o.at));
        return 0;
    }
    std::fputs(world.broker()->dump_state().c_str(), stdout);
    return 0;
}

}  // namespace driftq::cli
