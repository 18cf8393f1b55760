// Helpers for WAL tests: sample records and a broker restored from storage.
#pragma once

#include <memory>
#include <vector>

#include "broker/broker.hpp"
#include "wal/memory_storage.hpp"
#include "broker/recovery.hpp"
#include "wal/wal.hpp"

namespace driftq::testing {

// A message record with every optional part filled in.
MessageRecord rich_message(std::int64_t offset);
// `n` varied records (topics, messages, commits, retry states, idempotency transitions).
std::vector<WalRecord> sample_records(std::size_t n);

// Appends records to a fresh WAL in `storage` and closes it.
void write_records(Storage& storage, const std::vector<WalRecord>& records, WalOptions options);

// A broker restored from `storage`, journaling back to it.
struct Reopened {
    explicit Reopened(Storage& storage, BrokerOptions b = {}, WalOptions w = {}, TimeMs now = 0);
    VectorEventSink sink;
    Broker broker;
    Result<Restored> restored;
};

}  // namespace driftq::testing
