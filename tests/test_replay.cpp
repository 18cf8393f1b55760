// Replay rebuilds the broker: a property test over random operations, the reference's restart
// behaviours, and the two upstream restart tests.
#include <doctest/doctest.h>

#include "broker_fixture.hpp"
#include "base/prng.hpp"
#include "wal_fixture.hpp"

using namespace driftq;
using namespace driftq::testing;

namespace {

BrokerOptions durable_topics() {
    BrokerOptions o;
    o.persist_topics = true;
    return o;
}

// A live broker journaling to `storage`, built like a restarted one so both share code.
struct Live : Reopened {
    explicit Live(Storage& s, BrokerOptions b = durable_topics(), WalOptions w = {})
        : Reopened(s, b, w) {
        REQUIRE_MESSAGE(restored.ok(), (restored.ok() ? "" : restored.error().message));
    }
};

// Random operations against `b`: topics, consumers joining and leaving, produces with every
// envelope feature, acks, nacks, ticks and direct consume-idempotency calls.
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

std::vector<std::int64_t> delivered_offsets(Broker& b, StreamId id) {
    std::vector<std::int64_t> out;
    for (const Delivery& d : b.poll_all(id)) out.push_back(d.message.offset);
    return out;
}

}  // namespace

namespace {

// Storage that forgets one kind of sync, as a WAL with a missing fdatasync or directory fsync
// would: the tests below must catch it.
class Forgetful final : public Storage {
public:
    enum class Forget { nothing, data_sync, dir_sync };
    explicit Forgetful(Forget f) : forget_(f) {}
    Status append(const std::string& n, std::string_view b) override { return disk.append(n, b); }
    Status sync(const std::string& n) override { return forget_ == Forget::data_sync ? Status{} : disk.sync(n); }
    Status sync_dir() override { return forget_ == Forget::dir_sync ? Status{} : disk.sync_dir(); }
    Result<std::string> read(const std::string& n) const override { return disk.read(n); }
    Result<std::uint64_t> size(const std::string& n) const override { return disk.size(n); }
    Result<std::vector<std::string>> list() const override { return disk.list(); }
    Status truncate(const std::string& n, std::uint64_t sz) override { return disk.truncate(n, sz); }
    Status rename(const std::string& a, const std::string& b) override { return disk.rename(a, b); }
    Status remove(const std::string& n) override { return disk.remove(n); }
    MemoryStorage disk;

private:
    Forget forget_;
};

// Runs the random workload on a live broker, cuts the power while it runs (before anything is
// synced on shutdown), and says whether a restart rebuilt exactly the state it had acknowledged.
bool survives_power_cut(std::uint64_t seed, PowerLoss mode, Forgetful::Forget forget) {
    Forgetful storage(forget);
    MemoryStorage at_cut;
    std::string live_state;
    {
        WalOptions w;
        w.segment_bytes = 4096;  // exercise segment rolling too
        Live live(storage, durable_topics(), w);
        random_workload(live.broker, seed, 400);
        live_state = live.broker.dump_durable_state();
        REQUIRE(live_state.find("committed=") != std::string::npos);  // the workload did things
        at_cut = storage.disk;  // the disk at the cut, the broker still running
    }
    at_cut.crash(mode, seed);
    Reopened again(at_cut, durable_topics());
    return again.restored.ok() && again.broker.dump_durable_state() == live_state;
}

constexpr PowerLoss kModes[] = {PowerLoss::drop_unsynced, PowerLoss::keep_prefix, PowerLoss::keep_sectors};

}  // namespace

TEST_CASE("a power cut during random operations loses nothing acknowledged: replay rebuilds the same state") {
    for (std::uint64_t seed = 1; seed <= 25; ++seed) {
        for (PowerLoss mode : kModes) {
            CAPTURE(seed);
            CAPTURE(static_cast<int>(mode));
            CHECK(survives_power_cut(seed, mode, Forgetful::Forget::nothing));
        }
    }
}

TEST_CASE("the power-cut test catches a WAL that skips its data sync or its directory sync") {
    for (Forgetful::Forget forget : {Forgetful::Forget::data_sync, Forgetful::Forget::dir_sync}) {
        CAPTURE(static_cast<int>(forget));
        int caught = 0;
        for (std::uint64_t seed = 1; seed <= 5; ++seed) {
            if (!survives_power_cut(seed, PowerLoss::drop_unsynced, forget)) ++caught;
        }
        CHECK(caught == 5);
    }
}

TEST_CASE("reference replay: empty topics vanish and partition counts shrink to the highest used") {
    MemoryStorage s;
    {
        Live live(s, BrokerOptions{});
        REQUIRE(live.broker.create_topic("t", 4, 0));
        REQUIRE(live.broker.create_topic("empty", 2, 0));
        for (int i = 0; i < 3; ++i) REQUIRE(live.broker.produce(ProduceRequest{"t", "", "v"}, 0));
    }
    Reopened again(s);
    REQUIRE(again.restored);
    CHECK(again.broker.list_topics() == std::vector<std::string>{"t"});
    CHECK(again.broker.find_topic("t")->partitions.size() == 1);
    // Re-creating is a silent no-op, so the topic keeps one partition: keys now hash differently.
    REQUIRE(again.broker.create_topic("t", 4, 0));
    CHECK(again.broker.find_topic("t")->partitions.size() == 1);
}

