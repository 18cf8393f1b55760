// The large fixture of the UI smoke test and the frame benchmark: `messages` messages over 64
// partitions, one group whose manual consumer holds up to 157 deliveries per partition (about
// 10,000 in flight), everything else waiting.
#pragma once

#include "sim/scenario.hpp"

namespace driftq::ui_test {

inline sim::Scenario big_run(int messages) {
    sim::Scenario s;
    s.name = "big-run";
    s.seed = 7;
    s.broker.max_partition_messages = 0;
    s.broker.max_partition_bytes = 0;
    s.broker.max_in_flight = 157;
    s.topics.push_back({"orders", 64});
    constexpr int kProducers = 16;
    for (int i = 0; i < kProducers; ++i) {
        sim::ProducerSpec p;
        p.name = "shop-" + std::to_string(i);
        p.topic = "orders";
        p.count = messages / kProducers;
        p.every_ms = 1;
        p.keys = sim::KeySpec{sim::KeySpec::Kind::round_robin, "user:" + std::to_string(i) + ":", 4096, 1.0};
        s.producers.push_back(p);
    }
    sim::ConsumerSpec c;
    c.name = "holder";
    c.owner = c.name;
    c.topic = "orders";
    c.group = "billing";
    c.lease_ms = 100'000'000;  // never expires during the run
    c.behaviour = sim::ConsumerBehaviour::manual;
    s.consumers.push_back(c);
    s.until_ms = messages / kProducers + 10;
    return s;
}

}  // namespace driftq::ui_test
