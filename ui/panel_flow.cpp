// Flow: the picture of messages moving. Producers on the left, the broker in the middle with each
// topic's partitions as short logs (newest on the right, the committed offset and the next
// dispatch marked, the dead-letter topic below its topic) and its WAL underneath, the consumer
// groups' members on the right holding their deliveries (a ring that empties as the lease runs
// down, the attempt beside it). Moves are dots on their way, placed from their event's time
// (ui/flow_model.hpp). Clicking a message selects it everywhere; clicking a member offers what
// the Groups panel offers.
#include <algorithm>
#include <cmath>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"  // ImRect
#include "ui/consumer_commands.hpp"
#include "ui/flow_model.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

constexpr float kPi = 3.14159265f;

ImU32 move_colour(MoveKind k) {
    switch (k) {
        case MoveKind::produce: return colors::cell(CellState::waiting);
        case MoveKind::deliver: return colors::cell(CellState::in_flight);
        case MoveKind::redeliver: return colors::cell(CellState::redelivered);
        case MoveKind::ack: return colors::cell(CellState::acked);
        case MoveKind::nack: return colors::fault();
        case MoveKind::expire: return colors::cell_border(CellState::expired);
        case MoveKind::dead_letter: return colors::cell(CellState::dead);
        case MoveKind::replay: return colors::cell(CellState::acked);
        case MoveKind::redrive: return IM_COL32(80, 210, 230, 255);  // not a produce: a dead letter sent back
    }
    return IM_COL32_WHITE;
}

ImU32 dim() { return ImGui::GetColorU32(ImGuiCol_TextDisabled); }
ImU32 text() { return ImGui::GetColorU32(ImGuiCol_Text); }
ImU32 frame() { return ImGui::GetColorU32(ImGuiCol_FrameBg); }

constexpr MoveKind kMoveKinds[] = {MoveKind::produce, MoveKind::deliver, MoveKind::redeliver, MoveKind::ack,
                                   MoveKind::nack, MoveKind::expire, MoveKind::dead_letter, MoveKind::replay, MoveKind::redrive};

// The legend, wrapped at the panel's width; draws it when `dl` is given. Returns its lines.
int legend(ImDrawList* dl, ImVec2 origin, float width, float em) {
    float x = origin.x + 4, y = origin.y + em * 0.6f;
    int lines = 1;
    auto item = [&](const char* name, auto&& mark) {
        const float w = 24 + ImGui::CalcTextSize(name).x;
        if (x + w > origin.x + width && x > origin.x + 4) {
            x = origin.x + 4;
            y += em * 1.2f;
            ++lines;
        }
        if (dl) {
            mark(ImVec2(x + 5, y));
            dl->AddText({x + 13, y - em / 2}, dim(), name);
        }
        x += w;
    };
    for (MoveKind k : kMoveKinds) item(to_string(k), [&](ImVec2 c) { dl->AddCircleFilled(c, 5, move_colour(k)); });
    item("lease left", [&](ImVec2 c) { dl->AddCircle(c, 5, text(), 16, 2); });
    return lines;
}

// Where everything is, in screen pixels, for one frame.
struct Geometry {
    ImVec2 origin;
    float width = 0, height = 0;
    float em = 13;
    float prod_x0 = 0, prod_x1 = 0;      // producers column
    float broker_x0 = 0, broker_x1 = 0;  // the broker box
    float cells_x0 = 0, cell_w = 0;      // partitions' first cell and cell width
    float member_x0 = 0, member_x1 = 0;  // members column
    float row_h = 0;
    float titles_y = 0;  // the line naming the columns, below the legend
    std::vector<float> part_y;    // each partition row's centre
    std::vector<float> topic_y;   // each partition's topic label line (or -1 if not its first)
    std::vector<ImVec2> producer_at;  // each producer box's centre
    std::vector<ImRect> member_box;
    float broker_y0 = 0, broker_y1 = 0;
    float wal_y = 0;
};

