// Keeps a copy of a simulated disk in another Storage: what a front end persists so that the WAL
// of the run on screen outlives the page or the process (the browser's IndexedDB, a directory).
#pragma once

#include <cstddef>
#include <string>

#include "wal/memory_storage.hpp"

namespace driftq {

// Makes the files of `to` under `prefix` equal to what `from` would keep through a crash (the
// synced bytes of each file): rewrites only files whose bytes differ, removes those `from` no
// longer has, then syncs what changed. Returns how many files it wrote or removed.
Result<std::size_t> mirror_synced(const MemoryStorage& from, Storage& to, const std::string& prefix);

// Copies the files of `from` under `prefix` into a fresh MemoryStorage, names without the prefix,
// all synced, names included (to recover from them without touching `from`).
Result<MemoryStorage> copy_out(const Storage& from, const std::string& prefix);

}  // namespace driftq
