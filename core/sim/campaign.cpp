// Drawing a whole scenario from a seed (the campaign's generator). Every choice comes from one
// SplitMix64 stream and every number is an integer or one of a few decimal literals, so a seed
// draws the same file on every platform.
#include "sim/campaign.hpp"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/prng.hpp"

namespace driftq::sim {

namespace {

using json = nlohmann::ordered_json;

class Draw {
public:
    explicit Draw(std::uint64_t seed) : rng_(seed), seed_(seed) {}

    std::string scenario() {
        json s;
        s["name"] = "campaign-" + std::to_string(seed_);
        s["description"] = "Drawn by `driftq-sim fuzz` from seed " + std::to_string(seed_) + ".";
        s["seed"] = seed_;
        until_ = 3000 + 1000 * static_cast<std::int64_t>(rng_.below(5));
        s["until_ms"] = until_;  // lengthened below if the run must drain
        s["broker"] = broker();
        if (rng_.chance(80)) {
            wal_ = wal_options();
            s["wal"] = wal_;
        }
        s["topics"] = topics();
        s["producers"] = producers();
        s["consumers"] = consumers();
        s["timeline"] = timeline();
        s["invariants"] = invariants();
        // Five minutes of virtual time drain even a slow, lossy group (one in flight, a 2 s
        // lease, a fifth of acks lost); idle ticks cost little.
        if (calm()) s["until_ms"] = std::max(until_, last_produce_ + 300'000);
        return s.dump(2) + "\n";
    }

private:
    template <class T>
    T pick(std::initializer_list<T> choices) {
        return *(choices.begin() + rng_.below(choices.size()));
    }
    std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
        return lo + static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(hi - lo + 1)));
    }
    const std::string& any_topic() { return topic_names_[rng_.below(topic_names_.size())]; }

    json broker() {
        contiguous_ = rng_.chance(50);
        json b;
        b["max_in_flight"] = pick({1, 2, 4});
        b["ack_timeout_ms"] = pick({300, 1000, 2000});
        default_lease_ = pick({200, 500, 2000});
        b["default_lease_ms"] = default_lease_;
        b["tick_ms"] = pick({50, 100, 250});
        const int messages_cap = pick({0, 20, 100}), bytes_cap = pick({0, 4096, 65536});
        b["max_partition_messages"] = messages_cap;
        b["max_partition_bytes"] = bytes_cap;
        backpressure_ = messages_cap != 0 || bytes_cap != 0;
        b["idempotency_window_ms"] = pick({1000, 600000});
        b["commit_rule"] = contiguous_ ? "contiguous" : "highest_acked";
        b["persist_topics"] = rng_.chance(50);
        b["max_last_error_bytes"] = pick({0, 0, 256});
        return b;
    }

    json wal_options() {
        json w;
        durability_ = pick<const char*>({"always", "batch", "none"});
        w["durability"] = durability_;
        w["batch_max_records"] = pick({4, 64});
        w["batch_max_delay_ms"] = pick({5, 50});
        w["segment_bytes"] = pick({1024, 4096, 65536});
        w["buffer_bytes"] = pick({1, 100, 1 << 20});  // written but unsynced bytes: what a cut may keep
        w["recovery"] = rng_.chance(50) ? "tolerate_tail" : "point_in_time";
        return w;
    }

    json topics() {
        json out = json::array();
        const auto n = between(1, 3);
        for (std::int64_t i = 0; i < n; ++i) {
            const auto partitions = between(1, 4);
            topic_names_.push_back("t" + std::to_string(i));
            partitions_.push_back(partitions);
            out.push_back({{"name", topic_names_.back()}, {"partitions", partitions}});
        }
        return out;
    }

    json envelope(bool rate, std::int32_t partitions) {
        json e;
        e["run_id"] = "run-" + std::to_string(rng_.below(3));
        e["tenant_id"] = pick<const char*>({"", "acme", "globex"});
        if (rng_.chance(50)) {
            dead_letters_ = true;
            e["retry_policy"] = {{"max_attempts", between(1, 4)},
                                 {"backoff_ms", pick({0, 50, 200})},
                                 {"max_backoff_ms", 1000}};
        }
        if (rng_.chance(15)) e["partition_override"] = between(0, partitions - 1);
        if (rng_.chance(20)) e["labels"] = {{"step", pick<const char*>({"plan", "act", "check"})}};
        if (!rate && rng_.chance(40)) e["idempotency_key"] = "idem-" + std::to_string(rng_.below(4));
        if (!rate && rng_.chance(10)) e["deadline_ms"] = between(0, 2000);
        return e;
    }

