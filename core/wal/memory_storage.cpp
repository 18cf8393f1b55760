#include "wal/memory_storage.hpp"

#include <algorithm>
#include <cassert>
#include <set>

#include "base/prng.hpp"

namespace driftq {

namespace {

Error no_file(const std::string& name) { return make_error(Errc::io_error, "no such file: " + name); }

constexpr std::uint64_t kSector = 512;

// The bytes of `f` past its synced size that a power cut keeps, as `mode` says.
void lose_unsynced(std::string& bytes, std::uint64_t synced, PowerLoss mode, Prng& rng) {
    const std::uint64_t size = bytes.size();
    if (size <= synced) return;
    std::uint64_t keep = synced;
    switch (mode) {
        case PowerLoss::drop_unsynced: break;
        case PowerLoss::keep_prefix: keep = synced + rng.below(size - synced + 1); break;
        case PowerLoss::keep_sectors: {
            // Sectors by file offset; the first may be partly synced already.
            for (std::uint64_t s = synced / kSector * kSector; s < size; s += kSector) {
                const std::uint64_t from = std::max(s, synced), to = std::min(s + kSector, size);
                if (rng.chance(50)) {
                    keep = to;
                } else {
                    std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.begin() + static_cast<std::ptrdiff_t>(to), '\0');
                }
            }
            break;
        }
    }
    bytes.resize(static_cast<std::size_t>(keep));
}

}  // namespace

MemoryStorage::File* MemoryStorage::find(const std::string& name) {
    auto it = names_.find(name);
    return it == names_.end() ? nullptr : &files_.at(it->second);
}

const MemoryStorage::File* MemoryStorage::find(const std::string& name) const {
    auto it = names_.find(name);
    return it == names_.end() ? nullptr : &files_.at(it->second);
}

Status MemoryStorage::append(const std::string& name, std::string_view bytes) {
    if (appends_left_ == 0) return make_error(Errc::io_error, "injected write failure: " + name);
    if (appends_left_ > 0) --appends_left_;
    File* f = find(name);
    if (!f) {  // a new file: its name is durable only after sync_dir()
        names_[name] = next_id_;
        f = &files_[next_id_++];
    }
    f->edit().append(bytes);
    return {};
}

Status MemoryStorage::sync(const std::string& name) {
    File* f = find(name);
    if (!f) return no_file(name);
    f->synced = f->data().size();
    ++syncs_;
    return {};
}

Status MemoryStorage::sync_dir() {
    durable_names_ = names_;
    drop_unreferenced();
    return {};
}

Result<std::string> MemoryStorage::read(const std::string& name) const {
    const File* f = find(name);
    if (!f) return no_file(name);
    return f->data();
}

Result<std::uint64_t> MemoryStorage::size(const std::string& name) const {
    const File* f = find(name);
    if (!f) return no_file(name);
    return static_cast<std::uint64_t>(f->data().size());
}

Result<std::vector<std::string>> MemoryStorage::list() const {
    std::vector<std::string> names;
    for (const auto& [name, id] : names_) names.push_back(name);
    return names;
}

Status MemoryStorage::truncate(const std::string& name, std::uint64_t size) {
    File* f = find(name);
    if (!f) return no_file(name);
    if (size < f->data().size()) f->edit().resize(static_cast<std::size_t>(size));
    f->synced = std::min<std::uint64_t>(f->synced, f->data().size());
    return {};
}

Status MemoryStorage::rename(const std::string& from, const std::string& to) {
    auto it = names_.find(from);
    if (it == names_.end()) return no_file(from);
    const FileId id = it->second;
    names_.erase(it);
    names_[to] = id;  // a file `to` named before stays on the disk until the directory is synced
    return {};
}

Status MemoryStorage::remove(const std::string& name) {
    if (names_.erase(name) == 0) return no_file(name);
    return {};
}

void MemoryStorage::crash(PowerLoss mode, std::uint64_t seed) {
    Prng rng(seed);
    names_ = durable_names_;
    drop_unreferenced();
    for (auto& [id, f] : files_) {
        if (f.data().size() > f.synced) lose_unsynced(f.edit(), f.synced, mode, rng);
        f.synced = f.data().size();  // what is on the disk after the cut is all there is
    }
}

void MemoryStorage::drop_unreferenced() {
    std::set<FileId> used;
    for (const auto& [name, id] : names_) used.insert(id);
    for (const auto& [name, id] : durable_names_) used.insert(id);
    std::erase_if(files_, [&](const auto& entry) { return !used.count(entry.first); });
}

std::uint64_t MemoryStorage::synced_size(const std::string& name) const {
    const File* f = find(name);
    return f ? f->synced : 0;
}

void MemoryStorage::flip_byte(const std::string& name, std::uint64_t at, std::uint8_t mask) {
    File* f = find(name);
    assert(f && "byte surgery names an existing file");
    std::string& d = f->edit();
    if (at < d.size()) {
        const auto i = static_cast<std::size_t>(at);
        d[i] = static_cast<char>(d[i] ^ static_cast<char>(mask));
    }
}

void MemoryStorage::zero_range(const std::string& name, std::uint64_t from, std::uint64_t to) {
    File* f = find(name);
    assert(f && "byte surgery names an existing file");
    std::string& d = f->edit();
    for (std::uint64_t i = from; i < to && i < d.size(); ++i) d[static_cast<std::size_t>(i)] = '\0';
}

}  // namespace driftq
