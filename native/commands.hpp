// The subcommands of driftq-sim. Each returns the process exit status and prints its own errors.
#pragma once

#include <string>
#include <vector>

namespace driftq::cli {

using Args = std::vector<std::string>;

int demo(const Args& args);        // driftq-sim demo [--json] [--state]
int wal(const Args& args);         // driftq-sim wal DIR
int import_wal(const Args& args);  // driftq-sim import-wal FILE [--write-wal DIR] [--skip-bad-lines]
int run(const Args& args);         // driftq-sim run FILE... [--seed N] [--until MS] [--trace OUT]
int check(const Args& args);       // driftq-sim check FILE...
int trace(const Args& args);       // driftq-sim trace FILE
int state(const Args& args);       // driftq-sim state FILE --at MS
int session(const Args& args);     // driftq-sim session FILE --script SCRIPT [--save OUT] [--trace OUT]
int fuzz(const Args& args);        // driftq-sim fuzz --seeds A..B [--out DIR] [--keep-going] [--hash]

}  // namespace driftq::cli
