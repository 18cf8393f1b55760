// The DriftQ broker as a deterministic state machine. Single-threaded, no clock, no randomness:
// every call takes the current virtual time `now` (non-decreasing across calls), and tick(now)
// runs the redelivery passes that fall on the tick grid. State changes are reported as Events to
// an optional sink; consumers take their deliveries from per-stream outboxes with poll().
#pragma once

#include <cassert>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/broker_state.hpp"
#include "base/error.hpp"
#include "broker/event.hpp"
#include "broker/idempotency.hpp"
#include "wal/journal.hpp"
#include "broker/options.hpp"
#include "broker/router.hpp"
#include "wal/wal_record.hpp"

namespace driftq {

// One in-flight delivery as a front end shows it (in_flight_view()).
struct InFlightView {
    std::string topic;
    std::string group;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    Message message;  // shares the stored body
    std::string owner;                // the latest receiver: the only one who may ack
    std::optional<StreamId> stream;   // the owner's live stream in the group, if any
    int attempts = 1;
    TimeMs sent_at = 0;
    TimeMs lease_ms = 0;              // of the owner's stream now (reference quirk), else ack_timeout
    TimeMs lease_deadline = 0;        // sent_at + lease_ms
    std::optional<TimeMs> next_eligible_at;  // backoff gate for the next redelivery
    // The tick-grid pass that will redeliver it if nothing else happens (lease and gate both
    // past); none while its group has no live stream (it waits).
    std::optional<TimeMs> redelivery_at;
    bool lease_expired = false;       // a pass has seen the lease run out
    std::string last_error;
};

struct ProduceResult {
    bool deduplicated = false;  // produce-scope idempotency: nothing was enqueued
    std::string topic;          // final topic (after router and target_topic)
    Position position;          // meaningful only when !deduplicated
};

class Broker {
public:
    explicit Broker(BrokerOptions options = {});
    // A copy is an independent broker in the same state (time travel snapshots). Message bodies
    // are immutable and shared. The copy keeps the event sink and journal pointers; its owner
    // rebinds them. The idempotency store's journal hook is re-pointed at the copy.
    Broker(const Broker& other);
    Broker& operator=(const Broker&) = delete;

    const BrokerOptions& options() const { return options_; }
    // The sink is not owned and must outlive the broker or be reset to nullptr.
    void set_event_sink(EventSink* sink) { sink_ = sink; }
    void set_router(Router router) { router_ = std::move(router); }
    // Durable records go to the journal before memory changes; an operation whose record is
    // refused fails and changes nothing. Not owned; nullptr = in memory only.
    void set_journal(Journal* journal) { journal_ = journal; }

    // Replay: applies one durable record through the same functions the live path uses after
    // journaling (no dispatch, no journaling, no router). Call finish_replay() after the last.
    Status apply_record(const WalRecord& record, TimeMs now);
    void finish_replay();

    // Topics. Creating an existing name succeeds and changes nothing (reference quirk).
    // Refuses an empty name, partitions <= 0, and what exceeds max_partitions or
    // max_topic_name_bytes; creating an existing topic is a silent no-op (reference).
    Status create_topic(std::string_view name, std::int32_t partitions, TimeMs now);
    std::vector<std::string> list_topics() const;

    // The produce pipeline: router, deadline, final topic, produce-scope idempotency,
    // backpressure, append, dispatch.
    Result<ProduceResult> produce(ProduceRequest request, TimeMs now);

    // Consumer streams. lease_ms <= 0 uses options().default_lease_ms.
    Result<StreamId> subscribe(std::string_view topic, std::string_view group,
                               std::string_view owner, TimeMs lease_ms, TimeMs now);
    Status unsubscribe(StreamId stream, TimeMs now);
    std::optional<Delivery> poll(StreamId stream);
    std::vector<Delivery> poll_all(StreamId stream);

    // Acknowledgement as the HTTP API does it: the caller must own the in-flight delivery.
    Status ack_if_owner(std::string_view topic, std::string_view group, Position at,
                        std::string_view owner, TimeMs now);
    // The reference's plain Go-API Ack: no in-flight or owner check; can commit past the log end.
    Status ack(std::string_view topic, std::string_view group, Position at, TimeMs now);
    // Negative acknowledgement: records the reason and redelivers at once (no backoff).
    Status nack(std::string_view topic, std::string_view group, Position at,
                std::string_view owner, std::string_view reason, TimeMs now);

