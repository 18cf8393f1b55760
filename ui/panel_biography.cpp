// The selected message's life: what it is (key, value, envelope) and every event that touched it
// in any group, including its dead-lettering. Clicking a line goes to that moment; lines after
// the cursor are the message's future on this branch, drawn dimmer.
#include <algorithm>
#include <string>

#include "imgui.h"
#include "ui/flow.hpp"
#include "ui/key_route.hpp"
#include "ui/narration.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

const Message* find_message(const Broker& b, const sim::MessageRef& ref) {
    const Topic* t = b.find_topic(ref.topic);
    if (!t || ref.partition < 0 || static_cast<std::size_t>(ref.partition) >= t->partitions.size()) return nullptr;
    const MessageLog& log = t->partitions[static_cast<std::size_t>(ref.partition)].messages;
    const std::size_t i = first_index_after(log, ref.offset - 1);
    return i < log.size() && log[i].offset == ref.offset ? &log[i] : nullptr;
}

// "name: value", wrapped at the panel's edge (a long last_error chain or key stays readable).
void labelled(const char* name, const std::string& value) {
    ImGui::TextWrapped("%s: %s", name, value.c_str());
}

// A dead letter's metadata as labelled fields, as the broker wrote them.
void dead_letter(const DlqMetadata& d) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colors::cell(CellState::dead)), "Dead letter");
    ImGui::Indent();
    labelled("original topic", d.original_topic);
    labelled("original partition", std::to_string(d.original_partition));
    labelled("original offset", std::to_string(d.original_offset));
    labelled("attempts", std::to_string(d.attempts));
    labelled("last_error", d.last_error);
    labelled("routed at", std::to_string(d.routed_at_ms) + " ms");
    ImGui::Unindent();
}

// Groups whose commit passed this message without an ack: the story says so, as the lane does.
void skipped_by(Ui& ui, const Broker& b, const sim::MessageRef& ref) {
    const Topic* t = b.find_topic(ref.topic);
    if (!t) return;
    for (const auto& [group, g] : t->groups) {
        const auto offsets = ui.skipped_offsets(ref.topic, group, ref.partition);
        if (!std::binary_search(offsets.begin(), offsets.end(), ref.offset)) continue;
        bool held = false;
        for (const InFlightView& f : ui.in_flight_of(ref.topic, group, ref.partition)) held = held || f.offset == ref.offset;
        ImGui::PushStyleColor(ImGuiCol_Text, colors::error_text());
        ImGui::TextWrapped("group %s: committed past, never acked%s", group.c_str(),
                           held ? " (still held: an ack may yet come, but a crash now loses it)" : ": skipped, this group will not see it again");
        ImGui::PopStyleColor();
    }
}

void envelope(const Envelope& e) {
    auto field = [](const char* name, const std::string& v) {
        if (!v.empty()) labelled(name, v);
    };
    field("run", e.run_id);
    field("step", e.step_id);
    field("parent step", e.parent_step_id);
    field("tenant", e.tenant_id);
    field("idempotency key", e.idempotency_key);
    field("target topic", e.target_topic);
    if (e.deadline_ms) ImGui::Text("deadline: %lld ms", static_cast<long long>(*e.deadline_ms));
    if (e.retry_policy) {
        ImGui::Text("retry: at most %d attempts, backoff %lld ms (max %lld)", e.retry_policy->max_attempts,
                    static_cast<long long>(e.retry_policy->backoff_ms), static_cast<long long>(e.retry_policy->max_backoff_ms));
    }
    if (e.partition_override) ImGui::Text("partition override: %d", *e.partition_override);
    for (const auto& [k, v] : e.labels) labelled(("label " + k).c_str(), v);
    if (e.dlq) dead_letter(*e.dlq);
}

}  // namespace

void draw_biography(Ui& ui) {
    const auto& sel = ui.state().selected;
    if (!sel) {
        ImGui::TextWrapped("Click a message cell in Partitions, a row in In flight or a line in Events to follow one message from produce to ack or dead letter.");
        return;
    }
    ImGui::Text("%s p%d offset %lld", sel->topic.c_str(), sel->partition, static_cast<long long>(sel->offset));
    ImGui::SameLine();
    if (ImGui::SmallButton("Clear")) {
        ui.state().selected.reset();
        return;
    }
    if (const Broker* b = ui.session().world().broker()) {
        if (const Message* m = find_message(*b, *sel)) {
            dim_wrapped(("key \"" + m->key() + "\"  value \"" + m->value() + "\"").c_str());
            if (const Topic* t = b->find_topic(sel->topic)) {
                const Envelope* e = m->envelope();
                const std::string why = explain_partition(m->key(), static_cast<std::int32_t>(t->partitions.size()),
                                                          e ? e->partition_override : std::nullopt);
                dim_wrapped(("on p" + std::to_string(sel->partition) + ": " + why).c_str());
            }
            skipped_by(ui, *b, *sel);
            if (m->envelope()) envelope(*m->envelope());
        } else {
            dim_wrapped("Not in the log at this moment (not yet produced, or lost in a crash).");
        }
    }
    ImGui::Separator();
    const std::vector<std::uint64_t> events = ui.session().biography(*sel);
    if (events.empty()) {
        ImGui::TextDisabled("Nothing has happened to it on this branch.");
        return;
    }
    const sim::EventLog& log = ui.session().log();
    const std::uint64_t visible = ui.session().visible_events();
    // Long lines scroll sideways (each is also whole in its tooltip).
    ImGui::BeginChild("##bio", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    ImGui::PushFont(mono_font());
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(events.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const std::uint64_t pos = events[static_cast<std::size_t>(i)];  // 1-based
            const Event& e = log[pos - 1];
            const bool future = pos > visible;
            if (future) ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
            const std::string line = std::to_string(e.at) + " ms  " + narrate(e);
            ImGui::PushID(i);
            if (ImGui::Selectable(line.c_str(), pos == visible)) ui.seek(e.at);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nClick to go to this moment.", line.c_str());
            ImGui::PopID();
            if (future) ImGui::PopStyleColor();
        }
    }
    ImGui::PopFont();
    ImGui::EndChild();
}

}  // namespace driftq::ui
