// The simulated world around one broker: a virtual clock, an event scheduler, one seeded PRNG
// (SplitMix64, core/prng.hpp), producers, consumers, a router, faults and checks, all driven
// by a Scenario. Deterministic: the same scenario and seed give the same trace, byte for byte,
// natively and in WebAssembly.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "base/cow_vector.hpp"
#include "broker/broker.hpp"
#include "wal/memory_storage.hpp"
#include "base/prng.hpp"
#include "broker/recovery.hpp"
#include "sim/command.hpp"
#include "sim/scenario.hpp"

namespace driftq::sim {

struct CheckResult {
    std::string what;      // "/expect/2 committed orders/billing p0 == 3", "invariant ..."
    bool ok = false;
    std::string observed;  // what was found instead, or details
    TimeMs at = 0;
    std::uint64_t last_event = 0;  // trace position when checked, to show what led to it
};

// What the last broker restart recovered from the WAL.
struct RecoveryReport {
    TimeMs at = 0;
    std::uint64_t records_recovered = 0;    // replayed into the new broker
    std::uint64_t records_unsynced = 0;     // accepted before the crash but never synced: lost with it
    std::uint64_t records_quarantined = 0;  // synced, but behind damage: set aside, not replayed
    std::uint64_t bytes_torn = 0;           // bytes set aside at the damage points (sum of `torn`)
    std::vector<std::string> issues;        // what recovery found and did, in words
    // Where those bytes were: in `file`, from byte `offset` (where the first damaged or incomplete
    // record begins, its 16-byte header first) to the file's end as it was before recovery. A cut
    // of 8 bytes from a 61-byte record leaves 53 here: what remained of that record.
    struct TornSpan {
        std::string file;
        std::uint64_t offset = 0;
        std::uint64_t bytes = 0;
        bool torn_tail = false;  // an incomplete record at the end, not corruption
    };
    std::vector<TornSpan> torn;
};

// The simulated WAL as a front end shows it.
struct WalView {
    bool enabled = false;             // the scenario has a WAL
    bool broker_running = false;
    std::uint64_t appended = 0;       // records accepted (running broker only)
    std::uint64_t durable = 0;        // records [0, durable) are synced
    std::optional<WalContents> contents;  // segments, decoded records, damage found by a read
    std::string read_error;           // when the log cannot be read at all
};

class World {
public:
    explicit World(Scenario scenario);
    // A world whose WAL lives in `disk` (not owned; it must outlive the world) instead of the
    // world's simulated disk: a live broker's real files (driftqd). Such a world recovers what
    // `disk` holds at start, cannot be copied with snapshot(), and refuses the commands that
    // act on the simulated disk (broker_crash, torn_tail, flip_byte).
    // Its time starts at `start`.
    World(Scenario scenario, Storage& disk, TimeMs start);
    ~World();
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // Advances virtual time to `t`, running everything scheduled up to it, except the checks of
    // time `t` itself: they run once time moves past `t` (or at finish()), after any command
    // applied at `t`, as in a file where that command is a timeline entry. Stepping happens only
    // at scheduled times (tasks, tick-grid passes, commands), never at `t` itself, so how a run
    // is cut into calls never changes what happens: run_until(a); run_until(b) == run_until(b).
    void run_until(TimeMs t);
    // Runs the next instant that has something scheduled, if it is at or before `limit`.
    // Returns false (and changes nothing) when there is none.
    bool advance_one(TimeMs limit);
    // The time of the next scheduled instant, if any.
    std::optional<TimeMs> next_time() const;

    // Applies a command at now(), as a timeline entry at this time would, and appends it to
    // applied(). Never fails as a call: a refusal is the result's error.
    CommandResult apply(const Command& command);
    struct Applied {
        TimedCommand command;
        CommandResult result;
    };
    // Every command applied so far (the timeline's and apply()'s), in order.
    const std::vector<Applied>& applied() const { return applied_; }

