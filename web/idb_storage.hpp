// Storage persisted to the browser's IndexedDB (web/idb_pre.js), behind core's Storage interface.
//
// Files live in memory and reads come from there; what the browser held at load is read in before
// main() runs (from /idb in the module's memory file system). IndexedDB is asynchronous, so the
// durability contract of Storage is kept in two steps: sync() and sync_dir() ask for the changed
// files to be persisted, flush() hands them to the browser in one transaction (at most one in
// flight), and the storage's durable epoch advances only when the browser reports the
// transaction committed. Callers that need to know when bytes are durable compare epochs:
// flush() returns the epoch it started, durable_epoch() the last one the browser confirmed.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "wal/storage.hpp"

namespace driftq::web {

// Why the browser did not keep the files (codes shared with idb_pre.js).
enum class IdbError : int { none = 0, unavailable = 1, blocked = 2, version = 3, quota = 4, other = 5, closed = 6 };

class IdbStorage final : public Storage {
public:
    // Reads the files the browser kept (loaded before main()) and any error opening them.
    static IdbStorage& instance();

    Status append(const std::string& name, std::string_view bytes) override;
    Status sync(const std::string& name) override;
    Status sync_dir() override;
    Result<std::string> read(const std::string& name) const override;
    Result<std::uint64_t> size(const std::string& name) const override;
    Result<std::vector<std::string>> list() const override;
    Status truncate(const std::string& name, std::uint64_t size) override;
    Status rename(const std::string& from, const std::string& to) override;
    Status remove(const std::string& name) override;
    bool syncs_later() const override { return true; }  // durable at durable_epoch(), not on return

    // Starts writing what sync() asked for, if anything and if no transaction is in flight.
    // Returns the epoch started, or 0 when none was.
    std::uint64_t flush();
    bool in_flight() const { return in_flight_ != 0; }
    std::uint64_t durable_epoch() const { return durable_epoch_; }
    // Files the browser handed over at load.
    std::size_t loaded_files() const { return loaded_; }
    IdbError error() const { return error_; }
    const std::string& error_text() const { return error_text_; }
    // What a person should do about error() (empty when none).
    std::string advice() const;

    // Called from JavaScript when a transaction ended (code 0 = committed).
    void on_done(std::uint64_t epoch, int code);

private:
    IdbStorage();
    void touch(const std::string& name);

    std::map<std::string, std::string> files_;
    std::set<std::string> dirty_;    // changed since they were last handed over
    std::set<std::string> removed_;  // removed since then
    bool wanted_ = false;            // a sync asked for the changes to be persisted
    std::uint64_t next_epoch_ = 1;
    std::uint64_t in_flight_ = 0;    // epoch of the transaction in flight, 0 when none
    std::set<std::string> in_flight_files_;
    std::uint64_t durable_epoch_ = 0;
    std::size_t loaded_ = 0;
    IdbError error_ = IdbError::none;
    bool writable_ = true;  // false when the load failed or another tab took over
    std::string error_text_;
};

}  // namespace driftq::web