TEST_CASE("with persist_topics, topics come back exactly as created") {
    MemoryStorage s;
    {
        Live live(s);
        REQUIRE(live.broker.create_topic("t", 4, 0));
        REQUIRE(live.broker.create_topic("empty", 2, 0));
        REQUIRE(live.broker.produce(ProduceRequest{"t", "", "v"}, 0));
    }
    Reopened again(s, durable_topics());
    REQUIRE(again.restored);
    CHECK(again.broker.list_topics() == std::vector<std::string>{"empty", "t"});
    CHECK(again.broker.find_topic("t")->partitions.size() == 4);
}

TEST_CASE("highest_acked loses an unacked lower offset across a restart; contiguous does not") {
    for (CommitRule rule : {CommitRule::highest_acked, CommitRule::contiguous}) {
        CAPTURE(static_cast<int>(rule));
        BrokerOptions o = durable_topics();
        o.commit_rule = rule;
        MemoryStorage s;
        {
            Live live(s, o);
            REQUIRE(live.broker.create_topic("t", 1, 0));
            StreamId a = live.broker.subscribe("t", "g", "A", 5000, 0).value();
            REQUIRE(live.broker.produce(ProduceRequest{"t", "", "first"}, 0));
            REQUIRE(live.broker.produce(ProduceRequest{"t", "", "second"}, 0));
            REQUIRE(live.broker.poll_all(a).size() == 2);
            REQUIRE(live.broker.ack_if_owner("t", "g", {0, 1}, "A", 10));  // 0 is never acked
        }
        Reopened again(s, o);
        REQUIRE(again.restored);
        StreamId b = again.broker.subscribe("t", "g", "B", 5000, 0).value();
        if (rule == CommitRule::highest_acked) {
            CHECK(delivered_offsets(again.broker, b).empty());  // offset 0 is gone for good
        } else {
            CHECK(delivered_offsets(again.broker, b) == std::vector<std::int64_t>{0, 1});
        }
    }
}

TEST_CASE("after a restart attempts start at 1 and last_error is seeded from retry state") {
    MemoryStorage s;
    {
        Live live(s);
        REQUIRE(live.broker.create_topic("t", 1, 0));
        StreamId a = live.broker.subscribe("t", "g", "A", 5000, 0).value();
        REQUIRE(live.broker.produce(ProduceRequest{"t", "", "v"}, 0));
        live.broker.poll_all(a);
        REQUIRE(live.broker.nack("t", "g", {0, 0}, "A", "boom", 10));
        REQUIRE(live.broker.poll_all(a).at(0).attempts == 2);
    }
    Reopened again(s, durable_topics());
    REQUIRE(again.restored);
    StreamId b = again.broker.subscribe("t", "g", "B", 5000, 0).value();
    auto got = again.broker.poll_all(b);
    REQUIRE(got.size() == 1);
    CHECK(got[0].attempts == 1);
    CHECK(got[0].last_error == "boom");
}

TEST_CASE("upstream TestConsumeIdempotencySurvivesRestart") {
    MemoryStorage s;
    const IdemKey key{IdemScope::consume, "t1", "idem-demo", "g1", "consume-key-123"};
    {
        Live live(s);
        auto begun = live.broker.consume_begin_lease(key, "worker-A", 2000, 0);
        REQUIRE(begun);
        CHECK_FALSE(begun->already_done);
        REQUIRE(live.broker.consume_commit_if_owner(key, "worker-A", "ok", 0));
    }
    Reopened again(s);
    REQUIRE(again.restored);
    auto second = again.broker.consume_begin_lease(key, "worker-B", 2000, 0);
    REQUIRE(second);
    CHECK(second->already_done);
    CHECK(second->prior_result == "ok");
}

TEST_CASE("upstream TestConsumePendingLeaseExpiresOnRestart") {
    MemoryStorage s;
    const IdemKey key{IdemScope::consume, "t1", "idem-demo", "g1", "consume-key-123"};
    {
        Live live(s);
        auto begun = live.broker.consume_begin_lease(key, "worker-A", 1000, 0);
        REQUIRE(begun);
        CHECK_FALSE(begun->already_done);
    }
    Reopened again(s);
    REQUIRE(again.restored);
    auto second = again.broker.consume_begin_lease(key, "worker-B", 1000, 0);  // within the lease
    REQUIRE_MESSAGE(second.ok(), (second.ok() ? "" : second.error().message));
    CHECK_FALSE(second->already_done);
}

TEST_CASE("a journal failure fails the operation and changes nothing") {
    MemoryStorage s;
    Live live(s);
    REQUIRE(live.broker.create_topic("t", 1, 0));
    StreamId a = live.broker.subscribe("t", "g", "A", 5000, 0).value();
    REQUIRE(live.broker.produce(ProduceRequest{"t", "", "v"}, 0));
    live.broker.poll_all(a);
    const std::string before = live.broker.dump_state();
    s.fail_appends_after(0);
    auto produced = live.broker.produce(ProduceRequest{"t", "", "w"}, 0);
    REQUIRE_FALSE(produced);
    CHECK(produced.error().code == Errc::io_error);
    Status acked = live.broker.ack_if_owner("t", "g", {0, 0}, "A", 0);
    CHECK(acked.error().code == Errc::io_error);
    CHECK(live.broker.dump_state() == before);  // still in flight, nothing appended
}
