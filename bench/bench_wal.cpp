// WAL throughput under each durability policy, next to the raw sequential write bandwidth and
// the raw fsync latency of the same disk measured in the same run, and replay speed.
// Prints Markdown; docs/benchmarks.md keeps the latest table.
//
//   build/release/bench/bench_wal [DIR]    (default: a fresh directory under /tmp)
//   build/release/bench/bench_wal read|restore DIR   (internal: one replay, fresh process)
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "broker/broker.hpp"
#include "broker/recovery.hpp"
#include "wal/wal.hpp"
#include "native/file_storage.hpp"

using namespace driftq;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string fresh_dir(const std::string& root, const std::string& name) {
    const std::string dir = root + "/" + name;
    std::string cmd = "rm -rf '" + dir + "'";
    if (std::system(cmd.c_str()) != 0) std::exit(1);
    return dir;
}

// Raw sequential write bandwidth: 256 MiB in 1 MiB writes, one fdatasync at the end; best of 3
// (the virtual disk's speed wanders).
double raw_bandwidth_once(const std::string& root) {
    const std::string path = root + "/raw.bin";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const std::string chunk(1 << 20, 'x');
    const int chunks = 256;
    const auto t = Clock::now();
    for (int i = 0; i < chunks; ++i) {
        if (::write(fd, chunk.data(), chunk.size()) != static_cast<ssize_t>(chunk.size())) std::exit(1);
    }
    ::fdatasync(fd);
    const double s = seconds_since(t);
    ::close(fd);
    ::unlink(path.c_str());
    return chunks / s;
}

double raw_bandwidth_mb_s(const std::string& root) {
    double best = 0;
    for (int i = 0; i < 3; ++i) best = std::max(best, raw_bandwidth_once(root));
    return best;
}

// Raw fsync latency: append `bytes` then fdatasync, repeated.
double raw_fsync_us(const std::string& root, std::size_t bytes) {
    const std::string path = root + "/fsync.bin";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    const std::string rec(bytes, 'x');
    const int n = 3000;
    const auto t = Clock::now();
    for (int i = 0; i < n; ++i) {
        if (::write(fd, rec.data(), rec.size()) < 0) std::exit(1);
        ::fdatasync(fd);
    }
    const double s = seconds_since(t);
    ::close(fd);
    ::unlink(path.c_str());
    return s / n * 1e6;
}

MessageRecord record(std::size_t value_bytes, std::int64_t offset) {
    auto body = std::make_shared<MessageBody>();
    body->key = "key-" + std::to_string(offset % 1024);
    body->value = std::string(value_bytes, 'v');
    return MessageRecord{"bench", static_cast<std::int32_t>(offset % 8), offset, std::move(body)};
}

struct AppendFigures {
    double records_per_s;
    double mb_per_s;
    double us_per_record;
};

AppendFigures append_run(const std::string& dir, Durability d, std::size_t value_bytes, int n,
                         std::uint64_t segment_bytes = 64u << 20) {
    auto storage = FileStorage::open(dir).value();
    WalOptions o;
    o.durability = d;
    o.segment_bytes = segment_bytes;  // large for bandwidth runs: rolling is not measured there
    auto wal = Wal::open(*storage, o).value();
    // Bodies are shared, offsets ascend per partition as the broker writes them.
    std::vector<MessageRecord> records;
    for (int i = 0; i < 1024; ++i) records.push_back(record(value_bytes, i));
    const auto t = Clock::now();
    for (int i = 0; i < n; ++i) {
        const TimeMs now = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
        MessageRecord& r0 = records[static_cast<std::size_t>(i) % records.size()];
        r0.offset = i;
        r0.partition = i % 8;
        if (auto r = wal->append(r0, now); !r) {
            std::fprintf(stderr, "append: %s\n", r.error().message.c_str());
            std::exit(1);
        }
    }
    if (Status s = wal->sync(); !s) {
        std::fprintf(stderr, "sync: %s\n", s.message().c_str());
        std::exit(1);
    }
    const double s = seconds_since(t);
    std::uint64_t bytes = 0;
    for (const std::string& name : storage->list().value()) {
        if (name.rfind("wal-", 0) == 0) bytes += storage->size(name).value();
    }
    return {n / s, static_cast<double>(bytes) / s / (1 << 20), s / n * 1e6};
}

}  // namespace

