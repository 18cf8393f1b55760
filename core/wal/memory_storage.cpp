#include "wal/memory_storage.hpp"

#include <algorithm>

namespace driftq {

namespace {
Error no_file(const std::string& name) {
    return make_error(Errc::io_error, "no such file: " + name);
}
}  // namespace

Status MemoryStorage::append(const std::string& name, std::string_view bytes) {
    if (appends_left_ == 0) return make_error(Errc::io_error, "injected write failure: " + name);
    if (appends_left_ > 0) --appends_left_;
    files_[name].edit().append(bytes);
    return {};
}

Status MemoryStorage::sync(const std::string& name) {
    auto it = files_.find(name);
    if (it == files_.end()) return no_file(name);
    it->second.synced = it->second.data().size();
    ++syncs_;
    return {};
}

std::uint64_t MemoryStorage::synced_size(const std::string& name) const {
    auto it = files_.find(name);
    return it == files_.end() ? 0 : it->second.synced;
}

Result<std::string> MemoryStorage::read(const std::string& name) const {
    auto it = files_.find(name);
    if (it == files_.end()) return no_file(name);
    return it->second.data();
}

Result<std::uint64_t> MemoryStorage::size(const std::string& name) const {
    auto it = files_.find(name);
    if (it == files_.end()) return no_file(name);
    return static_cast<std::uint64_t>(it->second.data().size());
}

Result<std::vector<std::string>> MemoryStorage::list() const {
    std::vector<std::string> names;
    for (const auto& [name, f] : files_) names.push_back(name);
    return names;
}

Status MemoryStorage::truncate(const std::string& name, std::uint64_t size) {
    auto it = files_.find(name);
    if (it == files_.end()) return no_file(name);
    File& f = it->second;
    if (size < f.data().size()) f.edit().resize(static_cast<std::size_t>(size));
    f.synced = std::min<std::uint64_t>(f.synced, f.data().size());
    return {};
}

Status MemoryStorage::rename(const std::string& from, const std::string& to) {
    auto it = files_.find(from);
    if (it == files_.end()) return no_file(from);
    File f = std::move(it->second);
    files_.erase(it);
    files_[to] = std::move(f);
    return {};
}

Status MemoryStorage::remove(const std::string& name) {
    if (files_.erase(name) == 0) return no_file(name);
    return {};
}

void MemoryStorage::crash() {
    for (auto& [name, f] : files_) {
        if (f.data().size() > f.synced) f.edit().resize(static_cast<std::size_t>(f.synced));
    }
}

void MemoryStorage::flip_byte(const std::string& name, std::uint64_t at, std::uint8_t mask) {
    std::string& d = files_.at(name).edit();
    if (at < d.size()) {
        const auto i = static_cast<std::size_t>(at);
        d[i] = static_cast<char>(d[i] ^ static_cast<char>(mask));
    }
}

void MemoryStorage::zero_range(const std::string& name, std::uint64_t from, std::uint64_t to) {
    std::string& d = files_.at(name).edit();
    for (std::uint64_t i = from; i < to && i < d.size(); ++i) d[static_cast<std::size_t>(i)] = '\0';
}

}  // namespace driftq
