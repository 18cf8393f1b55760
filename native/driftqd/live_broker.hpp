// The broker behind driftqd: one thread owns a simulator World over the real WAL files, so every
// request becomes the same Command a scenario or the playground applies, and a recording of
// them replays with the same trace. HTTP threads hand it work and get answers back through
// callbacks; it never waits on a socket.
//
// Group commit: the thread takes every request queued since its last round, applies them in
// order, syncs the WAL once, and only then answers them and hands out the deliveries they caused
// (durability `always`, the default). Under `batch` answers go out at once and the WAL syncs at
// least every batch_max_delay_ms; under `none` it syncs only at shutdown.
//
// Time: the core's clock is milliseconds since the WAL directory was first opened by driftqd
// (its CLOCK file holds that moment in Unix milliseconds), never going backwards. Envelope
// deadlines cross the HTTP boundary as Unix times and are shifted by that origin.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "native/driftqd/recorder.hpp"
#include "native/driftqd/stream_feed.hpp"
#include "sim/world.hpp"

namespace driftq::http {

struct LiveOptions {
    // A broker facing the network: an ack or nack that fails creates no group (upstream's does,
    // which lets any client grow the broker with names; --reference-failed-ack-groups restores it),
    // and the counts a client can grow are bounded (the simulator's defaults have no bounds).
    LiveOptions() {
        broker.failed_answer_creates_group = false;
        broker.max_topics = 1024;
        broker.max_group_partitions = 1 << 18;
        broker.max_idempotency_records = 1'000'000;
    }
    BrokerOptions broker;
    WalOptions wal;                // its durability is the answer rule above
    bool test_router = true;       // upstream's TestRouter labels every message
    std::string record_path;       // empty: no recording
    std::string trace_path;        // empty: no trace file (NDJSON events, as driftq-sim writes)
    std::size_t stream_max_lines = 10'000;      // undelivered lines per consume stream...
    std::size_t stream_max_bytes = 16u << 20;   // ...and bytes, before it is disconnected
    std::size_t max_streams = 960;  // driftqd: 64 fewer than its connections
    // Called on the broker thread after each round with the commands it applied (in order, each
    // with its time and result) and the time the round reached: a live view mirrors them.
    std::function<void(std::vector<sim::TimedCommand>&& applied, TimeMs now)> on_round;
};

// The scenario a live broker runs in (and a recording or a live view replays): the broker's
// options, the WAL's, and upstream's TestRouter unless turned off.
sim::Scenario live_scenario(const LiveOptions& options);
// That scenario as a scenario file's JSON object up to its timeline (without the closing brace):
// what a recording starts with. `origin` is the clock origin, named in its description.
std::string live_scenario_head(const LiveOptions& options, TimeMs origin);

// The origin of the core's clock for WAL directory `dir`: read from DIR/CLOCK, or `now_unix_ms`
// written there when the directory has none (a new WAL).
Result<TimeMs> clock_origin(const std::string& dir, TimeMs now_unix_ms);

class LiveBroker {
public:
    using Clock = std::function<TimeMs()>;  // Unix milliseconds
    using Done = std::function<void(const sim::CommandResult&)>;

    // Recovers the WAL in `disk` (not owned; it must outlive the broker) and starts the thread.
    static Result<std::unique_ptr<LiveBroker>> open(Storage& disk, TimeMs origin, LiveOptions options, Clock clock);
    ~LiveBroker();
    LiveBroker(const LiveBroker&) = delete;
    LiveBroker& operator=(const LiveBroker&) = delete;

    // What recovery found at start, in words (for the startup line).
    const std::string& recovery_summary() const { return recovery_summary_; }
    TimeMs origin() const { return origin_; }
    const BrokerOptions& broker_options() const { return options_.broker; }
    // A feed with this broker's stream bounds, for subscribe().
    std::shared_ptr<StreamFeed> new_feed() const {
        return std::make_shared<StreamFeed>(options_.stream_max_lines, options_.stream_max_bytes);
    }

    // Applies `command` at the current time; `done` runs on the broker thread with the final
    // result (after the group sync, under durability `always`).
    void apply(sim::Command command, Done done);
    // Subscribes a consume stream (command: subscribe, manual; its consumer name is chosen here).
    // On success the feed receives one NDJSON line per delivery; when its client goes away the
    // consumer is unsubscribed.
    void subscribe(sim::Command command, std::shared_ptr<StreamFeed> feed, Done done);
    // Runs `read` on the broker thread, between rounds (topics, metrics).
    void inspect(std::function<void(const sim::World&)> read);

    // Ends every stream, unsubscribes their consumers, syncs the WAL and finishes the recording.
    // Requests queued after it are answered with an error.
    void stop();

    struct Stats {
        std::uint64_t rounds = 0, commands = 0, syncs = 0;
        std::uint64_t streams_open = 0, streams_overflowed = 0;
    };
    Stats stats() const;

private:
    struct Job {
        std::optional<sim::Command> command;
        Done done;
        std::shared_ptr<StreamFeed> feed;  // subscribe
        std::function<void(const sim::World&)> read;
    };
    struct Stream {
        std::shared_ptr<StreamFeed> feed;
        std::string consumer;
        std::vector<std::string> staged;  // lines waiting for the round's sync
    };

    LiveBroker(LiveOptions options, Clock clock, TimeMs origin);
    void run();
    void round(std::vector<Job>& jobs);
    sim::CommandResult apply_now(const sim::Command& command);
    void on_delivery(std::size_t consumer, const Delivery& delivery);
    void hand_out_deliveries();
    void unsubscribe_now(std::size_t consumer);
    TimeMs core_now();
    std::chrono::milliseconds until_next_wake();
    void finish();

    LiveOptions options_;
    Clock clock_;
    TimeMs origin_ = 0;
    TimeMs last_now_ = 0;
    std::unique_ptr<sim::World> world_;
    std::unique_ptr<Recorder> recorder_;
    std::unique_ptr<EventSink> trace_;
    std::string recovery_summary_;
    std::uint64_t next_consumer_ = 1;
    std::map<std::size_t, Stream> streams_;  // by the world's consumer index
    std::vector<sim::TimedCommand> round_applied_;  // for on_round
    TimeMs last_sync_at_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Job> queue_;
    bool stopping_ = false, stopped_ = false;
    Stats stats_;
    std::thread thread_;
};

}  // namespace driftq::http