// Child mode: `bench_wal read|restore DIR` times one replay in a fresh process.
int replay_child(const std::string& mode, const std::string& dir) {
    auto storage = FileStorage::open(dir).value();
    std::uint64_t seen = 0;
    const auto t = Clock::now();
    if (mode == "read") {
        // Every record checksummed and decoded, then dropped.
        auto contents = read_wal(*storage, [&](WalRecord&&, std::size_t, std::uint64_t) {
            ++seen;
            return Status{};
        });
        if (!contents) return 1;
    } else {
        BrokerOptions bo;
        bo.max_partition_messages = 0;
        bo.max_partition_bytes = 0;
        static Broker broker(bo);  // never destroyed: exit does not time the teardown
        auto restored = restore_broker(broker, *storage, WalOptions{}, 0);
        if (!restored) {
            std::fprintf(stderr, "replay: %s\n", restored.error().message.c_str());
            return 1;
        }
        seen = restored.value().contents.record_count;
    }
    const double s = seconds_since(t);
    std::printf("replay (%s) of %llu records of 100 B: %.0f records/s, %.0f MB/s\n",
                mode == "read" ? "read and verify only" : "into a broker",
                static_cast<unsigned long long>(seen), static_cast<double>(seen) / s,
                static_cast<double>(seen) * 143 / s / (1 << 20));
    std::fflush(stdout);
    _exit(seen == 1'000'000 ? 0 : 1);
}

int main(int argc, char** argv) {
    if (argc == 3) return replay_child(argv[1], argv[2]);
    std::string root;
    if (argc == 2) {
        root = argv[1];
    } else {
        char tmpl[] = "/tmp/driftq-bench-XXXXXX";
        root = mkdtemp(tmpl);
    }
    const double raw_bw = raw_bandwidth_mb_s(root);
    const double raw_fsync_100 = raw_fsync_us(root, 112);
    const double raw_fsync_1k = raw_fsync_us(root, 1036);
    std::printf("raw sequential write (256 MiB in 1 MiB writes, one fdatasync, best of 3): %.0f MB/s\n", raw_bw);
    std::printf("raw write+fdatasync latency: %.1f us (112 B), %.1f us (1036 B)\n\n", raw_fsync_100, raw_fsync_1k);
    std::printf("| payload | policy | records/s | MB/s | us/record | vs raw |\n|---|---|---:|---:|---:|---|\n");
    for (std::size_t value : {std::size_t{100}, std::size_t{1024}}) {
        for (Durability d : {Durability::always, Durability::batch, Durability::none}) {
            const int n = d == Durability::always ? 5000 : (value == 100 ? 2'000'000 : 300'000);
            const AppendFigures f = append_run(fresh_dir(root, "wal"), d, value, n);
            char vs[96];
            if (d == Durability::always) {
                // Disk sync time drifts; compare with a raw probe taken right after this run.
                const double probe = raw_fsync_us(root, value + 12);
                std::snprintf(vs, sizeof vs, "%.2fx raw fsync (%.1f us just after)",
                              f.us_per_record / probe, probe);
            } else {
                std::snprintf(vs, sizeof vs, "%.0f%% of raw bandwidth", 100 * f.mb_per_s / raw_bw);
            }
            std::printf("| %zu B | %s | %.0f | %.1f | %.2f | %s |\n", value, std::string(to_string(d)).c_str(),
                        f.records_per_s, f.mb_per_s, f.us_per_record, vs);
        }
    }

    // Replay: 1,000,000 records of 100 bytes. A restart is a fresh process, so each measurement
    // runs in one (the heap of the writer above would otherwise flatter or hurt it).
    const std::string dir = fresh_dir(root, "replay");
    append_run(dir, Durability::none, 100, 1'000'000, WalOptions{}.segment_bytes);  // default 1 MiB
    ::sync();  // let writeback of the runs above finish before timing reads
    std::fflush(stdout);
    for (const char* mode : {"read", "restore"}) {
        for (int i = 0; i < 3; ++i) {  // three fresh processes each: the figures wander
            const std::string cmd = std::string(argv[0]) + " " + mode + " '" + dir + "'";
            if (std::system(cmd.c_str()) != 0) return 1;
        }
    }
    std::string cmd = "rm -rf '" + root + "'";
    return std::system(cmd.c_str()) == 0 ? 0 : 1;
}