    // Receives every delivery a consumer takes from its stream, as it takes it (a live broker
    // hands them to its HTTP streams). Not copied into snapshots.
    using DeliveryListener = std::function<void(std::size_t consumer, const Delivery& delivery)>;
    void set_delivery_listener(DeliveryListener listener) { delivery_listener_ = std::move(listener); }
    // Whether applied() keeps every command (default yes). A long-running live broker that does
    // not record turns it off, so memory does not grow with each request.
    void keep_applied(bool keep) {
        keep_applied_ = keep;
        if (!keep) applied_ = {};
    }
    // Makes every WAL record appended so far durable (a live broker's group commit). A world
    // without a WAL, or with its broker crashed, has nothing to sync.
    Status sync_wal();
    // Records [0, durable) of the running broker's WAL are synced, of [0, appended) accepted.
    std::uint64_t wal_appended() const;
    std::uint64_t wal_durable() const;

    // Extra receivers of every event (the UI, a session's log). Not owned; not copied into
    // snapshots.
    void add_sink(EventSink* sink) { extra_sinks_.push_back(sink); }
    // Whether the world keeps its own trace() (default yes); turning it off drops what it has.
    // A session keeps one shared log instead, so its worlds do not.
    void keep_trace(bool keep) {
        keep_trace_ = keep;
        if (!keep) trace_ = {};
    }
    // Whether the world keeps what its checks and invariants need (default yes): per message, the
    // deliveries each group took, its WAL record, the keys delivered and the side effects seen.
    // A live broker, which is checked by nobody, turns it off (before its first command), so
    // its memory holds the broker's state and nothing that grows beside it.
    void keep_checks(bool keep) {
        keep_checks_ = keep;
        bind_journal();
    }
    // Events emitted since the start of the run (including those before a snapshot copy).
    std::uint64_t event_count() const { return event_count_; }
    // Runs to the scenario's end and evaluates end-of-run expectations and invariants.
    void finish();

    TimeMs now() const { return now_; }
    const Scenario& scenario() const { return *scenario_; }
    const std::vector<Event>& trace() const { return trace_; }
    const std::vector<CheckResult>& checks() const { return checks_; }
    // Every check passed, and there was at least one: a run that checked nothing passed nothing.
    bool passed() const;
    // What `x` finds in the world now, whatever its `at` (a lesson task's goal), not recorded.
    CheckResult evaluate(const Expectation& x) const;
    // The broker, or nullptr while it is crashed.
    const Broker* broker() const { return broker_.get(); }

    // An independent copy of this world at now(), for time travel. The copy does not carry the
    // trace: its events stay with this world, and the copy numbers its own after them.
    std::unique_ptr<World> snapshot() const;
    // Events recorded before this world's own trace() (non-zero for snapshot copies).
    std::uint64_t trace_base() const { return trace_base_; }

    // The simulated consumers (the scenario's, then those added by subscribe commands).
    struct Consumer {
        ConsumerSpec spec;
        std::optional<StreamId> stream;  // set while subscribed
        bool gone = false;               // left or crashed, not (yet) back
        bool paused = false;             // takes no deliveries until resumed
        bool hanging = false;            // takes deliveries but answers none until resumed
        int acks_to_lose = 0;            // its next this many acks never reach the broker
        // Bumped when the consumer or the broker crashes: answers in progress die with it.
        int incarnation = 0;
    };
    const std::vector<Consumer>& consumers() const { return consumers_; }

    // The WAL as it is on the simulated disk now (reads and decodes it: cache by event_count()).
    WalView wal_view() const;
    // The simulated disk itself (the desktop app mirrors it to real files).
    const MemoryStorage& wal_storage() const { return storage_; }
    const std::optional<RecoveryReport>& last_recovery() const { return last_recovery_; }

private:
    struct CopyTag {};
    World(const World& other, CopyTag);
    World(Scenario scenario, Storage* disk, TimeMs start);  // disk null: the simulated one

