// An interactive session: a world that a front end advances as it likes (run to a time, step one
// event, step one tick), acts on with Commands, and travels back and forth in, with no known end.
//
// The session keeps the history it has seen: every event in a log that branches share, the
// commands the person applied, and world snapshots taken every `events_per_snapshot` events.
// Seeking restores the latest snapshot at or before the time and re-runs forward, applying the
// branch's commands at their times; the world is deterministic, so the result equals the history.
// Acting after seeking back forks: the old future stays as its own branch, which can be switched
// to and compared with the new one.
//
// A session saves as an ordinary scenario (scenario()), its commands in the timeline, each
// with the result it got as its expectation; replaying that file gives the same trace.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/cow_vector.hpp"
#include "sim/command.hpp"
#include "sim/series.hpp"
#include "sim/world.hpp"

namespace driftq::sim {

struct SessionOptions {
    // Kept snapshots, one every this many events of new history: fewer events, faster seeks and
    // more memory (a snapshot shares unchanged chunks with the others, so it costs what changed).
    std::uint64_t events_per_snapshot = 10'000;
    // A few dense snapshots near where the person is (made while running and seeking, dropped
    // farthest first), so that stepping back replays at most this many events.
    std::uint64_t events_per_recent_snapshot = 500;
    std::size_t recent_snapshots = 64;
};

using EventLog = CowVector<Event, 12>;  // 4,096 events a chunk

// One message: a topic-global offset in a partition.
struct MessageRef {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    bool operator<(const MessageRef& o) const {
        if (topic != o.topic) return topic < o.topic;
        if (partition != o.partition) return partition < o.partition;
        return offset < o.offset;
    }
    bool operator==(const MessageRef&) const = default;
};

// Which plot a series feeds: per topic, group and partition (group empty for `produced`).
struct SeriesKey {
    enum class Metric : std::uint8_t { lag, in_flight, produced, acked } metric = Metric::lag;
    std::string topic;
    std::string group;
    std::int32_t partition = 0;
    bool operator<(const SeriesKey& o) const {
        if (metric != o.metric) return metric < o.metric;
        if (topic != o.topic) return topic < o.topic;
        if (group != o.group) return group < o.group;
        return partition < o.partition;
    }
};

class Session {
public:
    explicit Session(Scenario base, SessionOptions options = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // --- the view: the world at the cursor
    const World& world() const { return *world_; }
    TimeMs now() const { return world_->now(); }
    // The current branch's events; those up to the cursor are the first world().event_count().
    const EventLog& log() const;
    std::uint64_t visible_events() const { return world_->event_count(); }
    // How far the current branch's history reaches.
    TimeMs head_time() const;
    bool at_head() const;

    // --- moving. Forward past the head makes new history; everything else replays it.
    void run_until(TimeMs t);  // t below now() seeks back
    void seek(TimeMs t);
    void go_live() { seek(head_time()); }
    // Forward to the next time at which an event happens, or to the scenario's end if that comes
    // first (where the end-of-run checks resolve). Always moves forward, even from a time whose
    // own checks are still held; false if nothing is scheduled.
    bool step_event();
    // Back to the latest earlier time at which an event happened (or to 0).
    void step_event_back();
    void step_tick();
    void step_tick_back();

    // --- acting: at now(). Before the head this forks a new branch and switches to it.
    CommandResult apply(const Command& command);

    // --- mirroring a live broker (driftq-viz --listen)
    // Appends a command the live broker applied to the first branch's timeline, in the order it
    // applied them; the view applies it on reaching that time on that branch. Its time must not
    // be before the first branch's last command, nor before now() while the view is on it.
    void extend(const TimedCommand& command);
    // From now on acting on the first branch forks even at its head, so that the person's own
    // commands never mix into the live broker's history.
    void keep_first_branch() { first_branch_kept_ = true; }

    // --- branches
    struct BranchInfo {
        int id = 0;
        int parent = -1;      // -1 for the first branch
        TimeMs fork_at = 0;   // where it left its parent
        TimeMs head = 0;
        std::size_t commands = 0;
        std::string name;
    };
    std::vector<BranchInfo> branches() const;
    int branch() const { return current_; }
    // Switches to another branch at the same time (or its head, if that is earlier).
    void switch_branch(int id);
    struct Divergence {
        bool diverged = false;
        std::uint64_t first_event = 0;  // seq of the first event that differs (1-based)
        std::optional<Event> a, b;      // that event on each side (absent past a log's end)
    };
    // The first event where two branches' logs differ (as far as both reach).
    Divergence compare(int a, int b) const;
    // An independent world: branch `id` at time t (for side-by-side state).
    std::unique_ptr<World> world_at(int id, TimeMs t) const;

    // --- checks
    // The end-of-run report while the cursor is at or past the scenario's end: every check of a
    // world run to `until_ms` on this branch and finished there, exactly as `driftq-sim run`
    // reports the branch's scenario(). Null before the end (and for a live view, which has no
    // end). Worked out once per branch, again only after a command changes what led there.
    const std::vector<CheckResult>* end_checks() const;

    // --- inspection
    // Every event of one message on the current branch (all groups, its dead-lettering), as
    // 1-based positions in log(), ascending; found through an index, not by scanning the log.
    std::vector<std::uint64_t> biography(const MessageRef& message) const;
    // Lag, in-flight, produced and acked per tick-grid interval, per topic, group and partition,
    // on the current branch. Each is bounded (sim/series.hpp).
    const std::map<SeriesKey, Series>& series() const;

    // --- saving
    // The base scenario with this branch's commands in its timeline (after the base's own entries
    // of the same time, as they were applied), each expecting the result it got, running to the
    // file's own end or the head, whichever is later. Its trace starts with this branch's log.
    Scenario scenario() const { return scenario_of(current_); }
    // The same for branch `id`.
    Scenario scenario_of(int id) const;
    // The commands applied on this branch, in order.
    const std::vector<TimedCommand>& commands() const;

    std::size_t snapshot_count() const;
    // How many of the branch's logged events happened at or before t (a binary search: times
    // never go down along the log).
    std::uint64_t events_through(TimeMs t) const;

private:
    struct Snapshot {
        TimeMs at = 0;
        std::size_t commands_applied = 0;
        std::uint64_t events = 0;
        std::shared_ptr<const World> world;
    };
    struct Branch {
        BranchInfo info;
        std::vector<TimedCommand> commands;
        std::vector<Snapshot> snapshots;  // ascending
        EventLog log;
        // Biography index of the events this branch logged itself (seq > fork_events); earlier
        // ones are found in the parent's, up to the fork.
        std::uint64_t fork_events = 0;
        std::map<MessageRef, std::vector<std::uint64_t>> index;
        std::map<SeriesKey, Series> series;
        TimeMs sampled_until = -1;                  // last grid point sampled
        std::map<SeriesKey, std::int64_t> counts;   // produced/acked since the last sample
        // end_checks(), once worked out; reset by a command applied at or before the end.
        mutable std::optional<std::vector<CheckResult>> end_checks;
    };
    class LogSink;

    Branch& current() { return branches_[static_cast<std::size_t>(current_)]; }
    const Branch& current() const { return branches_[static_cast<std::size_t>(current_)]; }
    // Runs world_ forward to t on the current branch, applying its commands on the way, logging
    // new events and taking snapshots in new territory.
    void advance_to(TimeMs t);
    void after_step();
    // Samples the plots at every grid point before `x` not yet sampled (the state is constant
    // between the world's steps, so it is the state now).
    void sample_before(TimeMs x);
    void count(const Event& e);
    void recount_since_sample(Branch& b) const;
    void restore(TimeMs t);  // from the best snapshot of the current branch
    void adopt(std::unique_ptr<World> w);
    void fork();
    // Runs a world forward on a branch without logging (world_at).
    static void replay(World& w, const Branch& b, std::size_t& next_command, TimeMs t);
    static const Snapshot& latest_snapshot(const Branch& b, TimeMs t);
    // The best snapshot to reach time t from: the latest kept or recent one at or before it.
    const Snapshot& best_snapshot(TimeMs t) const;
    void keep_recent();

    Scenario base_;
    SessionOptions options_;
    std::vector<Branch> branches_;
    int current_ = 0;
    std::unique_ptr<World> world_;
    std::unique_ptr<LogSink> sink_;
    std::size_t next_command_ = 0;  // commands of the current branch applied to world_
    std::vector<Snapshot> recent_;  // of the current branch, ascending by events
    std::uint64_t recent_from_ = 0;  // recent snapshots are made from this many events on
    bool first_branch_kept_ = false;
};

}  // namespace driftq::sim
