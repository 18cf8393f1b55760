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

// The whole content of a file; fails the test if it is missing.
std::string text_of(const Storage& storage, const std::string& name);

// Another storage behind switches: a sync or directory sync that does nothing (a WAL that forgot
// one, which the power-loss tests must catch), or syncs that complete later (as the browser's
// IndexedDB does).
class SwitchedStorage final : public Storage {
public:
    explicit SwitchedStorage(Storage& inner) : s_(inner) {}
    bool skip_sync = false, skip_sync_dir = false, later = false;

    Status append(const std::string& n, std::string_view b) override { return s_.append(n, b); }
    Status sync(const std::string& n) override { return skip_sync ? Status{} : s_.sync(n); }
    Status sync_dir() override { return skip_sync_dir ? Status{} : s_.sync_dir(); }
    Result<std::string> read(const std::string& n) const override { return s_.read(n); }
    Result<std::uint64_t> size(const std::string& n) const override { return s_.size(n); }
    Result<std::vector<std::string>> list() const override { return s_.list(); }
    Status truncate(const std::string& n, std::uint64_t sz) override { return s_.truncate(n, sz); }
    Status rename(const std::string& a, const std::string& b) override { return s_.rename(a, b); }
    Status remove(const std::string& n) override { return s_.remove(n); }
    bool syncs_later() const override { return later; }

private:
    Storage& s_;
};

}  // namespace driftq::testing
