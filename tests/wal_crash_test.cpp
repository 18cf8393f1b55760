// Crash test: a child process runs a workload on a WAL in a directory and reports every
// operation once it is durable; the parent kills it with SIGKILL at a random moment, recovers
// the directory and checks that nothing reported durable was lost, that committed offsets never
// went back and that replay always succeeds. Then it starts the next child on the same files.
//
//   wal_crash_test [points] [seed]      points default 200 (env DRIFTQ_CRASH_POINTS overrides)
//   wal_crash_test child DIR SEED      (internal)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "base/prng.hpp"
#include "broker/recovery.hpp"
#include "native/file_storage.hpp"

using namespace driftq;

namespace {

constexpr const char* kTopic = "orders";
constexpr int kPartitions = 3;

BrokerOptions broker_options() {
    BrokerOptions o;
    o.persist_topics = true;
    o.max_partition_messages = 0;  // the log grows across generations
    o.max_partition_bytes = 0;
    o.tick_ms = 10;  // deliveries left unacked come back soon (the child ticks)
    return o;
}

WalOptions wal_options(std::uint64_t seed) {
    WalOptions o;
    o.segment_bytes = 8 * 1024;  // many segments, many rolls to crash inside
    o.durability = seed % 2 == 0 ? Durability::always : Durability::batch;
    o.batch_max_records = 16;
    return o;
}

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "crash test: %s\n", what.c_str());
    std::exit(2);
}

// The child: produce and ack forever, printing each operation once its records are durable.
int run_child(const std::string& dir, std::uint64_t seed) {
    auto storage = FileStorage::open(dir);
    if (!storage) die(storage.error().message);
    Broker broker(broker_options());
    auto restored = restore_broker(broker, *storage.value(), wal_options(seed), 0);
    if (!restored) die("child replay: " + restored.error().message);
    Wal& wal = *restored.value().wal;
    if (!broker.find_topic(kTopic)) (void)broker.create_topic(kTopic, kPartitions, 0);
    // A short lease, and the broker ticks: deliveries the worker skips expire and come back, so
    // no partition stalls at max_in_flight and commits keep moving at every kill point.
    const StreamId stream = broker.subscribe(kTopic, "g", "worker", 20, 0).value();
    Prng rng(seed);
    std::vector<std::pair<std::uint64_t, std::string>> pending;  // (record number, line)
    auto report_durable = [&] {
        std::size_t n = 0;
        while (n < pending.size() && pending[n].first < wal.durable()) {
            std::fputs(pending[n].second.c_str(), stdout);
            ++n;
        }
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(n));
        std::fflush(stdout);
    };
    for (TimeMs now = 1;; ++now) {
        if (now >= broker.next_tick_at()) broker.tick(now);
        const std::string value = "s" + std::to_string(seed) + "-" + std::to_string(now);
        auto r = broker.produce(ProduceRequest{kTopic, "k" + std::to_string(rng.below(20)), value}, now);
        if (!r) die("produce: " + r.error().message);
        pending.push_back({wal.appended() - 1, "P " + std::to_string(r->position.partition) + " " +
                                                   std::to_string(r->position.offset) + " " + value + "\n"});
        while (auto d = broker.poll(stream)) {
            if (!rng.chance(70)) continue;  // some stay in flight, are acked out of order later
            const Position at{d->message.partition, d->message.offset};
            if (!broker.ack_if_owner(kTopic, "g", at, "worker", now)) continue;
            const std::int64_t c = broker.committed_offset(kTopic, "g", at.partition);
            pending.push_back({wal.appended() - 1, "C " + std::to_string(at.partition) + " " +
                                                       std::to_string(c) + "\n"});
        }
        if (Status s = wal.poll(now); !s) die("sync: " + s.message());
        if (now % 7 == 0 && !wal.sync()) die("sync failed");
        report_durable();
    }
}

struct Expectations {
    std::map<std::pair<int, std::int64_t>, std::string> messages;  // (partition, offset) -> value
    std::map<int, std::int64_t> committed;                         // highest reported commit
};

void parse_line(const std::string& line, Expectations& e) {
    char kind = 0;
    int p = 0;
    long long off = 0;
    char value[128] = {0};
    if (std::sscanf(line.c_str(), "P %d %lld %127s", &p, &off, value) == 3) {
        e.messages[{p, off}] = value;
    } else if (std::sscanf(line.c_str(), "%c %d %lld", &kind, &p, &off) == 3 && kind == 'C') {
        e.committed[p] = std::max(e.committed[p], static_cast<std::int64_t>(off));
    }
}

