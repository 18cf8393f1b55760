// What the Flow panel shows at the cursor, worked out without drawing: producers on the left,
// each topic's partitions as short logs in the broker (its dead-letter topic below it), each
// consumer group's members on the right holding their deliveries, and the messages moving
// between them. A move starts at its event's virtual time and takes `travel_ms` of virtual time,
// so its place is (now - at) / travel_ms of the way: scrubbing, stepping back and seeking show
// the exact in-between picture. Moves along the same path at the same time fold into one counted
// bundle, and at most `max_movers` are kept (the newest). Tests check the scene, not pixels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/session.hpp"
#include "ui/lane_model.hpp"

namespace driftq::ui {

class Ui;

struct FlowOptions {
    TimeMs travel_ms = 250;       // virtual time a move takes: a quarter second at 1x
    std::size_t max_movers = 48;  // drawn at once; the rest are counted
    std::size_t tail_cells = 12;  // newest messages shown per partition
    std::size_t max_held = 8;     // deliveries drawn per member; the rest are counted
    std::size_t max_partitions = 32;  // partitions drawn; the rest are counted
};

// One end of a move: a producer, a partition (with the message's offset) or a member.
struct FlowEnd {
    enum class Kind : std::uint8_t { producer, partition, member, wal } kind = Kind::partition;
    std::size_t index = 0;  // into the scene's list of that kind
    bool operator==(const FlowEnd&) const = default;
};

struct FlowProducer {
    std::string name;   // a scenario producer's, "timeline", "you" or "HTTP clients"
    std::string topic;  // where it produces ("" for several)
};

struct FlowCell {
    std::int64_t offset = 0;
    CellState state = CellState::waiting;
    int attempts = 0;
};

struct FlowMark {
    std::string group;
    std::size_t cell = 0;  // position among the partition's shown cells, tail().size() = past the newest
};

struct FlowPartition {
    std::string topic;
    std::int32_t partition = 0;
    bool dlq = false;
    std::size_t messages = 0;     // in the log
    std::size_t hidden = 0;       // older messages not shown
    std::vector<FlowCell> tail;   // the newest, oldest first (newest on the right)
    std::string shown_group;      // the group whose states the cells show ("" if none reads it)
    std::vector<FlowMark> committed;  // per group: the first cell not committed
    std::vector<FlowMark> next;       // per group: the next cell to dispatch
};

struct FlowHeld {
    sim::MessageRef ref;
    int attempts = 1;
    double lease_left = 1;  // of its lease, 1 just delivered .. 0 ran out
    bool expired = false;
};

struct FlowMember {
    std::string name, group, topic;
    std::string state;   // consumer_state(): live, paused, hanging, gone, not joined, no broker
    bool trouble = false;  // gone, hanging or no broker
    bool simulated = true;  // a scenario consumer (it can be paused, crashed, ...), not an HTTP client
    std::vector<FlowHeld> held;
    std::size_t held_hidden = 0;
};

// replay: a restart reading a partition's messages back from the WAL (one bundle a partition);
// redrive: a dead letter produced again, from its dead-letter partition to its topic's tail.
enum class MoveKind : std::uint8_t { produce, deliver, redeliver, ack, nack, expire, dead_letter, replay, redrive };
const char* to_string(MoveKind k);

struct FlowMove {
    MoveKind kind = MoveKind::produce;
    FlowEnd from, to;
    double progress = 0;  // 0 at its event's time .. 1 arrived
    TimeMs at = 0;
    sim::MessageRef ref;
    std::string text;     // a nack's reason
    std::size_t count = 1;  // messages in the bundle
};

struct FlowScene {
    bool broker_down = false;
    // Just after a restart: how far the WAL has refilled the partitions, 0 .. 1 (1: no refill
    // under way). Cells past that fraction of each tail are drawn empty.
    double refill = 1;
    std::vector<FlowProducer> producers;
    std::vector<FlowPartition> partitions;
    std::size_t partitions_hidden = 0;  // past max_partitions
    std::vector<FlowMember> members;
    std::vector<FlowMove> moves;
    std::size_t moves_not_drawn = 0;  // past max_movers, or past the events looked at
};

// The scene at the session's cursor, from the Ui's views (in flight, dead-lettered, skipped).
FlowScene flow_scene(Ui& ui, const FlowOptions& options = {});

}  // namespace driftq::ui
