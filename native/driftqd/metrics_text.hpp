// GET /metrics: the Prometheus text format (version 0.0.4) as Go's client_golang writes it:
// families sorted by name, labels sorted by name, series by label values, numbers in Go's %g.
// Upstream's four families keep their names, help texts and labels; driftqd's own are prefixed
// `driftqd_`. Go runtime and process families are not imitated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "broker/broker_state.hpp"

namespace driftq::http {

struct ServerGauges {
    std::uint64_t wal_appended = 0, wal_durable = 0;
    std::uint64_t streams_open = 0, streams_overflowed = 0;
    std::uint64_t rounds = 0, syncs = 0, commands = 0;
    std::optional<std::uint64_t> live_readers;  // pages reading /live/commands, with --web
};

std::string metrics_text(const MetricsSnapshot& broker, const ServerGauges& server);

// Go's strconv.FormatFloat(v, 'g', -1, 64) for an integer value: "3", "1e+06", "1.234567e+06".
std::string go_format_g(std::int64_t v);

}  // namespace driftq::http
