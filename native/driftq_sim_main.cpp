// driftq-sim: the headless runner. Subcommands live in cmd_*.cpp.
#include <cstdio>
#include <string>

#include "native/commands.hpp"

namespace {

constexpr const char* kUsage =
    "usage: driftq-sim COMMAND [ARGS]   (driftq-sim COMMAND --help for details)\n"
    "\n"
    "  run FILE...          run scenarios and check their expectations (exit 0 = all hold)\n"
    "  check FILE...        validate scenario files without running them\n"
    "  trace FILE           print a scenario run's events as NDJSON\n"
    "  state FILE --at MS   print the broker state at a virtual time\n"
    "  session FILE --script SCRIPT   drive an interactive session; save it as a scenario\n"
    "  fuzz --seeds A..B    draw random scenarios from seeds, run each twice, check everything\n"
    "  demo                 run the built-in teaching story and print its trace\n"
    "  wal DIR              list and decode the records of a WAL directory\n"
    "  import-wal FILE      replay an upstream DriftQ JSON-lines WAL and print the state\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    const std::string command = argv[1];
    const driftq::cli::Args args(argv + 2, argv + argc);
    if (command == "run") return driftq::cli::run(args);
    if (command == "check") return driftq::cli::check(args);
    if (command == "trace") return driftq::cli::trace(args);
    if (command == "state") return driftq::cli::state(args);
    if (command == "session") return driftq::cli::session(args);
    if (command == "demo") return driftq::cli::demo(args);
    if (command == "fuzz") return driftq::cli::fuzz(args);
    if (command == "wal") return driftq::cli::wal(args);
    if (command == "import-wal") return driftq::cli::import_wal(args);
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    std::fprintf(stderr, "driftq-sim: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
}