    // Runs a redelivery pass at every tick-grid time in (last pass, now].
    void tick(TimeMs now);
    TimeMs next_tick_at() const { return last_tick_at_ + options_.tick_ms; }

    // Consume-scope idempotency, as the reference exposes it to workers.
    Result<IdempotencyStore::BeginOutcome> consume_begin_lease(const IdemKey& key,
                                                               std::string_view owner,
                                                               TimeMs lease, TimeMs now);
    Status consume_renew_lease(const IdemKey& key, std::string_view owner, TimeMs lease,
                               TimeMs now);
    Status consume_commit_if_owner(const IdemKey& key, std::string_view owner,
                                   std::string result, TimeMs now);
    Status consume_fail_if_owner(const IdemKey& key, std::string_view owner, std::string cause,
                                 TimeMs now);

    // Read-only views.
    const std::map<std::string, Topic, std::less<>>& topics() const { return topics_; }
    const Topic* find_topic(std::string_view name) const;
    const std::map<StreamId, Stream>& streams() const { return streams_; }
    const IdempotencyStore& idempotency() const { return idem_; }
    MetricsSnapshot metrics() const;
    std::int64_t committed_offset(std::string_view topic, std::string_view group,
                                  std::int32_t partition) const;  // -1 when none
    std::size_t in_flight_total() const { return in_flight_total_; }
    // Every in-flight delivery: topics and groups by name, partitions and offsets ascending.
    std::vector<InFlightView> in_flight_view() const;
    // Those of one topic, group and partition (a front end asks only for what is on screen).
    std::vector<InFlightView> in_flight_view(std::string_view topic, std::string_view group,
                                             std::int32_t partition) const;
    // The first tick-grid pass at or after `t` that is still to run.
    TimeMs pass_at_or_after(TimeMs t) const;
    // Canonical, byte-stable text of the whole state, for golden tests and `state --at`.
    std::string dump_state() const;
    // Only what the WAL persists (docs/wal-format.md): a replayed broker prints the same text as
    // the broker that wrote the WAL.
    std::string dump_durable_state() const;

private:
    struct StreamChoice;

    void install_idempotency_hook();

    // journal and the apply functions shared by live operations and replay
    Status journal(const WalRecord& record, TimeMs now);
    void apply_topic(const TopicRecord& r, TimeMs now);
    Status apply_message(Topic& t, std::int32_t partition, std::int64_t offset,
                         std::shared_ptr<const MessageBody> body);
    bool journaling() const { return journal_ != nullptr; }
    void apply_commit(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                      std::int64_t offset, TimeMs now);
    // The topic a replayed record names, created or grown as the reference replay does.
    Topic& replay_topic(const std::string& name, std::int32_t min_partitions, TimeMs now);
    void resize_partitions(Topic& t, std::size_t n);

    // produce
    Result<Message> append_message(const std::string& topic,
                                   std::shared_ptr<const MessageBody> body, TimeMs now);
    Status check_backpressure(const Topic& t, std::int32_t partition, const MessageBody& body);
    std::int64_t slowest_commit(const Topic& t, std::int32_t partition) const;
    // Runs the router; applies its overrides to the request and returns the routing metadata.
    std::optional<Routing> apply_router(ProduceRequest& request, TimeMs now);

    // dispatch
    void dispatch(Topic& t, TimeMs now);
    void dispatch_partition(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                            TimeMs now);
    StreamChoice choose_stream(Topic& t, const std::string& group_name, Group& g,
                               const Message& m, TimeMs now);
    void send(Stream& s, const Message& m, int attempts, const std::string& last_error,
              TimeMs now);
    bool in_flight_full(const GroupPartition& gp) const;
    InFlightView view_of(const std::string& topic, const std::string& group, const Group& g,
                         std::int32_t partition, std::int64_t offset, const InFlightEntry& e) const;
    TimeMs lease_for_owner(const Group& g, std::string_view owner) const;
    Group& ensure_group(Topic& t, std::string_view name);
    // Whether a group `name` may be created on `t` within max_group_partitions.
    Status room_for_group(const Topic& t, std::string_view name) const;
    // The group an ack or nack names: created first if failed answers create groups (the
    // reference), else found or t.groups.end().
    std::map<std::string, Group, std::less<>>::iterator answered_group(Topic& t, std::string_view group);

