// driftq-sim: the headless runner. For now it runs the built-in teaching story and prints its
// trace; scenario files come with the simulator.
#include <cstdio>
#include <cstring>
#include <string>

#include "core/broker.hpp"
#include "native/demo.hpp"

namespace {

const char* kUsage =
    "usage: driftq-sim demo [--json] [--state]\n"
    "\n"
    "  demo      run the built-in billing story (poison message, hung worker, crash, DLQ)\n"
    "            and print every broker event on virtual time\n"
    "  --json    print the trace as NDJSON (one event per line) instead of text\n"
    "  --state   print the canonical state dump at the end\n";

class PrintSink final : public driftq::EventSink {
public:
    explicit PrintSink(bool json) : json_(json) {}
    void on_event(const driftq::Event& e) override {
        const std::string line = json_ ? driftq::to_json(e) : driftq::to_text(e);
        std::fputs(line.c_str(), stdout);
        std::fputc('\n', stdout);
    }

private:
    bool json_;
};

}  // namespace

int main(int argc, char** argv) {
    bool json = false, state = false, demo = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "demo") {
            demo = true;
        } else if (arg == "--json") {
            json = true;
        } else if (arg == "--state") {
            state = true;
        } else if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        } else {
            std::fprintf(stderr, "driftq-sim: unknown argument '%s'\n\n%s", arg.c_str(), kUsage);
            return 2;
        }
    }
    if (!demo) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    driftq::Broker broker;
    PrintSink sink(json);
    broker.set_event_sink(&sink);
    driftq::demo::run(broker);
    if (state) std::fputs(broker.dump_state().c_str(), stdout);
    return 0;
}
