#include "wal/storage_mirror.hpp"

#include <set>

namespace driftq {

namespace {

bool has_prefix(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// Replaces the whole content of `name`.
Status rewrite(Storage& to, const std::string& name, std::string_view bytes) {
    if (to.size(name)) {
        if (Status s = to.truncate(name, 0); !s) return s;
    }
    if (Status s = to.append(name, bytes); !s) return s;
    return to.sync(name);
}

}  // namespace

Result<std::size_t> mirror_synced(const MemoryStorage& from, Storage& to, const std::string& prefix) {
    auto source = from.list();
    if (!source) return source.error();
    auto target = to.list();
    if (!target) return target.error();
    std::size_t changed = 0;
    std::set<std::string> kept;
    for (const std::string& name : source.value()) {
        auto bytes = from.read(name);
        if (!bytes) return bytes.error();
        const std::string_view synced = std::string_view(bytes.value()).substr(0, static_cast<std::size_t>(from.synced_size(name)));
        const std::string copy = prefix + name;
        kept.insert(copy);
        auto old = to.read(copy);
        if (old && old.value() == synced) continue;
        if (Status s = rewrite(to, copy, synced); !s) return s.error();
        ++changed;
    }
    for (const std::string& name : target.value()) {
        if (!has_prefix(name, prefix) || kept.count(name)) continue;
        if (Status s = to.remove(name); !s) return s.error();
        ++changed;
    }
    if (changed > 0) {
        if (Status s = to.sync_dir(); !s) return s.error();
    }
    return changed;
}

Result<MemoryStorage> copy_out(const Storage& from, const std::string& prefix) {
    auto names = from.list();
    if (!names) return names.error();
    MemoryStorage out;
    for (const std::string& name : names.value()) {
        if (!has_prefix(name, prefix)) continue;
        auto bytes = from.read(name);
        if (!bytes) return bytes.error();
        const std::string local = name.substr(prefix.size());
        if (Status s = out.append(local, bytes.value()); !s) return s.error();
        if (Status s = out.sync(local); !s) return s.error();
    }
    if (Status s = out.sync_dir(); !s) return s.error();
    return out;
}

}  // namespace driftq
