// `wal DIR` lists a WAL; `import-wal FILE` replays an upstream JSON-lines WAL.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "broker/broker.hpp"
#include "wal/upstream_wal.hpp"
#include "wal/wal.hpp"
#include "native/commands.hpp"
#include "native/file_storage.hpp"

namespace driftq::cli {

namespace {

constexpr const char* kWalUsage =
    "usage: driftq-sim wal DIR\n"
    "\n"
    "Lists the segments and decodes every record of the WAL in DIR, then reports damage (torn\n"
    "tail, checksum mismatch) with its segment and byte position. Read-only: nothing is repaired.\n";

constexpr const char* kImportUsage =
    "usage: driftq-sim import-wal FILE [--write-wal DIR] [--skip-bad-lines]\n"
    "\n"
    "Replays an upstream DriftQ WAL (JSON lines, driftq.wal) into a broker with the reference\n"
    "options and prints the canonical state dump.\n"
    "  --write-wal DIR    also write the records as a DriftQ Playground WAL into DIR (empty)\n"
    "  --skip-bad-lines   replay the good lines even if some lines are bad (default: refuse)\n";

bool help(const Args& args, const char* usage) {
    for (const std::string& a : args) {
        if (a == "--help" || a == "-h") {
            std::fputs(usage, stdout);
            return true;
        }
    }
    return false;
}

int write_wal(const std::string& dir, const std::vector<WalRecord>& records) {
    auto storage = FileStorage::open(dir);
    if (!storage) {
        std::fprintf(stderr, "driftq-sim import-wal: %s\n", storage.error().message.c_str());
        return 1;
    }
    auto existing = storage.value()->list();
    if (existing && !existing->empty()) {
        std::fprintf(stderr, "driftq-sim import-wal: %s is not empty; refusing to mix logs\n", dir.c_str());
        return 1;
    }
    WalOptions o;
    o.durability = Durability::none;  // one sync at the end
    auto wal = Wal::open(*storage.value(), o);
    if (!wal) {
        std::fprintf(stderr, "driftq-sim import-wal: %s\n", wal.error().message.c_str());
        return 1;
    }
    for (const WalRecord& r : records) {
        if (auto s = wal.value()->append(r, 0); !s) {
            std::fprintf(stderr, "driftq-sim import-wal: writing %s: %s\n", dir.c_str(), s.error().message.c_str());
            return 1;
        }
    }
    if (Status s = wal.value()->sync(); !s) {
        std::fprintf(stderr, "driftq-sim import-wal: %s\n", s.message().c_str());
        return 1;
    }
    std::fprintf(stderr, "wrote %zu records to %s\n", records.size(), dir.c_str());
    return 0;
}

}  // namespace

int wal(const Args& args) {
    if (help(args, kWalUsage)) return 0;
    if (args.size() != 1) {
        std::fputs(kWalUsage, stderr);
        return 2;
    }
    auto storage = FileStorage::open(args[0]);
    if (!storage) {
        std::fprintf(stderr, "driftq-sim wal: %s\n", storage.error().message.c_str());
        return 1;
    }
    auto c = read_wal(*storage.value());
    if (!c) {
        std::fprintf(stderr, "driftq-sim wal: %s\n", c.error().message.c_str());
        return 1;
    }
    for (const WalSegment& s : c->segments) {
        std::printf("segment %s first_record=%llu bytes=%llu\n", s.name.c_str(),
                    static_cast<unsigned long long>(s.first_record), static_cast<unsigned long long>(s.size));
    }
    for (std::size_t i = 0; i < c->records.size(); ++i) {
        std::printf("#%zu %s@%llu %s\n", i, c->segments[c->record_segments[i]].name.c_str(),
                    static_cast<unsigned long long>(c->record_offsets[i]), describe(c->records[i]).c_str());
    }
    for (const RecoveryIssue& issue : c->issues) std::printf("note: %s\n", to_string(issue).c_str());
    if (c->damage) {
        const WalDamage& d = *c->damage;
        std::printf("%s in %s at byte %llu: %s\n", d.torn ? "torn tail" : "damage",
                    c->segments[d.segment].name.c_str(), static_cast<unsigned long long>(d.offset),
                    d.detail.c_str());
    }
    std::printf("%zu records\n", c->records.size());
    return 0;
}

int import_wal(const Args& args) {
    if (help(args, kImportUsage)) return 0;
    std::string file, out_dir;
    bool skip_bad = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--write-wal" && i + 1 < args.size()) {
            out_dir = args[++i];
        } else if (args[i] == "--skip-bad-lines") {
            skip_bad = true;
        } else if (file.empty() && args[i].rfind("--", 0) != 0) {
            file = args[i];
        } else {
            std::fprintf(stderr, "driftq-sim import-wal: unexpected argument '%s'\n\n%s", args[i].c_str(), kImportUsage);
            return 2;
        }
    }
    if (file.empty()) {
        std::fputs(kImportUsage, stderr);
        return 2;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "driftq-sim import-wal: cannot read %s\n", file.c_str());
        return 1;
    }
    std::stringstream text;
    text << in.rdbuf();
    const UpstreamWal parsed = parse_upstream_wal(text.str(), 0);
    for (const std::string& e : parsed.errors) std::fprintf(stderr, "%s: %s\n", file.c_str(), e.c_str());
    if (!parsed.errors.empty() && !skip_bad) {
        std::fprintf(stderr, "driftq-sim import-wal: %zu bad line(s); nothing imported "
                             "(--skip-bad-lines replays the rest)\n", parsed.errors.size());
        return 1;
    }
    Broker broker;  // reference options: topics come back from their messages
    for (std::size_t i = 0; i < parsed.records.size(); ++i) {
        if (Status s = broker.apply_record(parsed.records[i], 0); !s) {
            std::fprintf(stderr, "%s:%zu: %s\n", file.c_str(), parsed.record_lines[i], s.message().c_str());
            return 1;
        }
    }
    broker.finish_replay();
    std::fputs(broker.dump_state().c_str(), stdout);
    std::fprintf(stderr, "imported %zu records from %zu lines (%zu ignored, %zu bad)\n",
                 parsed.records.size(), parsed.lines, parsed.ignored, parsed.errors.size());
    return out_dir.empty() ? 0 : write_wal(out_dir, parsed.records);
}

}  // namespace driftq::cli