// `spread` (1 or more) stretches rows and boxes apart to fill a tall panel (the Learn layout).
Geometry lay_out(const FlowScene& s, const FlowOptions& o, ImVec2 origin, ImVec2 size, float spread) {
    Geometry g;
    g.origin = origin;
    g.width = size.x;
    g.height = size.y;
    g.em = ImGui::GetFontSize();
    const float W = size.x;
    g.prod_x0 = origin.x + 4;
    g.prod_x1 = origin.x + std::max(W * 0.16f, g.em * 6);
    g.broker_x0 = origin.x + W * 0.24f;
    g.broker_x1 = origin.x + W * 0.70f;
    g.member_x0 = origin.x + W * 0.78f;
    g.member_x1 = origin.x + W - 4;
    g.cells_x0 = g.broker_x0 + g.em * 5.5f;
    g.cell_w = std::clamp((g.broker_x1 - g.cells_x0 - g.em) / static_cast<float>(o.tail_cells), 6.0f, g.em * 1.8f * spread);
    g.row_h = g.em * 1.7f * spread;
    // Below the legend, then a line for the columns' titles.
    g.titles_y = origin.y + static_cast<float>(legend(nullptr, origin, size.x, g.em)) * g.em * 1.2f + g.em * 0.3f;
    g.broker_y0 = g.titles_y + g.em * 1.2f;  // the box starts under its title
    float y = g.broker_y0 + g.em * 0.3f;
    for (std::size_t i = 0; i < s.partitions.size(); ++i) {
        const bool first = i == 0 || s.partitions[i - 1].topic != s.partitions[i].topic;
        g.topic_y.push_back(first ? y : -1);
        if (first) y += g.em * 1.2f;
        g.part_y.push_back(y + g.row_h / 2);
        y += g.row_h;
    }
    if (s.partitions.empty()) y += g.row_h * 2;
    g.wal_y = y + g.em * 0.6f;
    g.broker_y1 = y + g.em * 2.2f;
    const float top = g.titles_y + g.em * 1.1f;
    for (std::size_t i = 0; i < s.producers.size(); ++i) g.producer_at.push_back({(g.prod_x0 + g.prod_x1) / 2, top + g.em + static_cast<float>(i) * g.em * 3 * spread});
    float my = top;
    for (std::size_t i = 0; i < s.members.size(); ++i) {
        if (i == 0 || s.members[i - 1].group != s.members[i].group) my += g.em * 1.3f;  // the group's name
        g.member_box.emplace_back(ImVec2(g.member_x0, my), ImVec2(g.member_x1, my + g.em * 2.6f));
        my += g.em * 3.0f * spread;
    }
    return g;
}

float cell_x(const Geometry& g, std::size_t cell) { return g.cells_x0 + static_cast<float>(cell) * g.cell_w; }

// The point a move leaves from or arrives at.
ImVec2 end_point(const FlowScene& s, const Geometry& g, const FlowEnd& e, const FlowMove& m, bool arriving) {
    switch (e.kind) {
        case FlowEnd::Kind::producer: return {g.prod_x1, g.producer_at[e.index].y};
        case FlowEnd::Kind::member: return {g.member_box[e.index].Min.x, g.member_box[e.index].GetCenter().y};
        case FlowEnd::Kind::wal: return {g.cells_x0 + g.em * 2, g.wal_y + g.em / 2};
        case FlowEnd::Kind::partition: break;
    }
    const FlowPartition& p = s.partitions[e.index];
    std::size_t cell = p.tail.size();  // a produce, or a dead letter, arrives at the tail
    const bool at_tail = arriving && (m.kind == MoveKind::produce || m.kind == MoveKind::dead_letter || m.kind == MoveKind::redrive);
    if (!at_tail) {
        for (std::size_t i = 0; i < p.tail.size(); ++i) {
            if (p.tail[i].offset == m.ref.offset) cell = i;
        }
    }
    return {cell_x(g, cell) + g.cell_w / 2, g.part_y[e.index]};
}

