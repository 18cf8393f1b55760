// libFuzzer target for the upstream WAL importer followed by replay: any text is parsed line by
// line (bad lines reported, never fatal), and the records are applied to a fresh broker as
// `driftq-sim import-wal` does. Nothing may crash, overflow or read out of bounds; a record the
// broker refuses is an error value.
//
// Run: build/fuzz/tests/fuzz_upstream_wal -max_total_time=600 build/fuzz/corpus-upstream
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "broker/broker.hpp"
#include "wal/upstream_wal.hpp"

using namespace driftq;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const UpstreamWal parsed = parse_upstream_wal(text, 1000);
    Broker broker;
    for (const WalRecord& r : parsed.records) {
        if (!broker.apply_record(r, 1000)) break;
    }
    broker.finish_replay();
    (void)broker.dump_durable_state();
    return 0;
}
