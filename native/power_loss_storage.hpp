// FileStorage on real files that can be cut as a power loss would cut it: every operation goes
// to the files and to a MemoryStorage that models what the disk would keep (file bytes to their
// last sync, the directory to its last sync_dir). crash_into() writes the state a power cut
// leaves, as that model computes it (MemoryStorage::crash), into another directory on real files,
// so a restart can be tested against it while the running broker's files stay as they are.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "native/file_storage.hpp"
#include "wal/memory_storage.hpp"

namespace driftq {

class PowerLossFileStorage final : public Storage {
public:
    static Result<std::unique_ptr<PowerLossFileStorage>> open(const std::string& dir);

    Status append(const std::string& name, std::string_view bytes) override;
    Status sync(const std::string& name) override;
    Status sync_dir() override;
    Result<std::string> read(const std::string& name) const override { return files_->read(name); }
    Result<std::uint64_t> size(const std::string& name) const override { return files_->size(name); }
    Result<std::vector<std::string>> list() const override { return files_->list(); }
    Status truncate(const std::string& name, std::uint64_t size) override;
    Status rename(const std::string& from, const std::string& to) override;
    Status remove(const std::string& name) override;

    // The files a power cut would leave, written into `dir` (created; must hold no files) and
    // made durable there. Returns a storage on them.
    Result<std::unique_ptr<FileStorage>> crash_into(const std::string& dir, PowerLoss mode, std::uint64_t seed) const;

private:
    explicit PowerLossFileStorage(std::unique_ptr<FileStorage> files) : files_(std::move(files)) {}

    std::unique_ptr<FileStorage> files_;
    MemoryStorage model_;  // the same operations, to know what the disk would keep
};

}  // namespace driftq
