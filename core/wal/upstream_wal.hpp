// Import of the upstream broker's JSON-lines WAL (`driftq.wal`, reference section 7) into our
// records, so that an upstream broker's state can be replayed and inspected here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"
#include "wal/wal_record.hpp"

namespace driftq {

struct UpstreamWal {
    std::vector<WalRecord> records;
    std::vector<std::size_t> record_lines;  // line number of each record
    std::vector<std::string> errors;  // "line N: what", one per bad line
    std::size_t lines = 0;            // non-empty lines read
    std::size_t ignored = 0;          // lines of types upstream replay ignores (3, unknown, ...)
};

// Parses every line; bad lines are reported with their number and skipped. Fields left out by
// Go's omitempty read back as zero values (partition 0, offset 0), exactly as upstream replays
// them. `now` stands in for missing consume-idempotency update times, as upstream does.
UpstreamWal parse_upstream_wal(std::string_view text, TimeMs now);

}  // namespace driftq
