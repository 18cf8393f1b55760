// Storage in memory, with the faults tests need: a crash that drops unsynced bytes, byte surgery
// (truncate, flip a byte, zero a range) and injected I/O errors.
#pragma once

#include <map>
#include <memory>

#include "wal/storage.hpp"

namespace driftq {

class MemoryStorage final : public Storage {
public:
    Status append(const std::string& name, std::string_view bytes) override;
    Status sync(const std::string& name) override;
    Status sync_dir() override { return {}; }
    Result<std::string> read(const std::string& name) const override;
    Result<std::uint64_t> size(const std::string& name) const override;
    Result<std::vector<std::string>> list() const override;
    Status truncate(const std::string& name, std::uint64_t size) override;
    Status rename(const std::string& from, const std::string& to) override;
    Status remove(const std::string& name) override;

    // Faults.
    void crash();  // every file loses the bytes appended since its last sync
    void flip_byte(const std::string& name, std::uint64_t at, std::uint8_t mask = 0x01);
    void zero_range(const std::string& name, std::uint64_t from, std::uint64_t to);
    void fail_appends_after(std::int64_t count) { appends_left_ = count; }  // -1 = never fail
    std::uint64_t syncs() const { return syncs_; }
    // Bytes of `name` that would survive crash() (0 for a missing file).
    std::uint64_t synced_size(const std::string& name) const;

private:
    // A file's bytes are shared between copies of the storage (time travel snapshots) until one
    // of them changes the file: a copy costs the files that change after it, not the whole log.
    struct File {
        std::shared_ptr<std::string> bytes = std::make_shared<std::string>();
        std::uint64_t synced = 0;  // bytes guaranteed to survive crash()

        const std::string& data() const { return *bytes; }
        std::string& edit() {
            if (bytes.use_count() > 1) bytes = std::make_shared<std::string>(*bytes);
            return *bytes;
        }
    };
    std::map<std::string, File> files_;
    std::int64_t appends_left_ = -1;
    std::uint64_t syncs_ = 0;
};

}  // namespace driftq
