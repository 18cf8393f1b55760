// Keeps a copy of the simulated WAL of the run on screen in real files under the data directory
// (DIR/wal/<scenario>/), so what the WAL panel shows can also be read with `driftq-sim wal DIR`.
// Files are rewritten only when their bytes changed, at most a few times a second.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sim/world.hpp"

namespace driftq::viz {

class WalMirror {
public:
    explicit WalMirror(std::string root) : root_(std::move(root)) {}
    // Mirrors `world`'s WAL into root/<name>/ if the run changed since the last call.
    // Returns an error text when writing failed (the run goes on).
    std::string update(const sim::World& world, const std::string& name, std::uint64_t change_key);

private:
    std::string root_;
    std::string dir_;
    std::uint64_t last_key_ = UINT64_MAX;
    std::map<std::string, std::string> written_;  // file name -> bytes on disk
};

}  // namespace driftq::viz