void draw_producers(ImDrawList* dl, const FlowScene& s, const Geometry& g) {
    dl->AddText({g.prod_x0, g.titles_y}, dim(), "producers");
    for (std::size_t i = 0; i < s.producers.size(); ++i) {
        const ImVec2 c = g.producer_at[i];
        const ImVec2 a(g.prod_x0, c.y - g.em * 0.9f), b(g.prod_x1, c.y + g.em * 0.9f);
        dl->AddRectFilled(a, b, frame(), 4);
        dl->PushClipRect(a, b, true);
        dl->AddText({a.x + 6, c.y - g.em / 2}, text(), s.producers[i].name.c_str());
        dl->PopClipRect();
    }
}

// The message under the pointer, set while drawing, for the tooltip and the click.
struct Hover {
    std::optional<sim::MessageRef> message;
    std::optional<std::size_t> held_by;  // the member holding the hovered message, if it is a held disc
    std::string tip;
    std::optional<std::size_t> member;
};

bool hovered(const ImVec2& a, const ImVec2& b) {
    return ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(a, b);
}

void draw_partition(ImDrawList* dl, const FlowPartition& p, const Geometry& g, std::size_t i, double refill, const UiState& st,
                    Hover& hover) {
    const float y = g.part_y[i];
    if (g.topic_y[i] >= 0) {
        const ImU32 col = p.dlq ? colors::cell(CellState::dead) : text();
        std::string title = p.topic + (p.dlq ? "  (dead letters)" : "");
        if (!p.shown_group.empty()) title += "   read by " + p.shown_group;
        dl->AddText({g.broker_x0 + 8, g.topic_y[i]}, col, title.c_str());
    }
    std::string label = "p" + std::to_string(p.partition);
    if (p.hidden > 0) label += " +" + std::to_string(p.hidden);
    dl->AddText({g.broker_x0 + 12, y - g.em / 2}, dim(), label.c_str());
    const float h = g.row_h * 0.62f;
    // Just after a restart the cells fill from the left as the WAL's records come back.
    const auto filled = static_cast<std::size_t>(std::ceil(refill * static_cast<double>(p.tail.size())));
    for (std::size_t c = 0; c < p.tail.size(); ++c) {
        const FlowCell& cell = p.tail[c];
        const ImVec2 a(cell_x(g, c) + 1, y - h / 2), b(cell_x(g, c) + g.cell_w - 1, y + h / 2);
        if (c >= filled) {
            dl->AddRect(a, b, dim(), 2);
            continue;
        }
        dl->AddRectFilled(a, b, colors::cell(cell.state), 2);
        if (colors::has_border(cell.state)) dl->AddRect(a, b, colors::cell_border(cell.state), 2, 0, 2);
        const sim::MessageRef ref{p.topic, p.partition, cell.offset};
        if (st.selected && *st.selected == ref) dl->AddRect({a.x - 2, a.y - 2}, {b.x + 2, b.y + 2}, colors::selection(), 2, 0, 2);
        if (hovered(a, b)) {
            hover.message = ref;
            hover.tip = p.topic + " p" + std::to_string(p.partition) + " offset " + std::to_string(cell.offset) + "\n" +
                        (p.shown_group.empty() ? std::string("no group reads it") : "group " + p.shown_group + ": " + to_string(cell.state) + ", " + meaning(cell.state));
        }
    }
    // The committed marker (a bar before the first uncommitted cell) and the next dispatch (a
    // tick under the next cell), for the shown group; others' commits are thin dim bars.
    for (std::size_t k = 0; k < p.committed.size(); ++k) {
        const float x = cell_x(g, p.committed[k].cell);
        dl->AddLine({x, y - h / 2 - 3}, {x, y + h / 2 + 3}, k == 0 ? colors::committed_marker() : dim(), k == 0 ? 3.0f : 1.0f);
    }
    if (!p.next.empty()) {
        const float x = cell_x(g, p.next[0].cell) + g.cell_w / 2;
        dl->AddTriangleFilled({x, y + h / 2 + 1}, {x - 4, y + h / 2 + 6}, {x + 4, y + h / 2 + 6}, colors::next_marker());
    }
}