    // Something scheduled at a virtual time. Ties run in the order they were scheduled.
    struct Task {
        TimeMs at = 0;
        std::uint64_t seq = 0;
        enum class Kind { produce, produce_retry, produce_explicit, join, leave, crash, answer, command, check } kind;
        int index = 0;           // producer, consumer, timeline entry or expectation
        std::int64_t value = 0;  // message number, or the answer's decision
        Delivery delivery;       // answer: what is being answered
        int incarnation = 0;     // answer: the consumer's incarnation that received it
        std::optional<std::string> key;  // produce retries: the key drawn for the first attempt
        bool resend = false;     // produce: sent again after a lost response (no second roll)
        // At one time: the world's own tasks first, then timeline commands (as a person acts on
        // what has happened by then), then checks (which see everything of that time).
        int phase() const { return kind == Kind::check ? 2 : kind == Kind::command ? 1 : 0; }
        bool operator>(const Task& o) const {
            if (at != o.at) return at > o.at;
            if (phase() != o.phase()) return phase() > o.phase();
            return seq > o.seq;
        }
    };
    class Sink;

    void schedule(Task t);

    void execute(const Task& t);
    // Ticks the broker and polls the WAL at `t`, once per time (and again only if a tick is due).
    void step(TimeMs t);
    // Runs every task due at now(), but leaves the checks of `hold_checks_at` queued.
    void run_tasks_at_now(std::optional<TimeMs> hold_checks_at = std::nullopt);
    bool only_checks_due_at(TimeMs t) const;
    void on_event(Event e);
    void keep_check_books(const Event& e);
    // Records a world event (a fault, a refused ack, ...) at now(); `fill` sets its fields.
    template <class Fill>
    void note(EventKind kind, Fill&& fill) {
        Event e;
        e.at = now_;
        e.kind = kind;
        fill(e);
        on_event(std::move(e));
    }
    // An event about a consumer's answer to a delivery.
    void note_answer(EventKind kind, const ConsumerSpec& c, const Delivery& d, std::string text);

    // commands (world_commands.cpp)
    CommandResult execute_command(const Command& c);
    CommandResult answer_command(const Command& c);
    CommandResult redrive(const Command& c);
    std::string consumer_state_text(const std::string& name) const;
    CommandResult idem_command(const Command& c);
    CommandResult consumer_command(const Command& c);
    CommandResult subscribe(const Command& c);
    std::optional<std::size_t> find_consumer(const std::string& name) const;
    void run_timeline_entry(const TimedCommand& t);
    CommandResult apply_at_now(const TimedCommand& t);

    // actors
    void produce(const Task& t);
    ProduceRequest rate_message(const ProducerSpec& p, std::int64_t i, std::string key);
    std::string rate_key(int producer, const KeySpec& k, std::int64_t i);
    void join(int consumer);
    void leave(int consumer, bool crash);
    void take_deliveries();
    void answer(const Task& t);
    TimeMs processing_time(const Processing& p);
    double uniform();

    // faults
    CommandResult crash_broker(PowerLoss power_loss);
    CommandResult restart_broker();
    CommandResult damage_wal(const Command& c);
    void start_broker();

    // checks
    void check(const Expectation& x);
    // The newer expectation kinds; returns whether the result is text.
    bool check_more(const Expectation& x, std::int64_t& got, std::string& got_text) const;
    CheckResult compare(const Expectation& x, const std::string& what, std::int64_t got) const;
    CheckResult result(std::string what, bool ok, std::string observed) const;
    const Message* find_dlq_copy(const std::string& topic, std::int64_t offset) const;
    void check_invariants_at_end();
    void check_durable_after_restart();
    void check_replay_against_journal(std::uint64_t recovered);
    bool wants(Invariant i) const;
    void record(std::string what, bool ok, std::string observed);
    const Message* find_message(const std::string& topic, std::int32_t p, std::int64_t offset) const;