    json keys() {
        const char* kind = pick<const char*>({"none", "fixed", "round_robin", "zipf"});
        json k = {{"kind", kind}, {"value", "k"}};
        if (std::string(kind) == "round_robin") k["count"] = between(2, 8);
        if (std::string(kind) == "zipf") {
            k["count"] = between(4, 16);
            k["skew"] = pick({1.0, 1.5});
        }
        return k;
    }

    json producer(int i) {
        const std::size_t t = rng_.below(topic_names_.size());
        const auto partitions = static_cast<std::int32_t>(partitions_[t]);
        json p = {{"name", "p" + std::to_string(i)}, {"topic", topic_names_[t]}};
        json rate = {{"count", between(5, 60)}, {"start_ms", between(0, 500)},
                     {"every_ms", pick({10, 20, 50, 100})}, {"keys", keys()}};
        if (rng_.chance(40)) rate["envelope"] = envelope(true, partitions);
        if (rng_.chance(30)) rate["idempotent_retries"] = true;
        last_produce_ = std::max(last_produce_, rate["start_ms"].get<std::int64_t>() +
                                                     rate["count"].get<std::int64_t>() *
                                                         rate["every_ms"].get<std::int64_t>());
        p["rate"] = rate;
        if (rng_.chance(30)) {
            json messages = json::array();
            const auto n = between(1, 5);
            for (std::int64_t m = 0; m < n; ++m) {
                const auto at = between(0, 2000);
                messages.push_back({{"at", at}, {"key", "m" + std::to_string(rng_.below(3))},
                                    {"value", "x" + std::to_string(m)},
                                    {"envelope", envelope(false, partitions)}});
                last_produce_ = std::max(last_produce_, at);
            }
            p["messages"] = messages;
        }
        p["duplicate_probability"] = pick({0.0, 0.1, 0.3});
        p["retry_on_backpressure"] = rng_.chance(85);
        return p;
    }

    json producers() {
        json out = json::array();
        const auto n = between(1, 3);
        for (int i = 0; i < n; ++i) out.push_back(producer(i));
        return out;
    }

    json processing() {
        switch (rng_.below(3)) {
            case 0: return {{"kind", "constant"}, {"ms", between(5, 100)}};
            case 1: return {{"kind", "uniform"}, {"min_ms", 0}, {"max_ms", between(10, 200)}};
            default: return {{"kind", "exponential"}, {"ms", between(10, 80)}};
        }
    }

    // A consumer that misbehaves in some way makes liveness (every message acked or dead-lettered
    // by the end) a promise the scenario cannot keep; it is recorded as not calm.
    json consumer(int i) {
        const std::string name = "c" + std::to_string(i);
        consumer_names_.push_back(name);
        const auto join_at = between(0, 1000);
        json c = {{"name", name}, {"topic", any_topic()}, {"group", pick<const char*>({"g", "g", "h"})},
                  {"lease_ms", pick({0, 150, 400, 1000})}, {"join_at", join_at},
                  {"processing", processing()}};
        // A lease under 250 ms makes the broker refuse consume-idempotency leases, so a message
        // with an idempotency key blocks its partition for that group (reference quirk, 6.4).
        const auto lease = c["lease_ms"].get<std::int64_t>();
        if ((lease == 0 ? default_lease_ : lease) < 250) calm_ = false;
        const auto roll = rng_.below(100);
        if (roll < 8) {
            c["behaviour"] = "nack";
            c["nack_reason"] = "boom";
            // At least 20 ms per answer: a nack comes back at once, so an instant answer would
            // spin thousands of times per virtual millisecond.
            c["processing"] = {{"kind", "constant"}, {"ms", between(20, 100)}};
            calm_ = false;
        } else if (roll < 14) {
            c["behaviour"] = "hang";
            calm_ = false;
        }
        c["fail_probability"] = pick({0.0, 0.0, 0.1, 0.3});
        c["ack_loss_probability"] = pick({0.0, 0.05, 0.2});
        if (rng_.chance(10)) {
            c["hang_on_offsets"] = {between(0, 10)};
            calm_ = false;
        }
        if (rng_.chance(25)) {
            const auto down = join_at + between(200, 2000);
            c[rng_.chance(70) ? "crash_at" : "leave_at"] = down;
            if (rng_.chance(75)) c["rejoin_at"] = down + between(50, 1500);
            else calm_ = false;
        }
        return c;
    }