void draw_broker(ImDrawList* dl, Ui& ui, const FlowScene& s, const Geometry& g, Hover& hover) {
    const ImVec2 a(g.broker_x0, g.broker_y0), b(g.broker_x1, g.broker_y1);
    dl->AddRect(a, b, s.broker_down ? colors::fault() : dim(), 6, 0, 1.5f);
    dl->AddText({a.x + 8, g.titles_y}, dim(), "broker");
    if (s.broker_down) {
        dl->AddRectFilled(a, b, IM_COL32(90, 90, 90, 60), 6);
        dl->AddText({a.x + 12, a.y + g.em * 1.6f}, colors::fault(), "The broker is down: what it held in memory is gone.");
        dl->AddText({a.x + 12, a.y + g.em * 2.8f}, dim(), "Restart it to see what the WAL brings back.");
    } else if (s.partitions.empty()) {
        dl->AddText({a.x + 12, a.y + g.em * 1.6f}, dim(), "No topic yet.");
    } else if (s.refill < 1) {
        dl->AddText({a.x + 8 + ImGui::CalcTextSize("broker").x + g.em, g.titles_y}, colors::cell(CellState::acked),
                    "restarted: replaying the WAL into the partitions");
    }
    for (std::size_t i = 0; i < s.partitions.size(); ++i) draw_partition(dl, s.partitions[i], g, i, s.refill, ui.state(), hover);
    if (s.partitions_hidden > 0) {
        const std::string more = std::to_string(s.partitions_hidden) + " more partitions not drawn";
        dl->AddText({g.broker_x0 + 12, g.wal_y - g.em * 1.2f}, dim(), more.c_str());
    }
    // The WAL under the broker: records appended, the durable point marked.
    const sim::WalView& wal = ui.wal();
    if (!wal.enabled) {
        dl->AddText({g.broker_x0 + 12, g.wal_y}, dim(), "no WAL: a crash loses everything");
        return;
    }
    const float x0 = g.cells_x0, x1 = g.broker_x1 - g.em;
    dl->AddRectFilled({x0, g.wal_y + 2}, {x1, g.wal_y + g.em - 2}, frame(), 2);
    const double total = static_cast<double>(std::max<std::uint64_t>({wal.appended, wal.durable, 1}));
    const float xd = x0 + (x1 - x0) * static_cast<float>(static_cast<double>(wal.durable) / total);
    dl->AddRectFilled({x0, g.wal_y + 2}, {xd, g.wal_y + g.em - 2}, colors::cell(CellState::acked), 2);
    dl->AddLine({xd, g.wal_y - 1}, {xd, g.wal_y + g.em + 1}, text(), 2);
    dl->AddText({g.broker_x0 + 12, g.wal_y}, dim(), "WAL");
    if (hovered({x0, g.wal_y}, {x1, g.wal_y + g.em})) {
        hover.tip = "WAL: " + std::to_string(wal.appended) + " records appended, " + std::to_string(wal.durable) +
                    " durable (synced); a crash loses the rest";
    }
}

// A delivery held by a member: a disc with a ring that empties as its lease runs down.
void draw_held(ImDrawList* dl, const FlowHeld& h, std::size_t member, ImVec2 c, float r, const UiState& st, Hover& hover) {
    const ImU32 fill = colors::cell(h.expired ? CellState::expired : h.attempts > 1 ? CellState::redelivered : CellState::in_flight);
    dl->AddCircleFilled(c, r * 0.62f, fill);
    dl->AddCircle(c, r, frame(), 20, 2.5f);
    if (h.lease_left > 0) {
        const float start = -kPi / 2;
        dl->PathArcTo(c, r, start, start + 2 * kPi * static_cast<float>(h.lease_left), 20);
        dl->PathStroke(text(), 0, 2.5f);
    }
    if (h.attempts > 1) {
        const std::string n = std::to_string(h.attempts);
        dl->AddText({c.x + r + 2, c.y - r * 1.6f}, colors::cell(CellState::redelivered), n.c_str());  // beside the ring, not on it
    }
    if (st.selected && *st.selected == h.ref) dl->AddCircle(c, r + 3, colors::selection(), 20, 2);
    if (hovered({c.x - r, c.y - r}, {c.x + r, c.y + r})) {
        hover.message = h.ref;
        hover.held_by = member;
        hover.tip = h.ref.topic + " p" + std::to_string(h.ref.partition) + " offset " + std::to_string(h.ref.offset) + ", attempt " +
                    std::to_string(h.attempts) + (h.expired ? "\nits lease ran out: the next pass takes it back" :
                                                  "\nlease left: " + std::to_string(static_cast<int>(h.lease_left * 100)) + "%") +
                    "\nClick to ack or nack it.";
    }
}