    // Shared, immutable: snapshots copy a pointer, not every producer's message list.
    std::shared_ptr<const Scenario> scenario_;
    Prng rng_;
    TimeMs now_ = 0;
    std::uint64_t next_seq_ = 0;  // scheduler tie-break: insertion order
    std::priority_queue<Task, std::vector<Task>, std::greater<>> queue_;
    std::unique_ptr<Sink> sink_;
    MemoryStorage storage_;
    Storage* disk_ = &storage_;  // where the WAL lives: storage_, or a live broker's files
    bool live_disk() const { return disk_ != &storage_; }
    std::unique_ptr<Broker> broker_;
    std::unique_ptr<Wal> wal_;
    // Passes the broker's records to the WAL and, for the replay_equals_durable_state invariant,
    // keeps each accepted one in WAL order: what a restart must rebuild from the durable prefix.
    struct RecordingJournal final : Journal {
        Wal* wal = nullptr;
        CowVector<WalRecord>* log = nullptr;  // null: record nothing
        Status write(const WalRecord& record, TimeMs now) override;
    };
    RecordingJournal journal_;
    CowVector<WalRecord> journaled_;
    bool damaged_since_crash_ = false;  // torn_tail or flip_byte since the last crash
    void bind_journal();
    int generation_ = 0;  // broker incarnation (restarts so far)
    std::uint64_t crash_appended_ = 0, crash_durable_ = 0;  // the WAL's counts at the last crash
    std::optional<RecoveryReport> last_recovery_;
    std::vector<Consumer> consumers_;
    // Indexes over consumers_: by name, and the ones with a stream (ascending, the order
    // take_deliveries polls them in), so that a live broker that has seen many streams come and
    // go pays only for the live ones on each command.
    std::map<std::string, std::size_t, std::less<>> consumer_names_;
    std::set<std::size_t> streaming_;
    std::vector<Applied> applied_;
    std::optional<TimeMs> stepped_at_;  // the last time step() ran
    std::vector<EventSink*> extra_sinks_;
    DeliveryListener delivery_listener_;
    bool keep_applied_ = true;
    bool keep_trace_ = true;
    bool keep_checks_ = true;
    std::uint64_t event_count_ = 0;
    std::vector<Event> trace_;
    std::uint64_t trace_base_ = 0;
    std::vector<CheckResult> checks_;
    std::map<int, std::vector<double>> zipf_cdf_;  // per producer
    std::vector<TopicSpec> created_topics_;        // by commands, for restarts without a WAL

    // invariant bookkeeping
    std::map<std::tuple<std::string, std::string, std::int32_t>, std::int64_t> max_committed_;
    // Copy-on-write chunked vectors (base/cow_vector.hpp): snapshots share what did not change.
    CowVector<std::tuple<std::string, std::int32_t, std::int64_t, std::uint64_t>> produced_;  // topic, p, offset, record
    std::vector<std::tuple<std::string, std::int32_t, std::int64_t>> durable_produced_;
    std::map<std::tuple<std::string, std::string, std::int32_t, std::string>, std::int64_t> last_first_delivery_;

    std::map<std::tuple<std::string, std::string, std::string, std::string>, int> side_effects_;
    // What happened to each message for each group, indexed by offset (offsets are dense per
    // topic). Flat vectors keep snapshot copies cheap.
    struct MessageStats {
        // From the deliveries the group's simulated consumers took from their streams.
        std::int32_t deliveries = 0;
        std::int32_t max_attempts = 0;
        std::string last_error;  // of the latest delivery taken
        bool done = false;       // acked, skipped as already done, or dead-lettered (broker events)
    };
    std::map<std::pair<std::string, std::string>, CowVector<MessageStats>> stats_;
    MessageStats& stats(const std::string& topic, const std::string& group, std::int64_t offset);
    const MessageStats* find_stats(const std::string& topic, const std::string& group,
                                   std::int64_t offset) const;
    std::vector<std::string> order_violations_;
    std::vector<std::string> duplicate_effects_;
};

}  // namespace driftq::sim