    // commit
    Status apply_ack(Topic& t, const std::string& group_name, Group& g, Position at, TimeMs now);
    // The committed offset `offset` being done would lead to, if it moves.
    std::optional<std::int64_t> planned_commit(const Topic& t, const GroupPartition& gp,
                                               std::int32_t p, std::int64_t offset) const;
    // Journals the commit that marking `offset` done would cause, if any.
    Result<std::optional<std::int64_t>> journal_commit(Topic& t, const std::string& group_name,
                                                       std::int32_t p, std::int64_t offset,
                                                       GroupPartition& gp, TimeMs now);
    void apply_done(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                    std::int64_t offset, std::optional<std::int64_t> commit, TimeMs now);
    // Marks `offset` done for the group: journals and applies a commit if it moves. Returns
    // whether it moved; an error leaves everything unchanged.
    Result<bool> mark_done(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                           std::int64_t offset, TimeMs now);
    void advance_offset(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                        std::int64_t offset, TimeMs now);
    void purge_retry_state(Group& g, std::int32_t p, std::int64_t offset);
    Status skip_committed_idempotent(Topic& t, const std::string& group_name, Group& g,
                                     std::int32_t p, std::int64_t offset, TimeMs now);
    Status record_retry_state(const Topic& t, const std::string& group_name, GroupPartition& gp,
                            std::int32_t p, std::int64_t offset, std::string last_error,
                            TimeMs now);
    void remove_in_flight(GroupPartition& gp, std::int64_t offset);

    // redelivery
    void redeliver_expired(TimeMs now);
    void redeliver_entry(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                         std::int64_t offset, TimeMs now);
    bool route_to_dlq(Topic& t, const std::string& group_name, Group& g, std::int32_t p,
                      InFlightEntry& e, TimeMs now);

    // The topic of an ack or nack, with its partition checked ("topic does not exist", ...).
    Result<Topic*> find_for_ack(std::string_view topic, Position at);

    // create_topic without the bounds: the dead-letter topic ("dlq." + a name within them).
    Status add_topic(std::string_view name, std::int32_t partitions, TimeMs now);

    // Marks a public call: its `now` must be at or after the previous call's, as virtual time
    // never goes backwards. Calls made from inside another (a tick's pass at an earlier grid time
    // creating a DLQ topic) are not new calls and are not checked.
    class CallGuard {
    public:
        CallGuard(Broker& b, TimeMs now) : b_(b) {
            if (b_.call_depth_++ == 0) {
                assert(now >= b_.last_call_at_ && "virtual time never goes backwards across broker calls");
                b_.last_call_at_ = now;
            }
        }
        ~CallGuard() { --b_.call_depth_; }
        CallGuard(const CallGuard&) = delete;
        CallGuard& operator=(const CallGuard&) = delete;

    private:
        Broker& b_;
    };

    // events
    template <class Fill>
    void emit(EventKind kind, TimeMs now, Fill&& fill);
    void emit_idem_change(const IdemKey& key, TimeMs now);

    BrokerOptions options_;
    std::map<std::string, Topic, std::less<>> topics_;
    std::map<StreamId, Stream> streams_;
    StreamId next_stream_id_ = 1;
    std::int64_t group_partitions_ = 0;  // sum over groups of their topic's partitions
    IdempotencyStore idem_;
    Router router_;
    EventSink* sink_ = nullptr;
    Journal* journal_ = nullptr;
    std::uint64_t event_seq_ = 0;
    TimeMs last_tick_at_ = 0;
    TimeMs last_call_at_ = 0;
    int call_depth_ = 0;
    std::size_t in_flight_total_ = 0;
    std::map<std::string, std::int64_t> produce_rejected_;
    std::map<std::string, std::int64_t> dlq_routed_;
};

// Name of the dead-letter topic of `topic` ("dlq.<topic>").
std::string dlq_topic_name(std::string_view topic);

}  // namespace driftq
