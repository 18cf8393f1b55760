// The benchmarks' shared workload: one topic with 8 partitions, a producer sending `messages`
// messages 1 ms apart over 1,000 round-robin keys, 4 consumers with uniform 1 to 8 ms processing,
// 1% of deliveries nacked, max in-flight 16.
#pragma once

#include <string>

#include "sim/scenario.hpp"

namespace driftq::bench {

inline driftq::sim::Scenario big_scenario(int messages) {
    driftq::sim::Scenario s;
    s.name = "bench";
    s.seed = 42;
    s.broker.max_partition_messages = 0;
    s.broker.max_partition_bytes = 0;
    s.broker.max_in_flight = 16;
    s.topics.push_back({"orders", 8});
    driftq::sim::ProducerSpec p;
    p.name = "shop";
    p.topic = "orders";
    p.count = messages;
    p.every_ms = 1;
    p.keys = driftq::sim::KeySpec{driftq::sim::KeySpec::Kind::round_robin, "user:", 1000, 1.0};
    s.producers.push_back(p);
    for (int i = 0; i < 4; ++i) {
        driftq::sim::ConsumerSpec c;
        c.name = "worker-" + std::to_string(i);
        c.owner = c.name;
        c.topic = "orders";
        c.group = "billing";
        c.lease_ms = 2000;
        c.processing = driftq::sim::Processing{driftq::sim::Processing::Kind::uniform, 0, 1, 8};
        c.fail_probability = 0.01;
        s.consumers.push_back(c);
    }
    s.until_ms = messages + 10'000;
    s.invariants = {driftq::sim::Invariant::all_acked_or_dead_lettered};
    return s;
}

}  // namespace driftq::bench
