#include <cstdio>

#include "broker/broker.hpp"
#include "native/commands.hpp"
#include "native/demo.hpp"

namespace driftq::cli {

namespace {

constexpr const char* kUsage =
    "usage: driftq-sim demo [--json] [--state]\n"
    "\n"
    "Runs the built-in billing story (a poison message, a hung worker, a crash, the DLQ) and\n"
    "prints every broker event on virtual time.\n"
    "  --json    print the trace as NDJSON, one event per line\n"
    "  --state   print the canonical state dump at the end\n";

class PrintSink final : public EventSink {
public:
    explicit PrintSink(bool json) : json_(json) {}
    void on_event(const Event& e) override {
        const std::string line = json_ ? to_json(e) : to_text(e);
        std::fputs(line.c_str(), stdout);
        std::fputc('\n', stdout);
    }

private:
    bool json_;
};

}  // namespace

int demo(const Args& args) {
    bool json = false, state = false;
    for (const std::string& a : args) {
        if (a == "--json") {
            json = true;
        } else if (a == "--state") {
            state = true;
        } else if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        } else {
            std::fprintf(stderr, "driftq-sim demo: unknown argument '%s'\n\n%s", a.c_str(), kUsage);
            return 2;
        }
    }
    Broker broker;
    PrintSink sink(json);
    broker.set_event_sink(&sink);
    demo::run(broker);
    if (state) std::fputs(broker.dump_state().c_str(), stdout);
    return 0;
}

}  // namespace driftq::cli
