#include "native/demo.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace driftq::demo {

namespace {

enum class Action { ack, nack, ignore };

// A consumer that answers each delivery after `think_ms` with what `decide` says.
struct Worker {
    StreamId stream = 0;
    std::string topic, group, owner;
    TimeMs think_ms = 100;
    std::function<Action(const Delivery&)> decide;
    struct Pending {
        TimeMs due;
        Delivery delivery;
        Action action;
    };
    std::vector<Pending> pending;
};

void answer_due(Broker& b, Worker& w, TimeMs now) {
    std::vector<Worker::Pending> later;
    for (auto& p : w.pending) {
        if (p.due > now) {
            later.push_back(std::move(p));
            continue;
        }
        const Position at{p.delivery.message.partition, p.delivery.message.offset};
        // Errors (a stale owner's ack, say) are part of the story: they show up in the trace
        // as the absence of an ack, so they are deliberately not fatal here.
        if (p.action == Action::ack) {
            (void)b.ack_if_owner(w.topic, w.group, at, w.owner, now);
        } else if (p.action == Action::nack) {
            (void)b.nack(w.topic, w.group, at, w.owner, "card declined", now);
        }
    }
    w.pending = std::move(later);
}

void take_new(Broker& b, Worker& w, TimeMs now) {
    while (auto d = b.poll(w.stream)) {
        Action a = w.decide(*d);
        w.pending.push_back({now + w.think_ms, std::move(*d), a});
    }
}

Worker join(Broker& b, std::string group, std::string owner, TimeMs lease, TimeMs now,
            std::function<Action(const Delivery&)> decide) {
    Worker w;
    w.topic = "orders";
    w.group = std::move(group);
    w.owner = std::move(owner);
    w.decide = std::move(decide);
    w.stream = b.subscribe(w.topic, w.group, w.owner, lease, now).value();
    return w;
}

ProduceRequest order(const std::string& user, const std::string& what, int max_attempts) {
    Envelope env;
    env.run_id = "checkout-42";
    env.tenant_id = "acme";
    if (max_attempts > 0) env.retry_policy = RetryPolicy{max_attempts, 200, 1000};
    return ProduceRequest{"orders", user, what, env};
}

}  // namespace

void run(Broker& b) {
    TimeMs now = 0;
    (void)b.create_topic("orders", 2, now);
    std::vector<Worker> workers;
    // worker-a nacks the poison order; worker-b hangs on every other delivery.
    workers.push_back(join(b, "billing", "worker-a", 300, now, [](const Delivery& d) {
        return d.message.value() == "poison" ? Action::nack : Action::ack;
    }));
    int seen_by_b = 0;
    workers.push_back(join(b, "billing", "worker-b", 300, now, [&seen_by_b](const Delivery&) {
        return ++seen_by_b % 2 == 1 ? Action::ignore : Action::ack;
    }));
    workers.push_back(join(b, "audit", "auditor", 1000, now, [](const Delivery&) {
        return Action::ack;
    }));

    const std::map<TimeMs, ProduceRequest> script = {
        {10, order("user:1", "charge 10", 3)}, {20, order("user:2", "charge 20", 3)},
        {30, order("user:3", "poison", 3)},    {40, order("user:1", "refund 10", 0)},
        {900, order("user:2", "charge 5", 3)}, {1000, order("user:3", "charge 7", 3)},
    };
    for (; now <= 5000; now += 10) {
        b.tick(now);
        if (auto it = script.find(now); it != script.end()) (void)b.produce(it->second, now);
        if (now == 950) {  // worker-b crashes; its in-flight messages fall back to 2 s leases
            (void)b.unsubscribe(workers[1].stream, now);
            workers.erase(workers.begin() + 1);
        }
        for (Worker& w : workers) {
            answer_due(b, w, now);
            take_new(b, w, now);
        }
    }
}

}  // namespace driftq::demo
