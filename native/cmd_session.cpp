// driftq-sim session: an interactive session driven by a script, as a front end drives one. It
// shows what the model does with commands, seeks and forks, and saves the session as a scenario
// file that `driftq-sim run` replays with the same trace.
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "native/commands.hpp"
#include "sim/session.hpp"

namespace driftq::cli {

namespace {

constexpr const char* kUsage =
    "usage: driftq-sim session FILE --script SCRIPT [--save OUT.json] [--trace OUT.ndjson]\n"
    "\n"
    "Opens FILE as an interactive session and runs SCRIPT, one step per line (# comments):\n"
    "  run MS            advance to virtual time MS (below the current time: seek back)\n"
    "  seek MS           go to MS within what has happened\n"
    "  live              go to the latest time of the current branch\n"
    "  step-event        forward to the next time something happens; step-back: back to the last\n"
    "  step-tick         forward one broker tick; step-tick-back: back one\n"
    "  do {JSON}         apply a command now (a timeline entry without \"at\"); prints its result;\n"
    "                    after a seek back it forks a new branch\n"
    "  branch N          switch to branch N; compare A B: first event where branches differ\n"
    "  state             print the broker state\n"
    "--save writes the session as a scenario file (its commands in the timeline, each expecting\n"
    "the result it got); --trace writes the current branch's events up to its head as NDJSON.\n";

bool read_text(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
    return true;
}

bool to_time(const std::string& s, TimeMs& out) {
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno != 0 || v < 0 || v > 1'000'000'000) return false;
    out = v;
    return true;
}

// Runs one script line; returns false (after printing why) when the line is wrong.
bool step(sim::Session& s, const std::string& line, const std::string& where) {
    std::istringstream in(line);
    std::string verb, arg, arg2;
    in >> verb;
    TimeMs t = 0;
    if (verb == "run" || verb == "seek") {
        in >> arg;
        if (!to_time(arg, t)) return std::fprintf(stderr, "%s: expected a time in ms, found '%s'\n", where.c_str(), arg.c_str()), false;
        verb == "run" ? s.run_until(t) : s.seek(t);
    } else if (verb == "live") {
        s.go_live();
    } else if (verb == "step-event") {
        (void)s.step_event();
    } else if (verb == "step-back") {
        s.step_event_back();
    } else if (verb == "step-tick") {
        s.step_tick();
    } else if (verb == "step-tick-back") {
        s.step_tick_back();
    } else if (verb == "do") {
        const std::string json = line.substr(line.find("do") + 2);
        auto c = sim::parse_command(json, where);
        if (!c) return std::fprintf(stderr, "%s\n", c.error().message.c_str()), false;
        const sim::CommandResult r = s.apply(c->command);
        std::printf("%7lld  %s -> %s%s\n", static_cast<long long>(s.now()), sim::describe(c->command).c_str(),
                    r.text().c_str(), r.detail.empty() ? "" : (" (" + r.detail + ")").c_str());
    } else if (verb == "branch") {
        in >> arg;
        const int id = std::atoi(arg.c_str());
        if (id < 0 || static_cast<std::size_t>(id) >= s.branches().size()) {
            return std::fprintf(stderr, "%s: no branch %s\n", where.c_str(), arg.c_str()), false;
        }
        s.switch_branch(id);
    } else if (verb == "compare") {
        in >> arg >> arg2;
        const int a = std::atoi(arg.c_str()), b = std::atoi(arg2.c_str());
        const int n = static_cast<int>(s.branches().size());
        if (a < 0 || b < 0 || a >= n || b >= n) return std::fprintf(stderr, "%s: no such branches\n", where.c_str()), false;
        const auto d = s.compare(a, b);
        if (!d.diverged) std::printf("branches %d and %d agree\n", a, b);
        else std::printf("branches %d and %d differ from event %llu:\n  %d: %s\n  %d: %s\n", a, b,
                         static_cast<unsigned long long>(d.first_event), a, d.a ? to_text(*d.a).c_str() : "(ends)",
                         b, d.b ? to_text(*d.b).c_str() : "(ends)");
    } else if (verb == "state") {
        std::printf("%s", s.world().broker() ? s.world().broker()->dump_state().c_str() : "(broker down)\n");
    } else if (!verb.empty() && verb[0] != '#') {
        return std::fprintf(stderr, "%s: unknown step '%s'\n", where.c_str(), verb.c_str()), false;
    }
    return true;
}

}  // namespace

int session(const Args& args) {
    std::string file, script, save, trace;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") return std::fputs(kUsage, stdout), 0;
        std::string* value = a == "--script" ? &script : a == "--save" ? &save : a == "--trace" ? &trace : nullptr;
        if (value) {
            if (i + 1 >= args.size()) return std::fprintf(stderr, "driftq-sim session: %s needs a value\n", a.c_str()), 2;
            *value = args[++i];
        } else if (a.rfind("--", 0) == 0 || !file.empty()) {
            return std::fprintf(stderr, "driftq-sim session: unexpected '%s'\n\n%s", a.c_str(), kUsage), 2;
        } else {
            file = a;
        }
    }
    if (file.empty() || script.empty()) return std::fputs(kUsage, stderr), 2;
    std::string text, lines;
    if (!read_text(file, text)) return std::fprintf(stderr, "driftq-sim session: cannot read %s\n", file.c_str()), 1;
    if (!read_text(script, lines)) return std::fprintf(stderr, "driftq-sim session: cannot read %s\n", script.c_str()), 1;
    auto scenario = sim::parse_scenario(text, file);
    if (!scenario) return std::fprintf(stderr, "%s\n", scenario.error().message.c_str()), 1;
    sim::Session s(std::move(scenario.value()));
    std::istringstream in(lines);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (!step(s, line, script + ":" + std::to_string(n))) return 1;
    }
    if (!save.empty()) {
        std::ofstream out(save, std::ios::binary);
        out << sim::write_scenario(s.scenario());
        if (!out) return std::fprintf(stderr, "driftq-sim session: cannot write %s\n", save.c_str()), 1;
    }
    if (!trace.empty()) {
        std::ofstream out(trace, std::ios::binary);
        for (std::size_t i = 0; i < s.log().size(); ++i) out << to_json(s.log()[i]) << '\n';
        if (!out) return std::fprintf(stderr, "driftq-sim session: cannot write %s\n", trace.c_str()), 1;
    }
    return 0;
}

}  // namespace driftq::cli