void draw_members(ImDrawList* dl, const FlowScene& s, const Geometry& g, const UiState& st, Hover& hover) {
    dl->AddText({g.member_x0, g.titles_y}, dim(), "consumers");
    for (std::size_t i = 0; i < s.members.size(); ++i) {
        const FlowMember& m = s.members[i];
        const ImRect& box = g.member_box[i];
        if (i == 0 || s.members[i - 1].group != m.group) {
            const std::string title = "group " + m.group + " (" + m.topic + ")";
            dl->AddText({box.Min.x, box.Min.y - g.em * 1.25f}, dim(), title.c_str());
        }
        dl->AddRectFilled(box.Min, box.Max, frame(), 4);
        if (m.trouble) dl->AddRect(box.Min, box.Max, colors::fault(), 4, 0, 2);
        dl->PushClipRect(box.Min, box.Max, true);
        dl->AddText({box.Min.x + 6, box.Min.y + 3}, text(), m.name.c_str());
        dl->AddText({box.Min.x + 6, box.Min.y + 3 + g.em * 1.1f}, m.trouble ? colors::fault() : dim(), m.state.c_str());
        const float r = g.em * 0.55f;
        float x = box.Min.x + std::max(ImGui::CalcTextSize(m.name.c_str()).x, ImGui::CalcTextSize(m.state.c_str()).x) + 6 + g.em + r;
        for (const FlowHeld& h : m.held) {
            draw_held(dl, h, i, {x, box.GetCenter().y}, r, st, hover);
            x += r * 2 + g.em * 1.1f;  // room for the attempt badge
        }
        if (m.held_hidden > 0) {
            const std::string more = "+" + std::to_string(m.held_hidden);
            dl->AddText({x - r, box.GetCenter().y - g.em / 2}, dim(), more.c_str());
        }
        dl->PopClipRect();
        if (!hover.message && hovered(box.Min, box.Max)) {
            hover.member = i;
            hover.tip = m.name + " in group " + m.group + ": " + m.state + ", holding " + std::to_string(m.held.size() + m.held_hidden) +
                        (m.simulated ? "\nClick for what you can do to it." : "\nAn HTTP client of the live broker.");
        }
    }
}

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; }

void draw_moves(ImDrawList* dl, const FlowScene& s, const Geometry& g, const UiState& st) {
    // Oldest first, so the newest dot is on top.
    for (auto it = s.moves.rbegin(); it != s.moves.rend(); ++it) {
        const FlowMove& m = *it;
        const ImVec2 a = end_point(s, g, m.from, m, false), b = end_point(s, g, m.to, m, true);
        const float t = std::clamp(static_cast<float>(m.progress), 0.0f, 1.0f);
        const float eased = t * t * (3 - 2 * t);  // leaves and arrives gently
        const ImVec2 p = lerp(a, b, eased);
        const float r = m.count > 1 ? 6.5f : 5.0f;
        dl->AddCircleFilled(p, r, move_colour(m.kind));
        if (st.selected && *st.selected == m.ref) dl->AddCircle(p, r + 3, colors::selection(), 16, 2);
        if (m.count > 1) {
            const std::string n = "x" + std::to_string(m.count);
            dl->AddText({p.x + r + 2, p.y - g.em}, text(), n.c_str());
        }
        if (m.kind == MoveKind::nack && !m.text.empty()) dl->AddText({p.x + r + 2, p.y + 1}, colors::fault(), m.text.c_str());
    }
    if (s.moves_not_drawn > 0) {
        const std::string more = std::to_string(s.moves_not_drawn) + " more moving, not drawn";
        dl->AddText({g.origin.x + 4, g.origin.y + g.height - g.em * 1.3f}, dim(), more.c_str());
    }
}

