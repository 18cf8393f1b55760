// Storage in memory that behaves like a disk at power loss, with the faults tests need.
//
// It keeps what a crash would keep apart from what it would not: a file's bytes are durable up to
// its last sync(), and the directory (which names exist and which file each names, after
// creates, renames and removes) is durable as of the last sync_dir(). crash() puts the storage
// in the state a power cut leaves: unsynced bytes dropped (or, per seed, partly kept: a prefix,
// or whole 512-byte sectors in any order), and names never made durable gone, removed or
// renamed-over files back. Byte surgery (truncate, flip a byte, zero a range) and injected write
// errors complete it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "wal/storage.hpp"

namespace driftq {

// What a power cut does to bytes written but not synced.
enum class PowerLoss {
    drop_unsynced,  // all of them are lost
    keep_prefix,    // a prefix of them reached the disk (in-order writeback)
    keep_sectors,   // any subset of their 512-byte sectors reached it; a sector that did not,
                    // below one that did, reads as zeros (out-of-order writeback)
};

class MemoryStorage final : public Storage {
public:
    Status append(const std::string& name, std::string_view bytes) override;
    Status sync(const std::string& name) override;
    Status sync_dir() override;
    Result<std::string> read(const std::string& name) const override;
    Result<std::uint64_t> size(const std::string& name) const override;
    Result<std::vector<std::string>> list() const override;
    Status truncate(const std::string& name, std::uint64_t size) override;
    Status rename(const std::string& from, const std::string& to) override;
    Status remove(const std::string& name) override;

    // Faults.
    // A power cut: every file loses the bytes appended since its last sync, and the directory
    // goes back to its last sync_dir.
    void crash() { crash(PowerLoss::drop_unsynced, 0); }
    // The same, with unsynced bytes partly kept as `mode` says, chosen by `seed`.
    void crash(PowerLoss mode, std::uint64_t seed);
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
    using FileId = std::uint64_t;
    File* find(const std::string& name);
    const File* find(const std::string& name) const;
    void drop_unreferenced();

    std::map<FileId, File> files_;
    std::map<std::string, FileId> names_;          // the directory now
    std::map<std::string, FileId> durable_names_;  // the directory as of the last sync_dir()
    FileId next_id_ = 1;
    std::int64_t appends_left_ = -1;
    std::uint64_t syncs_ = 0;
};

}  // namespace driftq
