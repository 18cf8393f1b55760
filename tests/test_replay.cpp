// Replay rebuilds the broker: a property test over random operations, the reference's restart
// behaviours, and the two upstream restart tests.
#include <doctest/doctest.h>

#include "broker_fixture.hpp"
#include "base/prng.hpp"
#include "random_workload.hpp"
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

std::vector<std::int64_t> delivered_offsets(Broker& b, StreamId id) {
    std::vector<std::int64_t> out;
    for (const Delivery& d : b.poll_all(id)) out.push_back(d.message.offset);
    return out;
}

}  // namespace

namespace {

// Runs the random workload on a live broker, cuts the power while it runs (before anything is
// synced on shutdown), and says whether a restart rebuilt exactly the state it had acknowledged.
enum class Forget { nothing, data_sync, dir_sync };

bool survives_power_cut(std::uint64_t seed, PowerLoss mode, Forget forget) {
    MemoryStorage disk;
    SwitchedStorage storage(disk);  // a WAL that forgot a sync is one whose storage skips it
    storage.skip_sync = forget == Forget::data_sync;
    storage.skip_sync_dir = forget == Forget::dir_sync;
    MemoryStorage at_cut;
    std::string live_state;
    {
        WalOptions w;
        w.segment_bytes = 4096;  // exercise segment rolling too
        Live live(storage, durable_topics(), w);
        random_workload(live.broker, seed, 400);
        live_state = live.broker.dump_durable_state();
        REQUIRE(live_state.find("committed=") != std::string::npos);  // the workload did things
        at_cut = disk;  // the disk at the cut, the broker still running
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
            CHECK(survives_power_cut(seed, mode, Forget::nothing));
        }
    }
}

// Under group commit with small writes, a cut finds records written but not synced, and the three
// modes differ: the restart must hold exactly the records that survived, in order, and at least
// those synced before the cut. The reference is those records applied straight from memory.
TEST_CASE("a power cut under group commit keeps the synced records, maybe more, and replays exactly those") {
    int kept_more = 0;
    for (std::uint64_t seed = 1; seed <= 25; ++seed) {
        for (PowerLoss mode : kModes) {
            CAPTURE(seed);
            CAPTURE(static_cast<int>(mode));
            MemoryStorage disk;
            MemoryStorage at_cut;
            std::uint64_t durable = 0;
            {
                WalOptions w;
                w.segment_bytes = 4096;
                w.durability = Durability::batch;
                w.batch_max_records = 64;
                w.batch_max_delay_ms = 1'000'000;  // only the record count triggers a sync
                w.buffer_bytes = 64;               // written almost at once, synced rarely
                Live live(disk, durable_topics(), w);
                random_workload(live.broker, seed, 400);
                durable = live.restored.value().wal->durable();
                at_cut = disk;
            }
            const std::vector<WalRecord> written = read_wal(at_cut).value().records;
            at_cut.crash(mode, seed);
            Reopened again(at_cut, durable_topics());
            REQUIRE(again.restored.ok());
            const std::uint64_t kept = again.restored.value().contents.record_count;
            CHECK(kept >= durable);
            REQUIRE(kept <= written.size());
            if (mode == PowerLoss::drop_unsynced) CHECK(kept == durable);
            if (kept > durable) ++kept_more;
            Broker reference(durable_topics());
            for (std::uint64_t i = 0; i < kept; ++i) REQUIRE(reference.apply_record(written[i], 0));
            reference.finish_replay();
            CHECK(again.broker.dump_durable_state() == reference.dump_durable_state());
        }
    }
    CHECK(kept_more >= 10);  // the partial modes did keep unsynced records in many cuts
}

TEST_CASE("the power-cut test catches a WAL that skips its data sync or its directory sync") {
    for (Forget forget : {Forget::data_sync, Forget::dir_sync}) {
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