// What a click on a simulated member offers, as the Groups panel does.
void member_menu(Ui& ui) {
    if (!ImGui::BeginPopup("##flow_member")) return;
    using K = sim::Command::Kind;
    const auto& consumers = ui.session().world().consumers();
    const std::size_t i = ui.state().flow_member.value_or(consumers.size());
    if (i >= consumers.size()) {
        ImGui::EndPopup();
        return;
    }
    const sim::World::Consumer& c = consumers[i];
    const std::string& name = c.spec.name;
    std::optional<sim::Command> command;
    ImGui::TextDisabled("%s", name.c_str());
    if (c.gone) {
        if (ImGui::MenuItem("Restart")) command = consumer_command(K::consumer_restart, name);
    } else if (c.stream && ui.session().world().broker()) {
        if (c.paused || c.hanging) {
            if (ImGui::MenuItem("Resume")) command = consumer_command(K::consumer_resume, name);
        } else if (ImGui::MenuItem("Pause")) {
            command = consumer_command(K::consumer_pause, name);
        }
        if (ImGui::MenuItem("Crash")) command = consumer_command(K::consumer_crash, name);
        if (!c.hanging && ImGui::MenuItem("Hang")) command = consumer_command(K::consumer_hang, name);
        if (ImGui::MenuItem("Lose its next ack")) command = consumer_command(K::lose_ack, name);
    } else {
        ImGui::TextDisabled("Nothing to do while it is not joined.");
    }
    ImGui::EndPopup();
    if (command) ui.act(*command);
}

// What a click on a held delivery offers, as the In flight panel does: ack it as its owner (the
// HTTP API's ack), ack it as anyone (the Go API's plain ack), nack it as its owner.
void held_menu(Ui& ui) {
    if (!ImGui::BeginPopup("##flow_held")) return;
    const std::optional<UiState::HeldChoice> h = ui.state().flow_held;
    if (!h) {
        ImGui::EndPopup();
        return;
    }
    using K = sim::Command::Kind;
    sim::Command c;
    c.topic = h->ref.topic;
    c.group = h->group;
    c.partition = h->ref.partition;
    c.offset = h->ref.offset;
    c.owner = h->owner;
    std::optional<sim::Command> command;
    ImGui::TextDisabled("%s p%d@%lld, held by %s", c.topic.c_str(), c.partition, static_cast<long long>(c.offset), c.owner.c_str());
    if (ImGui::MenuItem(("Ack as " + c.owner).c_str())) command = c, command->kind = K::ack_if_owner;
    if (ImGui::MenuItem("Ack as anyone (plain ack)")) command = c, command->kind = K::ack;
    if (ImGui::MenuItem(("Nack as " + c.owner + ": " + ui.state().nack_reason).c_str())) {
        command = c, command->kind = K::nack;
        command->text = ui.state().nack_reason;
    }
    ImGui::EndPopup();
    if (command) ui.act(*command);
}