// Runs one child generation and kills it after `lines` durable reports (or once it has
// produced a few and a random pause elapsed). Returns the lines it reported.
std::vector<std::string> run_generation(const char* self, const std::string& dir,
                                        std::uint64_t seed, Prng& rng) {
    int fds[2];
    if (pipe(fds) != 0) die("pipe");
    const pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        const std::string s = std::to_string(seed);
        execl(self, self, "child", dir.c_str(), s.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    FILE* in = fdopen(fds[0], "r");
    const std::uint64_t want = rng.below(120);
    std::vector<std::string> lines;
    char buf[256];
    while (lines.size() < want && std::fgets(buf, sizeof buf, in)) lines.emplace_back(buf);
    usleep(static_cast<useconds_t>(rng.below(3000)));  // land the kill mid-write sometimes
    kill(pid, SIGKILL);
    while (std::fgets(buf, sizeof buf, in)) lines.emplace_back(buf);  // reported before death
    std::fclose(in);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status)) die("child exited on its own with status " + std::to_string(status));
    return lines;
}

// Recovers `dir` in-process and checks every expectation. Returns false on a violation.
bool verify(const std::string& dir, const Expectations& e, int point) {
    auto storage = FileStorage::open(dir);
    if (!storage) die(storage.error().message);
    Broker broker(broker_options());
    auto restored = restore_broker(broker, *storage.value(), WalOptions{}, 0);
    if (!restored) {
        std::fprintf(stderr, "point %d: replay failed: %s\n", point, restored.error().message.c_str());
        return false;
    }
    const Topic* t = broker.find_topic(kTopic);
    for (const auto& [where, value] : e.messages) {
        const auto& log = t ? t->partitions.at(static_cast<std::size_t>(where.first)).messages
                            : MessageLog{};
        auto it = std::find_if(log.begin(), log.end(), [&](const Message& m) { return m.offset == where.second; });
        if (it == log.end() || it->value() != value) {
            std::fprintf(stderr, "point %d: durable message p%d@%lld (%s) lost\n", point, where.first,
                         static_cast<long long>(where.second), value.c_str());
            return false;
        }
    }
    for (const auto& [p, c] : e.committed) {
        const std::int64_t now = broker.committed_offset(kTopic, "g", p);
        if (now < c) {
            std::fprintf(stderr, "point %d: committed offset of p%d went back from %lld to %lld\n",
                         point, p, static_cast<long long>(c), static_cast<long long>(now));
            return false;
        }
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::strcmp(argv[1], "child") == 0) {
        return run_child(argv[2], std::strtoull(argv[3], nullptr, 10));
    }
    int points = argc > 1 ? std::atoi(argv[1]) : 200;
    if (const char* env = std::getenv("DRIFTQ_CRASH_POINTS")) points = std::atoi(env);
    const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20261126;
    char tmpl[] = "/tmp/driftq-crash-XXXXXX";
    const char* root = mkdtemp(tmpl);
    if (!root) die("mkdtemp");
    std::printf("crash test: %d kill points, seed %llu, files under %s\n", points,
                static_cast<unsigned long long>(seed), root);
    Prng rng(seed);
    Expectations e;
    std::string dir;
    std::size_t reported = 0;
    int busy_points = 0;  // kill points after which the child had reported 30 or more operations
    for (int point = 0; point < points; ++point) {
        if (point % 40 == 0) {  // a fresh log now and then keeps replay short
            dir = std::string(root) + "/gen" + std::to_string(point / 40);
            e = Expectations{};
        }
        const std::uint64_t child_seed = seed + static_cast<std::uint64_t>(point);
        const std::vector<std::string> lines = run_generation(argv[0], dir, child_seed, rng);
        bool committed = false;
        for (const std::string& line : lines) {
            parse_line(line, e);
            committed = committed || line[0] == 'C';
            ++reported;
        }
        if (lines.size() >= 30) {
            ++busy_points;
            if (!committed) {  // the workload stalled: the kill points would test no commits
                std::fprintf(stderr, "point %d: %zu operations reported and not one commit\n", point, lines.size());
                return 1;
            }
        }
        if (!verify(dir, e, point)) {
            std::fprintf(stderr, "reproduce: %s %d %llu (files kept in %s)\n", argv[0], points,
                         static_cast<unsigned long long>(seed), root);
            return 1;
        }
    }
    std::printf("crash test: %d kills, %zu durable operations reported, none lost; commits at all %d busy points\n",
                points, reported, busy_points);
    std::string cleanup = std::string("rm -rf ") + root;
    return std::system(cleanup.c_str()) == 0 ? 0 : 1;
}
