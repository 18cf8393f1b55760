#include "native/wal_mirror.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>

namespace driftq::viz {

namespace {

// A scenario's file name without folders or extension, safe as a directory name.
std::string stem_of(const std::string& name) {
    std::string s = std::filesystem::path(name).stem().string();
    for (char& c : s) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
    }
    return s.empty() ? "run" : s;
}

}  // namespace

std::string WalMirror::update(const sim::World& world, const std::string& name, std::uint64_t change_key) {
    const std::string dir = root_ + "/" + stem_of(name);
    if (dir == dir_ && change_key == last_key_) return {};
    if (dir != dir_) written_.clear();
    dir_ = dir;
    last_key_ = change_key;
    if (!world.scenario().wal) return {};
    const Storage& disk = world.wal_storage();
    auto files = disk.list();
    if (!files) return files.error().message;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return dir + ": " + ec.message();
    std::map<std::string, std::string> now;
    for (const std::string& f : files.value()) {
        auto bytes = disk.read(f);
        if (!bytes) return bytes.error().message;
        const auto it = written_.find(f);
        if (it == written_.end() || it->second != bytes.value()) {
            std::ofstream out(dir + "/" + f, std::ios::binary | std::ios::trunc);
            out.write(bytes.value().data(), static_cast<std::streamsize>(bytes.value().size()));
            if (!out) return dir + "/" + f + ": write failed";
        }
        now.emplace(f, std::move(bytes).value());
    }
    for (const auto& [f, bytes] : written_) {
        if (!now.count(f)) std::filesystem::remove(dir + "/" + f, ec);  // renamed or quarantined away
    }
    written_ = std::move(now);
    return {};
}

}  // namespace driftq::viz