void act_on_click(Ui& ui, const FlowScene& s, const Hover& hover) {
    if (!hover.tip.empty()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ImGui::TextUnformatted(hover.tip.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    if (!ImGui::IsMouseClicked(ImGuiMouseButton_Left) || !ImGui::IsWindowHovered()) return;
    if (hover.message) {
        ui.select(*hover.message);
        if (hover.held_by) {
            ui.state().flow_held = UiState::HeldChoice{*hover.message, s.members[*hover.held_by].group, s.members[*hover.held_by].name};
            ImGui::OpenPopup("##flow_held");
        }
    } else if (hover.member && s.members[*hover.member].simulated) {
        ui.state().flow_member = *hover.member;
        ImGui::OpenPopup("##flow_member");
    }
}

// What the lesson step points at ("look"), ringed in the task colour and pulsing, so the eye
// finds it: a partition's row, a message's cell or held disc, a member, a commit marker, the WAL.
void draw_pointers(ImDrawList* dl, Ui& ui, const FlowScene& s, const Geometry& g) {
    const int step = ui.lesson_step();
    if (step < 0) return;
    const auto& look = ui.session().world().scenario().lessons[static_cast<std::size_t>(step)].look;
    if (look.empty()) return;
    const float pulse = 0.55f + 0.45f * std::sin(static_cast<float>(ImGui::GetTime()) * 4.0f);
    const ImVec4 c = colors::task_text();
    const ImU32 col = ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, pulse));
    auto ring = [&](ImVec2 a, ImVec2 b) { dl->AddRect({a.x - 4, a.y - 4}, {b.x + 4, b.y + 4}, col, 5, 0, 3); };
    using K = sim::Pointer::Kind;
    for (const sim::Pointer& p : look) {
        if (p.kind == K::wal) {
            ring({g.broker_x0 + 8, g.wal_y - 2}, {g.broker_x1 - g.em * 0.5f, g.wal_y + g.em + 2});
            continue;
        }
        if (p.kind == K::member) {
            for (std::size_t i = 0; i < s.members.size(); ++i) {
                if (s.members[i].group == p.group && s.members[i].name == p.member) ring(g.member_box[i].Min, g.member_box[i].Max);
            }
            continue;
        }
        for (std::size_t i = 0; i < s.partitions.size(); ++i) {
            const FlowPartition& fp = s.partitions[i];
            if (fp.topic != p.topic || fp.partition != p.partition) continue;
            const float y = g.part_y[i], h = g.row_h * 0.62f;
            if (p.kind == K::partition) ring({g.broker_x0 + 8, y - h / 2}, {cell_x(g, fp.tail.size()), y + h / 2});
            for (std::size_t c2 = 0; p.kind == K::message && c2 < fp.tail.size(); ++c2) {
                if (fp.tail[c2].offset == p.offset) ring({cell_x(g, c2), y - h / 2}, {cell_x(g, c2) + g.cell_w, y + h / 2});
            }
            for (const FlowMark& m : fp.committed) {
                if (p.kind == K::commit && m.group == p.group) ring({cell_x(g, m.cell) - 3, y - h / 2 - 3}, {cell_x(g, m.cell) + 3, y + h / 2 + 3});
            }
        }
    }
}

float bottom_of(const Geometry& g) {
    return std::max({g.broker_y1, g.member_box.empty() ? 0.0f : g.member_box.back().Max.y,
                     g.producer_at.empty() ? 0.0f : g.producer_at.back().y + g.em}) + g.em;
}

void draw_flow_scene(Ui& ui, bool fill) {
    const FlowOptions options;
    const FlowScene scene = flow_scene(ui, options);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 size(std::max(avail.x, 480.0f), avail.y);
    Geometry g = lay_out(scene, options, origin, size, 1.0f);
    if (fill) {
        const float natural = bottom_of(g) - g.titles_y, room = origin.y + avail.y - g.titles_y;
        const float spread = std::clamp(room / std::max(natural, 1.0f), 1.0f, 2.0f);
        if (spread > 1.05f) g = lay_out(scene, options, origin, size, spread * 0.92f);
    }
    const float bottom = bottom_of(g);
    // Reserves the space drawn on, so the window scrolls to rows below its edge.
    ImGui::Dummy(ImVec2(g.width, std::max(avail.y, bottom - origin.y)));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    Hover hover;
    legend(dl, g.origin, g.width, g.em);
    draw_producers(dl, scene, g);
    draw_broker(dl, ui, scene, g, hover);
    draw_members(dl, scene, g, ui.state(), hover);
    draw_moves(dl, scene, g, ui.state());
    draw_pointers(dl, ui, scene, g);
    act_on_click(ui, scene, hover);
    member_menu(ui);
    held_menu(ui);
}

}  // namespace

// In the Learn layout the picture is the centre of the screen: larger text, and rows spread
// apart (up to twice) to fill the panel's height.
void draw_flow(Ui& ui) {
    const bool learn = ui.state().layout == Layout::learn;
    if (learn) ImGui::PushFont(reading_font());
    draw_flow_scene(ui, learn);
    if (learn) ImGui::PopFont();
}

}  // namespace driftq::ui
