// libFuzzer target for the scenario parser and the command decoder (one timeline entry, as a
// session script or a front end sends it): any text either parses or is refused with an error
// naming where; a parsed scenario writes back to text that parses again to the same timeline.
// (Running fuzzed scenarios is the random-scenario campaign's job, not this target's.)
//
// Run: build/fuzz/tests/fuzz_scenario_parser -max_total_time=600 build/fuzz/corpus-scenario
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sim/scenario.hpp"

using namespace driftq;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto command = sim::parse_command(text, "fuzz command"); !command && command.error().message.empty()) {
        std::abort();  // a refusal must say why
    }
    auto parsed = sim::parse_scenario(text, "fuzz.json");
    if (!parsed) {
        if (parsed.error().message.empty()) std::abort();  // a refusal must say why
        return 0;
    }
    const std::string written = sim::write_scenario(parsed.value());
    auto again = sim::parse_scenario(written, "fuzz-written.json");
    if (!again || again->timeline != parsed->timeline || again->until_ms != parsed->until_ms) {
        std::abort();  // what the writer wrote, the reader must read back
    }
    return 0;
}
