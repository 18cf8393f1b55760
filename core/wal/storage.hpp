// Where the WAL lives: a flat directory of named files. Implementations: MemoryStorage (core,
// for tests and fault injection) and FileStorage (native/, POSIX files; in the browser the same
// code runs over Emscripten's IndexedDB-backed file system).
//
// Durability contract: bytes given to append() are durable only after sync() of that file
// returned success. create (first append), rename and remove are durable once sync_dir()
// returned success.
//
// A storage whose medium completes writes later (the browser's IndexedDB, web/idb_storage.hpp)
// says so with syncs_later(): its sync() only hands the bytes over, and it reports durability
// itself, asynchronously. The WAL writer needs the contract above and refuses such a storage; the
// web playground copies the simulated disk into one instead (wal/storage_mirror.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace driftq {

class Storage {
public:
    virtual ~Storage() = default;
    // Appends to the file, creating it if missing.
    virtual Status append(const std::string& name, std::string_view bytes) = 0;
    virtual Status sync(const std::string& name) = 0;
    virtual Status sync_dir() = 0;
    virtual Result<std::string> read(const std::string& name) const = 0;
    virtual Result<std::uint64_t> size(const std::string& name) const = 0;
    // Names of all files, sorted.
    virtual Result<std::vector<std::string>> list() const = 0;
    virtual Status truncate(const std::string& name, std::uint64_t size) = 0;
    // Atomically replaces `to` if it exists.
    virtual Status rename(const std::string& from, const std::string& to) = 0;
    virtual Status remove(const std::string& name) = 0;
    // True when sync() returns before the bytes are durable (see above).
    virtual bool syncs_later() const { return false; }
};

// Writes `bytes` as the whole content of `name`, atomically and durably: write a temporary
// file, sync it, rename it over `name`, sync the directory.
Status write_file_atomic(Storage& storage, const std::string& name, std::string_view bytes);

}  // namespace driftq
