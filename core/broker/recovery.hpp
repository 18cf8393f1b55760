// Restart: recover the WAL, replay it into a fresh broker, and keep journaling to it.
#pragma once

#include <memory>

#include "broker/broker.hpp"
#include "wal/wal.hpp"

namespace driftq {

struct Restored {
    std::unique_ptr<Wal> wal;  // the broker journals to it; keep it alive as long as the broker
    WalContents contents;      // what recovery found (records, issues, repairs)
};

// `broker` must be freshly constructed. On success it holds the replayed state and journals to
// the returned WAL. An error names the record that could not be applied.
Result<Restored> restore_broker(Broker& broker, Storage& storage, WalOptions options, TimeMs now);

}  // namespace driftq
