#include "ui/flow_model.hpp"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <map>
#include <tuple>

#include "ui/consumer_commands.hpp"
#include "ui/ui.hpp"

namespace driftq::ui {

const char* to_string(MoveKind k) {
    switch (k) {
        case MoveKind::produce: return "produce";
        case MoveKind::deliver: return "delivery";
        case MoveKind::redeliver: return "redelivery";
        case MoveKind::ack: return "ack";
        case MoveKind::nack: return "nack";
        case MoveKind::expire: return "lease ran out";
        case MoveKind::dead_letter: return "dead letter";
        case MoveKind::replay: return "WAL replay";
        case MoveKind::redrive: return "redrive";
    }
    return "?";
}

namespace {

// Events looked at behind the cursor for moves: a dense run logs thousands in a travel time,
// which fold into bundles anyway.
constexpr std::uint64_t kMaxEventsLooked = 4096;

bool is_dlq(const std::string& topic) { return topic.rfind("dlq.", 0) == 0; }

bool produces(const sim::Command& c) { return c.kind == sim::Command::Kind::produce; }

// "redrive dlq.orders p1@0" (sim::describe of a redrive): the dead-letter partition it left.
std::optional<std::pair<std::string, std::int32_t>> redriven_from(const std::string& text) {
    constexpr std::string_view kPrefix = "redrive ";
    if (text.rfind(kPrefix, 0) != 0) return std::nullopt;
    const auto p = text.rfind(" p"), at = text.rfind('@');
    if (p == std::string::npos || at == std::string::npos || p < kPrefix.size() || at < p) return std::nullopt;
    return std::make_pair(text.substr(kPrefix.size(), p - kPrefix.size()), static_cast<std::int32_t>(std::atoi(text.c_str() + p + 2)));
}

// Who produces: the scenario's producers, its timeline, the person ("you"); a live broker's
// produces come from HTTP clients.
std::vector<FlowProducer> producers_of(const Ui& ui) {
    std::vector<FlowProducer> out;
    if (ui.is_live()) return {{"HTTP clients", ""}, {"you", ""}};
    const sim::Scenario& s = ui.session().world().scenario();
    for (const sim::ProducerSpec& p : s.producers) out.push_back({p.name, p.topic});
    if (std::any_of(s.timeline.begin(), s.timeline.end(), [](const sim::TimedCommand& t) { return produces(t.command); })) {
        out.push_back({"timeline", ""});
    }
    out.push_back({"you", ""});
    return out;
}

// Source topics in name order, each followed by its dead-letter topic; orphan dead-letter
// topics last.
std::vector<const Topic*> topic_order(const Broker& b) {
    std::vector<const Topic*> out;
    for (const auto& [name, t] : b.topics()) {
        if (is_dlq(name)) continue;
        out.push_back(&t);
        if (auto d = b.topics().find(dlq_topic_name(name)); d != b.topics().end()) out.push_back(&d->second);
    }
    for (const auto& [name, t] : b.topics()) {
        if (is_dlq(name) && !b.topics().count(name.substr(4))) out.push_back(&t);
    }
    return out;
}

LaneInput lane_input(Ui& ui, const Topic& t, std::int32_t p, const std::string* group, const GroupPartition* gp) {
    LaneInput in;
    in.log = &t.partitions[static_cast<std::size_t>(p)];
    in.group = gp;
    in.now = ui.session().now();
    if (group) {
        in.in_flight = ui.in_flight_of(t.name, *group, p);
        in.dead_offsets = ui.dead_offsets(t.name, *group, p);
        in.skipped_offsets = ui.skipped_offsets(t.name, *group, p);
    }
    return in;
}

std::size_t mark_cell(std::size_t index, std::size_t first) { return index < first ? 0 : index - first; }

FlowPartition partition_of(Ui& ui, const Topic& t, std::int32_t p, const FlowOptions& o) {
    FlowPartition fp;
    fp.topic = t.name;
    fp.partition = p;
    fp.dlq = is_dlq(t.name);
    const MessageLog& log = t.partitions[static_cast<std::size_t>(p)].messages;
    fp.messages = log.size();
    const std::size_t first = log.size() > o.tail_cells ? log.size() - o.tail_cells : 0;
    fp.hidden = first;
    const std::string* shown = t.groups.empty() ? nullptr : &t.groups.begin()->first;
    const GroupPartition* shown_gp = shown ? &t.groups.begin()->second.partitions[static_cast<std::size_t>(p)] : nullptr;
    const LaneInput shown_in = lane_input(ui, t, p, shown, shown_gp);
    for (const LaneBucket& b : lane_buckets(shown_in, first, log.size(), 1)) {
        fp.tail.push_back({log[b.first].offset, b.state, b.attempts});
    }
    if (shown) fp.shown_group = *shown;
    for (const auto& [g, group] : t.groups) {
        const LaneInput in = lane_input(ui, t, p, &g, &group.partitions[static_cast<std::size_t>(p)]);
        fp.committed.push_back({g, std::min(mark_cell(committed_index(in), first), fp.tail.size())});
        fp.next.push_back({g, std::min(mark_cell(next_dispatch_index(in), first), fp.tail.size())});
    }
    return fp;
}

std::string owner_of(const sim::ConsumerSpec& s) { return s.owner.empty() ? s.name : s.owner; }

// The scenario's consumers, then the broker's other streams (HTTP clients of a live broker).
std::vector<FlowMember> members_of(const Ui& ui) {
    const sim::World& w = ui.session().world();
    const Broker* b = w.broker();
    std::vector<FlowMember> out;
    for (const sim::World::Consumer& c : w.consumers()) {
        const char* state = consumer_state(c, b != nullptr);
        out.push_back({owner_of(c.spec), c.spec.group, c.spec.topic, state, c.gone || c.hanging || !b, true, {}, 0});
    }
    if (!b) return out;
    for (const auto& entry : b->streams()) {
        const Stream& s = entry.second;  // not a structured binding: clang 14 cannot capture those
        const bool known = std::any_of(out.begin(), out.end(), [&](const FlowMember& m) { return m.name == s.owner && m.group == s.group; });
        if (!known) out.push_back({s.owner, s.group, s.topic, "live", false, false, {}, 0});
    }
    return out;
}

void hold_one(std::vector<FlowMember>& members, const InFlightView& f, TimeMs now, const FlowOptions& o) {
    for (FlowMember& m : members) {
        if (m.name != f.owner || m.group != f.group) continue;
        if (m.held.size() >= o.max_held) {
            ++m.held_hidden;
            return;
        }
        const double left = f.lease_ms > 0 ? static_cast<double>(f.lease_deadline - now) / static_cast<double>(f.lease_ms) : 0;
        m.held.push_back({{f.topic, f.partition, f.offset}, f.attempts, std::clamp(left, 0.0, 1.0), f.lease_expired || now >= f.lease_deadline});
        return;
    }
}

// Each member's deliveries, lane by lane (one view lookup a lane, not one a row: a million-message
// run holds ten thousand), at most kMaxEventsLooked looked at.
void hold(Ui& ui, std::vector<FlowMember>& members, const FlowOptions& o) {
    const Broker* b = ui.session().world().broker();
    if (!b) return;
    const TimeMs now = ui.session().now();
    std::size_t looked = 0;
    for (const auto& [tname, t] : b->topics()) {
        for (const auto& [gname, g] : t.groups) {
            for (std::size_t p = 0; p < g.partitions.size() && looked < kMaxEventsLooked; ++p) {
                if (g.partitions[p].in_flight.empty()) continue;
                for (const InFlightView& f : ui.in_flight_of(tname, gname, static_cast<std::int32_t>(p))) {
                    if (++looked > kMaxEventsLooked) break;
                    hold_one(members, f, now, o);
                }
            }
        }
    }
}

// Finds the scene's ends of the log's events.
class Ends {
public:
    Ends(const FlowScene& scene, const sim::Session& session, bool live) : scene_(scene), live_(live) {
        for (const sim::TimedCommand& c : session.commands()) {
            if (produces(c.command)) person_produced_at_.push_back(c.at);
        }
    }
    std::optional<FlowEnd> partition(const std::string& topic, std::int32_t p) const {
        for (std::size_t i = 0; i < scene_.partitions.size(); ++i) {
            if (scene_.partitions[i].topic == topic && scene_.partitions[i].partition == p) return FlowEnd{FlowEnd::Kind::partition, i};
        }
        return std::nullopt;
    }
    // The dead-letter topic's partition holding `offset` (the event names only the topic).
    std::optional<FlowEnd> dlq_partition(const Broker& b, const std::string& topic, std::int64_t offset) const {
        const auto t = b.topics().find(topic);
        if (t == b.topics().end()) return std::nullopt;
        for (std::size_t p = 0; p < t->second.partitions.size(); ++p) {
            const MessageLog& log = t->second.partitions[p].messages;
            const std::size_t i = first_index_after(log, offset - 1);
            if (i < log.size() && log[i].offset == offset) return partition(topic, static_cast<std::int32_t>(p));
        }
        return partition(topic, 0);
    }
    std::optional<FlowEnd> member(const std::string& group, const std::string& owner) const {
        for (std::size_t i = 0; i < scene_.members.size(); ++i) {
            if (scene_.members[i].group == group && scene_.members[i].name == owner) return FlowEnd{FlowEnd::Kind::member, i};
        }
        return std::nullopt;
    }
    // A produce that a command made: the person's, the timeline's or (live) an HTTP client's;
    // else the first scenario producer of that topic.
    std::optional<FlowEnd> producer(const Event& e, bool by_command) const {
        std::string name;
        if (by_command) {
            const bool person = std::find(person_produced_at_.begin(), person_produced_at_.end(), e.at) != person_produced_at_.end();
            name = person ? "you" : live_ ? "HTTP clients" : "timeline";
        }
        for (std::size_t i = 0; i < scene_.producers.size(); ++i) {
            const FlowProducer& p = scene_.producers[i];
            if (by_command ? p.name == name : p.topic == e.topic) return FlowEnd{FlowEnd::Kind::producer, i};
        }
        return std::nullopt;
    }

private:
    const FlowScene& scene_;
    bool live_;
    std::vector<TimeMs> person_produced_at_;
};

// The move an event starts, if it is one and both its ends are on screen.
std::optional<FlowMove> move_of(const Event& e, const Ends& ends, const Broker& b, bool by_command) {
    FlowMove m;
    m.at = e.at;
    m.ref = {e.topic, e.partition, e.offset};
    std::optional<FlowEnd> from, to;
    const auto part = [&] { return ends.partition(e.topic, e.partition); };
    const auto member = [&] { return ends.member(e.group, e.owner); };
    switch (e.kind) {
        case EventKind::produced: m.kind = MoveKind::produce, from = ends.producer(e, by_command), to = part(); break;
        case EventKind::delivered: m.kind = MoveKind::deliver, from = part(), to = member(); break;
        case EventKind::redelivered: m.kind = MoveKind::redeliver, from = part(), to = member(); break;
        case EventKind::acked: m.kind = MoveKind::ack, from = member(), to = part(); break;
        case EventKind::nacked: m.kind = MoveKind::nack, m.text = e.text, from = member(), to = part(); break;
        case EventKind::lease_expired: m.kind = MoveKind::expire, from = member(), to = part(); break;
        case EventKind::dead_lettered:
            m.kind = MoveKind::dead_letter, from = part();
            if (e.value) to = ends.dlq_partition(b, e.target, *e.value);
            break;
        default: return std::nullopt;
    }
    if (!from || !to) return std::nullopt;
    m.from = *from;
    m.to = *to;
    return m;
}

// A restart in the last travel: each partition's messages come back from the WAL as one bundle,
// and the tails fill as far as the bundles have got.
void refill_from_wal(FlowScene& scene, TimeMs at, TimeMs now, const FlowOptions& o) {
    const double progress = static_cast<double>(now - at) / static_cast<double>(o.travel_ms);
    scene.refill = std::clamp(progress, 0.0, 1.0);
    for (std::size_t i = 0; i < scene.partitions.size() && scene.moves.size() < o.max_movers; ++i) {
        const FlowPartition& p = scene.partitions[i];
        if (p.messages == 0) continue;
        FlowMove m;
        m.kind = MoveKind::replay;
        m.from = FlowEnd{FlowEnd::Kind::wal, 0};
        m.to = FlowEnd{FlowEnd::Kind::partition, i};
        m.at = at;
        m.progress = progress;
        m.ref = {p.topic, p.partition, p.tail.empty() ? 0 : p.tail.back().offset};
        m.count = p.messages;
        scene.moves.push_back(std::move(m));
    }
}

// Moves started in (now - travel, now], newest first, folded by path and time.
void moves_of(const Ui& ui, FlowScene& scene, const FlowOptions& o) {
    const sim::Session& s = ui.session();
    const Broker* b = s.world().broker();
    if (!b || o.travel_ms <= 0) return;
    const Ends ends(scene, s, ui.is_live());
    const TimeMs now = s.now();
    const sim::EventLog& log = s.log();
    std::map<std::tuple<MoveKind, std::size_t, std::size_t, TimeMs>, std::size_t> bundle;  // -> index in moves
    bool command_produced = false;  // a later event at this time is a produce command's
    std::optional<FlowEnd> redrive_from;  // ... or a redrive's, from this dead-letter partition
    std::uint64_t looked = 0;
    for (std::uint64_t pos = s.visible_events(); pos > 0; --pos) {
        const Event& e = log[pos - 1];
        if (e.at <= now - o.travel_ms) break;
        if (++looked > kMaxEventsLooked) {
            ++scene.moves_not_drawn;
            continue;
        }
        if (e.kind == EventKind::command) {
            command_produced = e.text.rfind("produce ", 0) == 0;
            redrive_from.reset();
            if (auto from = redriven_from(e.text); from && e.target == "ok") redrive_from = ends.partition(from->first, from->second);
            continue;
        }
        if (e.kind == EventKind::broker_restarted) {
            refill_from_wal(scene, e.at, now, o);
            continue;
        }
        std::optional<FlowMove> m = move_of(e, ends, *b, command_produced && e.kind == EventKind::produced);
        if (m && e.kind == EventKind::produced && redrive_from) {
            m->kind = MoveKind::redrive;
            m->from = *redrive_from;
        }
        if (e.kind == EventKind::produced) command_produced = false, redrive_from.reset();
        if (!m) continue;
        m->progress = static_cast<double>(now - e.at) / static_cast<double>(o.travel_ms);
        const auto key = std::make_tuple(m->kind, m->from.index * 3 + static_cast<std::size_t>(m->from.kind),
                                         m->to.index * 3 + static_cast<std::size_t>(m->to.kind), m->at);
        if (auto it = bundle.find(key); it != bundle.end()) {
            ++scene.moves[it->second].count;
            continue;
        }
        if (scene.moves.size() >= o.max_movers) {
            ++scene.moves_not_drawn;
            continue;
        }
        bundle[key] = scene.moves.size();
        scene.moves.push_back(std::move(*m));
    }
}

}  // namespace

FlowScene flow_scene(Ui& ui, const FlowOptions& o) {
    assert(ui.has_session());
    FlowScene scene;
    scene.producers = producers_of(ui);
    scene.members = members_of(ui);
    const Broker* b = ui.session().world().broker();
    scene.broker_down = b == nullptr;
    if (!b) return scene;
    for (const Topic* t : topic_order(*b)) {
        for (std::size_t p = 0; p < t->partitions.size(); ++p) {
            if (scene.partitions.size() >= o.max_partitions) {
                ++scene.partitions_hidden;
                continue;
            }
            scene.partitions.push_back(partition_of(ui, *t, static_cast<std::int32_t>(p), o));
        }
    }
    hold(ui, scene.members, o);
    moves_of(ui, scene, o);
    return scene;
}

}  // namespace driftq::ui
