#include "native/power_loss_storage.hpp"

#include <cassert>

namespace driftq {

Result<std::unique_ptr<PowerLossFileStorage>> PowerLossFileStorage::open(const std::string& dir) {
    auto files = FileStorage::open(dir);
    if (!files) return files.error();
    auto names = files.value()->list();
    if (!names) return names.error();
    if (!names.value().empty()) return make_error(Errc::invalid_argument, dir + ": a power-loss storage starts empty");
    return std::unique_ptr<PowerLossFileStorage>(new PowerLossFileStorage(std::move(files).value()));
}

// Each operation goes to the files first; the model follows only what the files accepted.
Status PowerLossFileStorage::append(const std::string& name, std::string_view bytes) {
    if (Status s = files_->append(name, bytes); !s) return s;
    return model_.append(name, bytes);
}

Status PowerLossFileStorage::sync(const std::string& name) {
    if (Status s = files_->sync(name); !s) return s;
    return model_.sync(name);
}

Status PowerLossFileStorage::sync_dir() {
    if (Status s = files_->sync_dir(); !s) return s;
    return model_.sync_dir();
}

Status PowerLossFileStorage::truncate(const std::string& name, std::uint64_t size) {
    if (Status s = files_->truncate(name, size); !s) return s;
    return model_.truncate(name, size);
}

Status PowerLossFileStorage::rename(const std::string& from, const std::string& to) {
    if (Status s = files_->rename(from, to); !s) return s;
    return model_.rename(from, to);
}

Status PowerLossFileStorage::remove(const std::string& name) {
    if (Status s = files_->remove(name); !s) return s;
    return model_.remove(name);
}

Result<std::unique_ptr<FileStorage>> PowerLossFileStorage::crash_into(const std::string& dir, PowerLoss mode,
                                                                     std::uint64_t seed) const {
    MemoryStorage after = model_;
    after.crash(mode, seed);
    auto out = FileStorage::open(dir);
    if (!out) return out.error();
    auto existing = out.value()->list();
    if (!existing) return existing.error();
    if (!existing.value().empty()) return make_error(Errc::invalid_argument, dir + ": must hold no files");
    auto names = after.list();
    assert(names && "MemoryStorage lists without failing");
    for (const std::string& name : names.value()) {
        auto bytes = after.read(name);
        assert(bytes && "a listed file reads");
        if (Status s = out.value()->append(name, bytes.value()); !s) return s.error();
        if (Status s = out.value()->sync(name); !s) return s.error();
    }
    if (Status s = out.value()->sync_dir(); !s) return s.error();
    return out;
}

}  // namespace driftq
