// The write-ahead log: segmented, checksummed, with an explicit durability policy and recovery
// mode. It stores WalRecords in a Storage; it knows nothing about the broker.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wal/journal.hpp"
#include "wal/storage.hpp"
#include "base/time.hpp"
#include "wal/wal_record.hpp"

namespace driftq {

enum class Durability {
    always,  // every append is synced before it returns
    batch,   // group commit: one sync per batch, bounded by record count and time
    none,    // written in large chunks, synced only on close or explicit sync()
};

enum class RecoveryMode {
    tolerate_tail,  // damage in the last segment is the end of the log (default)
    point_in_time,  // damage anywhere ends the log; later data is quarantined
    absolute,       // any damage, a torn tail included, is an error (for tests)
};

std::string_view to_string(Durability d);
std::string_view to_string(RecoveryMode m);

struct WalOptions {
    std::uint64_t segment_bytes = 1u << 20;  // roll to a new segment past this size
    Durability durability = Durability::always;
    std::uint32_t batch_max_records = 4096;  // batch: sync after this many records...
    TimeMs batch_max_delay_ms = 5;          // ...or once the oldest unsynced record is this old
    std::size_t buffer_bytes = 1024 * 1024;  // batch/none: bytes gathered before one write
    RecoveryMode recovery = RecoveryMode::tolerate_tail;
};

// Something recovery found and what it did about it.
struct RecoveryIssue {
    enum class Kind { torn_tail, corruption, skipped_unknown_record, quarantined, ignored_file };
    Kind kind;
    std::string file;
    std::uint64_t offset = 0;  // byte position in `file`
    std::string detail;
};
std::string to_string(const RecoveryIssue& issue);

// Where reading stopped early.
struct WalDamage {
    bool torn = false;  // an incomplete record at the end, as a crash leaves it
    std::size_t segment = 0;  // index into WalContents::segments
    std::uint64_t offset = 0;
    std::string detail;
};

struct WalSegment {
    std::string name;
    std::uint32_t index = 0;
    std::uint64_t first_record = 0;
    std::uint64_t size = 0;  // bytes in the file
};

// Everything a read of the log found, before any repair.
struct WalContents {
    std::vector<WalSegment> segments;
    std::vector<WalRecord> records;
    std::vector<std::uint64_t> record_offsets;  // byte position of each record in its segment
    std::vector<std::size_t> record_segments;   // segment index of each record
    std::vector<RecoveryIssue> issues;
    std::optional<WalDamage> damage;
    std::uint64_t record_count = 0;  // records read (also when streamed to a visitor)
};

// Receives each good record in log order with its segment index and byte position; an error
// stops the read and is returned.
using RecordVisitor = std::function<Status(WalRecord&& record, std::size_t segment, std::uint64_t offset)>;

// Reads the whole log without changing anything. Fails only on what no recovery mode may
// tolerate: an unreadable file, a newer format version, an unknown mandatory record type.
// Without a visitor the records are collected in WalContents::records; with one they are streamed
// to it and not kept (replay of large logs).
Result<WalContents> read_wal(const Storage& storage, const RecordVisitor& visitor = nullptr);

class Wal final : public Journal {
public:
    // Recovers the log under options.recovery (repairing a torn or damaged tail and quarantining
    // what cannot be kept, never deleting), and opens it for appending after the last good record.
    static Result<std::unique_ptr<Wal>> open(Storage& storage, WalOptions options,
                                             WalContents* recovered = nullptr,
                                             const RecordVisitor& visitor = nullptr);

    ~Wal() override;
    Wal(const Wal&) = delete;
    Wal& operator=(const Wal&) = delete;

    // Appends a record and returns its number. Under `always` it is durable on return.
    Result<std::uint64_t> append(const WalRecord& record, TimeMs now);
    Status write(const WalRecord& record, TimeMs now) override { return append(record, now).status(); }
    // Writes buffered bytes to storage (not a sync).
    Status flush();
    // Makes every appended record durable.
    Status sync();
    // Batch policy: syncs when the batch is due at `now`. Cheap when nothing is pending.
    Status poll(TimeMs now);
    // Records [0, durable()) are durable; [0, appended()) have been accepted.
    std::uint64_t appended() const { return appended_; }
    std::uint64_t durable() const { return durable_; }
    const WalOptions& options() const { return options_; }
    // An identical writer over `storage`, which must hold a copy of this WAL's files (time
    // travel snapshots copy the storage and the writer together).
    std::unique_ptr<Wal> clone(Storage& storage) const;

    // Simulates the process dying: buffered bytes are dropped and nothing more is written, not
    // even by the destructor.
    void abandon() {
        buffer_.clear();
        failed_ = true;
    }

private:
    Wal(Storage& storage, WalOptions options) : storage_(storage), options_(options) {}
    Status start_segment(std::uint32_t index);
    Status write_manifest();
    Status roll();  // closes the current segment (synced) and starts the next

    Storage& storage_;
    WalOptions options_;
    std::vector<WalSegment> segments_;  // live segments, the last one is current
    std::uint64_t current_size_ = 0;    // bytes in the current segment, buffer included
    std::string buffer_;                // framed records not yet written to storage
    std::uint64_t appended_ = 0;
    std::uint64_t written_ = 0;  // records handed to storage.append
    std::uint64_t durable_ = 0;
    std::optional<TimeMs> oldest_unsynced_at_;
    bool failed_ = false;  // a storage error leaves the tail unknown: refuse further appends
};

// Applies recovery policy to what read_wal found: which records to keep and what to repair.
// Exposed for tests; Wal::open uses it.
Status check_recovery_policy(const WalContents& contents, RecoveryMode mode);

}  // namespace driftq
