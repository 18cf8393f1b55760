// Throughput of produce -> deliver -> ack cycles and memory per retained message.
// Prints a Markdown table; docs/benchmarks.md keeps the latest one.
//
//   build/release/bench/bench_cycles [messages] [only-run-index]   (default 1,000,000, all)
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "broker/broker.hpp"

using namespace driftq;

namespace {

constexpr int kPartitions = 8;
constexpr int kConsumers = 4;
constexpr int kRepeats = 5;

class CountingSink final : public EventSink {
public:
    void on_event(const Event&) override { ++count; }
    std::uint64_t count = 0;
};

struct Run {
    const char* name;
    BrokerOptions options;
    bool trace;
};

struct Figures {
    double seconds = 0;
    std::int64_t cycles = 0;
    std::int64_t rejected = 0;
};

std::vector<std::string> make_keys() {
    std::vector<std::string> keys;
    for (int i = 0; i < 1024; ++i) keys.push_back("key-" + std::to_string(i));
    return keys;
}

// Produces `messages` messages over 8 partitions; 4 consumers in one group ack everything they
// receive. The producer works in batches and, when backpressure rejects it, lets the consumers
// catch up before retrying, as a real client honouring Retry-After would.
Figures run_cycles(const Run& run, std::int64_t messages) {
    Broker b(run.options);
    CountingSink sink;
    if (run.trace) b.set_event_sink(&sink);
    TimeMs now = 0;
    (void)b.create_topic("bench", kPartitions, now);
    std::vector<StreamId> streams;
    const std::string owners[kConsumers] = {"c0", "c1", "c2", "c3"};
    for (const std::string& o : owners) streams.push_back(b.subscribe("bench", "g", o, 30000, now).value());
    const std::vector<std::string> keys = make_keys();
    const std::string value(100, 'x');

    Figures f;
    const int batch = run.options.max_in_flight > 0 && run.options.max_in_flight < 64 ? 16 : 1024;
    std::int64_t produced = 0;
    const auto start = std::chrono::steady_clock::now();
    while (f.cycles < messages) {
        for (int i = 0; i < batch && produced < messages; ++i) {
            auto r = b.produce(ProduceRequest{"bench", keys[static_cast<std::size_t>(produced) % keys.size()], value, {}}, now);
            if (!r) {
                ++f.rejected;
                break;
            }
            ++produced;
        }
        for (int c = 0; c < kConsumers; ++c) {
            while (auto d = b.poll(streams[c])) {
                const Position at{d->message.partition, d->message.offset};
                if (b.ack_if_owner("bench", "g", at, owners[c], now)) ++f.cycles;
            }
        }
        ++now;
        b.tick(now);
    }
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return f;
}

// Heap bytes in use (Emscripten's libc has only the older mallinfo, in ints: wasm32).
std::size_t heap_in_use() {
#ifdef __EMSCRIPTEN__
    return static_cast<std::size_t>(mallinfo().uordblks);
#else
    return mallinfo2().uordblks;
#endif
}

// Heap bytes per message retained in a partition log (no consumers, caps off).
void memory_per_message(std::int64_t messages, std::size_t value_size) {
    BrokerOptions o;
    o.max_partition_messages = 0;
    o.max_partition_bytes = 0;
    const std::vector<std::string> keys = make_keys();
    const std::string value(value_size, 'x');
    const std::size_t before = heap_in_use();
    {
        Broker b(o);
        (void)b.create_topic("mem", kPartitions, 0);
        for (std::int64_t i = 0; i < messages; ++i) {
            (void)b.produce(ProduceRequest{"mem", keys[static_cast<std::size_t>(i) % keys.size()], value, {}}, 0);
        }
        const double total = static_cast<double>(heap_in_use() - before);
        double key_bytes = 0;
        for (const std::string& k : keys) key_bytes += static_cast<double>(k.size());
        const double payload = key_bytes / static_cast<double>(keys.size()) + static_cast<double>(value_size);
        const auto n = static_cast<double>(messages);
        std::printf("| %zu-byte value | %.1f | %.1f |\n", value_size, total / n,
                    total / n - payload);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t messages = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
    BrokerOptions reference;
    BrokerOptions relaxed;
    relaxed.max_in_flight = 1024;
    relaxed.max_partition_messages = 0;
    relaxed.max_partition_bytes = 0;
    const Run runs[] = {
        {"reference limits (in-flight 2, caps 100 msgs / 64 KiB)", reference, false},
        {"relaxed (in-flight 1024, caps off)", relaxed, false},
        {"relaxed, every event delivered to a sink", relaxed, true},
    };
    std::printf("produce -> deliver -> ack, %lld messages, %d partitions, %d consumers\n\n",
                static_cast<long long>(messages), kPartitions, kConsumers);
    std::printf("Each configuration runs %d times in one process; later runs reuse heap pages the\n"
                "first run had to fault in. Best and median of the runs:\n\n", kRepeats);
    std::printf("| configuration | best cycles/s | median cycles/s | produce retries (all runs) |\n"
                "|---|---:|---:|---:|\n");
    const int only = argc > 2 ? std::atoi(argv[2]) : -1;
    for (int i = 0; i < 3; ++i) {
        if (only >= 0 && i != only) continue;
        const Run& r = runs[i];
        std::vector<double> rates;
        std::int64_t rejected = 0;
        for (int k = 0; k < kRepeats; ++k) {
            Figures f = run_cycles(r, messages);
            rates.push_back(static_cast<double>(f.cycles) / f.seconds);
            rejected += f.rejected;  // every run's, not only the last one's
        }
        std::sort(rates.begin(), rates.end());
        std::printf("| %s | %.0f | %.0f | %lld |\n", r.name, rates.back(),
                    rates[rates.size() / 2], static_cast<long long>(rejected));
    }
    if (only >= 0) return 0;
    std::printf("\nheap per retained message (%lld messages, keys \"key-0\"..\"key-1023\")\n\n",
                static_cast<long long>(messages));
    std::printf("| payload | bytes/message | overhead beyond key+value |\n|---|---:|---:|\n");
    memory_per_message(messages, 16);
    memory_per_message(messages, 100);
    return 0;
}
