// libFuzzer target for the WAL reader. The input is split into files: the first byte chooses how
// many segments (1..3); the rest is cut into that many equal pieces, each used as a segment file
// (optionally with a MANIFEST). Reading must never crash, hang or read out of bounds; recovery
// in point_in_time mode, and replaying what it kept into a broker, must always succeed or fail
// with an error value.
//
// Build: cmake --preset fuzz && cmake --build --preset fuzz
// Run:   build/fuzz/tests/fuzz_wal_reader -max_total_time=600 build/fuzz/corpus
#include <cstddef>
#include <cstdint>
#include <string>

#include "broker/recovery.hpp"
#include "wal/memory_storage.hpp"
#include "wal/wal.hpp"
#include "wal/wal_format.hpp"

using namespace driftq;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t segments = 1 + data[0] % 3;
    const bool manifest = data[0] & 0x80;
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    MemoryStorage storage;
    const std::size_t piece = rest.size() / segments;
    for (std::size_t i = 0; i < segments; ++i) {
        const std::size_t len = i + 1 == segments ? rest.size() - piece * i : piece;
        (void)storage.append(segment_name(static_cast<std::uint32_t>(i + 1)), rest.substr(piece * i, len));
    }
    if (manifest) {
        std::string text = std::string(kManifestFirstLine) + "\n";
        for (std::size_t i = 0; i < segments; ++i) text += "segment " + segment_name(static_cast<std::uint32_t>(i + 1)) + "\n";
        (void)storage.append(kManifestName, text);
    }
    auto contents = read_wal(storage);
    if (contents) {
        for (const WalRecord& r : contents->records) (void)describe(r);
    }
    WalOptions o;
    o.recovery = RecoveryMode::point_in_time;
    // Replay what was read into a broker, as a restart does (on a copy: recovery may repair).
    MemoryStorage copy = storage;
    Broker broker;
    if (auto restored = restore_broker(broker, copy, o, 0)) (void)broker.dump_durable_state();
    auto wal = Wal::open(storage, o);
    if (wal) (void)wal.value()->append(TopicRecord{"t", 1}, 0);
    return 0;
}
