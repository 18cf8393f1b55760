#include "random_workload.hpp"

#include <string>
#include <vector>

#include "base/prng.hpp"

namespace driftq::testing {

void random_workload(Broker& b, std::uint64_t seed, int steps) {
    Prng rng(seed);
    TimeMs now = 0;
    std::vector<StreamId> streams;
    const char* topics[] = {"t0", "t1", "t2"};
    for (int step = 0; step < steps; ++step) {
        now += static_cast<TimeMs>(rng.below(300));
        b.tick(now);
        const std::string topic = topics[rng.below(3)];
        switch (rng.below(8)) {
            case 0:
                (void)b.create_topic(topic, static_cast<std::int32_t>(1 + rng.below(4)), now);
                break;
            case 1: {
                auto id = b.subscribe(topic, "g" + std::to_string(rng.below(2)),
                                      "o" + std::to_string(rng.below(3)),
                                      static_cast<TimeMs>(250 + rng.below(800)), now);
                if (id) streams.push_back(id.value());
                break;
            }
            case 2:
                if (!streams.empty() && rng.chance(40)) {
                    const auto i = static_cast<std::size_t>(rng.below(streams.size()));
                    (void)b.unsubscribe(streams[i], now);
                    streams.erase(streams.begin() + static_cast<std::ptrdiff_t>(i));
                }
                break;
            case 3:
            case 4: {
                ProduceRequest r{topic, rng.chance(20) ? "" : "k" + std::to_string(rng.below(10)),
                                 "v" + std::to_string(step), std::nullopt};
                if (rng.chance(60)) {
                    Envelope e;
                    if (rng.chance(40)) e.idempotency_key = "i" + std::to_string(rng.below(6));
                    if (rng.chance(30)) e.tenant_id = "ten" + std::to_string(rng.below(2));
                    if (rng.chance(50)) {
                        e.retry_policy = RetryPolicy{static_cast<int>(rng.below(4)),
                                                     static_cast<std::int64_t>(rng.below(300)), 0};
                    }
                    if (rng.chance(10)) e.partition_override = 0;
                    if (rng.chance(10)) e.target_topic = topics[rng.below(3)];
                    r.envelope = e;
                }
                (void)b.produce(std::move(r), now);
                break;
            }
            case 5:
            case 6: {
                if (streams.empty()) break;
                const StreamId id = streams[static_cast<std::size_t>(rng.below(streams.size()))];
                auto d = b.poll(id);
                if (!d) break;
                const Stream& s = b.streams().at(id);
                const Position at{d->message.partition, d->message.offset};
                if (rng.chance(70)) {
                    (void)b.ack_if_owner(s.topic, s.group, at, s.owner, now);
                } else if (rng.chance(70)) {
                    (void)b.nack(s.topic, s.group, at, s.owner, "r" + std::to_string(rng.below(3)), now);
                }
                break;
            }
            case 7: {
                const IdemKey key{IdemScope::consume, "", topic, "g0", "i" + std::to_string(rng.below(6))};
                if (b.consume_begin_lease(key, "w", 1000, now) && rng.chance(50)) {
                    (void)b.consume_commit_if_owner(key, "w", "done", now);
                }
                break;
            }
        }
    }
}

}  // namespace driftq::testing