    json consumers() {
        json out = json::array();
        const auto n = between(1, 4);
        for (int i = 0; i < n; ++i) out.push_back(consumer(i));
        return out;
    }

    json action(std::int64_t at, const char* name) { return {{"at", at}, {"action", name}}; }

    // Broker crashes with their restarts, WAL damage between them, and consumer faults.
    json timeline() {
        json out = json::array();
        const int crashes = wal_.is_null() ? (rng_.chance(30) ? 1 : 0) : static_cast<int>(rng_.below(4));
        std::int64_t t = 200;
        for (int i = 0; i < crashes && t < until_ - 800; ++i) {
            t = between(t, std::min(t + 1500, until_ - 800));
            json crash = action(t, "broker_crash");
            if (!wal_.is_null() && rng_.chance(50)) {
                crash["power_loss"] = pick<const char*>({"keep_prefix", "keep_sectors"});
            }
            out.push_back(crash);
            ++crashes_;
            const auto down = between(20, 400);
            if (!wal_.is_null() && rng_.chance(25)) {
                json damage = action(t + down / 2, rng_.chance(50) ? "torn_tail" : "flip_byte");
                damage["bytes"] = between(1, 60);
                out.push_back(damage);
                damaged_ = true;
            }
            t += down;
            out.push_back(action(t, "broker_restart"));
            t += 100;
        }
        for (int i = 0; rng_.chance(40) && i < 3; ++i) {
            const std::string& who = consumer_names_[rng_.below(consumer_names_.size())];
            const auto at = between(100, until_ - 600);
            const char* fault = pick<const char*>({"consumer_hang", "consumer_pause", "lose_ack"});
            json f = action(at, fault);
            f["consumer"] = who;
            out.push_back(f);
            if (std::string(fault) != "lose_ack") {
                json resume = action(at + between(50, 500), "consumer_resume");
                resume["consumer"] = who;
                out.push_back(resume);
            }
        }
        std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
            return a["at"].get<std::int64_t>() < b["at"].get<std::int64_t>();
        });
        return out;
    }

    bool calm() const {
        // Under the reference's highest-acked rule a restart may skip unacked offsets for good.
        // A dead-letter topic nobody consumes fills up under backpressure, and a message whose
        // DLQ publish fails stays in flight for ever (the reference's strict rule, 3.9).
        return calm_ && (crashes_ == 0 || contiguous_) && !(dead_letters_ && backpressure_);
    }

    // What the drawn situation promises.
    json invariants() {
        json out = {"per_key_order"};
        if (!wal_.is_null()) {
            out.push_back("replay_equals_durable_state");
            if (!damaged_) out.push_back("no_durable_produce_lost");
            // Commits that were never synced may go back after a crash; under `always` all are.
            if (!damaged_ && durability_ == std::string("always")) out.push_back("committed_monotonic");
        }
        if (calm()) out.push_back("all_acked_or_dead_lettered");
        return out;
    }

    Prng rng_;
    std::uint64_t seed_;
    std::int64_t until_ = 0;
    std::int64_t last_produce_ = 0;
    json wal_;  // null: no WAL
    const char* durability_ = "";
    std::vector<std::string> topic_names_;
    std::vector<std::int64_t> partitions_;
    std::vector<std::string> consumer_names_;
    std::int64_t default_lease_ = 0;
    bool contiguous_ = false;
    bool dead_letters_ = false;  // some message has a retry policy
    bool backpressure_ = false;
    bool calm_ = true;
    bool damaged_ = false;
    int crashes_ = 0;
};

}  // namespace

std::string random_scenario(std::uint64_t seed) { return Draw(seed).scenario(); }

}  // namespace driftq::sim
