// Actions and faults: produce a message with any envelope field, add a consumer, crash and
// restart the broker, tear or flip the WAL's tail, and any other command through a form built
// from the command's shape. Every action is a Command at the current time: it lands in the
// session's timeline, replays, and is saved with the session.
#include <cstdlib>
#include <string>

#include "imgui.h"
#include "imgui_stdlib.h"
#include "ui/flow.hpp"
#include "ui/key_route.hpp"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

using Kind = sim::Command::Kind;

struct Forms {
    sim::Command produce;
    Envelope env;
    bool deadline = false, retry = false, override_partition = false;
    std::string labels;  // "k=v, k2=v2"
    sim::Command consumer;
    sim::Command any;
    int wal_bytes = 8;
    std::uint64_t serial = 0;  // the session the defaults were taken from
    Forms() {
        produce.kind = Kind::produce;
        produce.key = "k";
        produce.value = "hello";
        env.retry_policy = RetryPolicy{3, 100, 1000};
        env.deadline_ms = 0;
        env.partition_override = 0;
        consumer.kind = Kind::subscribe;
        consumer.consumer = "you";
        consumer.group = "g";
        consumer.behaviour = sim::ConsumerBehaviour::ack;
        consumer.text = "failed";
        any.kind = Kind::ack;
    }
};

// The open scenario's own names as the forms' defaults: its first topic, a key its producers
// use, its first group. Taken again whenever another session opens.
void follow_scenario(Forms& f, const Ui& ui) {
    if (f.serial == ui.session_serial()) return;
    f.serial = ui.session_serial();
    const sim::Scenario& sc = ui.session().world().scenario();
    f.produce.topic = sc.topics.empty() ? std::string() : sc.topics.front().name;
    f.consumer.topic = f.produce.topic;
    f.produce.key = "k";
    for (const sim::ProducerSpec& p : sc.producers) {
        if (!p.messages.empty() && !p.messages.front().key.empty()) { f.produce.key = p.messages.front().key; break; }
        if (p.keys.kind == sim::KeySpec::Kind::fixed && !p.keys.value.empty()) { f.produce.key = p.keys.value; break; }
        if (p.keys.kind != sim::KeySpec::Kind::none && !p.keys.value.empty()) { f.produce.key = p.keys.value + "0"; break; }
    }
    if (!sc.consumers.empty()) f.consumer.group = sc.consumers.front().group;
}

std::vector<std::string> topic_names(Ui& ui) {
    std::vector<std::string> out;
    if (const Broker* b = ui.session().world().broker()) out = b->list_topics();
    return out;
}

void topic_field(Ui& ui, std::string& topic) {
    const auto names = topic_names(ui);
    if (topic.empty()) {  // the first topic people produce to, not a dead-letter topic
        for (const auto& n : names) {
            if (n.rfind("dlq.", 0) != 0) { topic = n; break; }
        }
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10.0f);
    ImGui::InputText("Topic", &topic);
    if (!names.empty()) {
        ImGui::SameLine();
        if (ImGui::BeginCombo("##topics", "", ImGuiComboFlags_NoPreview)) {
            for (const auto& n : names) {
                if (ImGui::Selectable(n.c_str(), n == topic)) topic = n;
            }
            ImGui::EndCombo();
        }
    }
}

void faults(Ui& ui, Forms& f) {
    const bool down = ui.session().world().broker() == nullptr;
    sim::Command c;
    if (!down) {
        if (ImGui::Button("Crash the broker")) {
            c.kind = Kind::broker_crash;
            ui.act(c);
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("The process dies: unsynced WAL bytes are lost");
        ImGui::SameLine();
        if (ImGui::Button("Cut the power")) {
            c.kind = Kind::broker_crash;
            c.power_loss = PowerLoss::keep_sectors;
            ui.act(c);
        }
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("A crash in which the disk keeps some of what was written but not synced,\n"
                              "in 512-byte sectors in any order: recovery must find where the good records end");
        }
    } else {
        if (ImGui::Button("Restart the broker")) {
            c.kind = Kind::broker_restart;
            ui.act(c);
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Recover the WAL and replay it");
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.0f);
    ImGui::InputInt("bytes", &f.wal_bytes);
    f.wal_bytes = std::max(1, f.wal_bytes);
    ImGui::SameLine();
    if (ImGui::Button("Tear the WAL tail")) {
        c.kind = Kind::torn_tail;
        c.bytes = static_cast<std::uint64_t>(f.wal_bytes);
        ui.act(c);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Cut that many bytes off the last WAL segment, as a crash mid-write would");
    same_line_or_wrap(button_width("Flip a byte"));
    if (ImGui::Button("Flip a byte")) {
        c.kind = Kind::flip_byte;
        c.bytes = static_cast<std::uint64_t>(f.wal_bytes);
        ui.act(c);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Flip the byte that many bytes before the end of the last segment (bit rot)");
}

std::map<std::string, std::string> parse_labels(const std::string& text) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::string item = text.substr(start, end - start);
        const auto trim = [](std::string s) {
            const auto a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
            return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
        };
        const auto eq = item.find('=');
        if (eq != std::string::npos) out[trim(item.substr(0, eq))] = trim(item.substr(eq + 1));
        start = end + 1;
    }
    return out;
}

void produce(Ui& ui, Forms& f) {
    topic_field(ui, f.produce.topic);
    const float w = ImGui::GetFontSize() * 10.0f;
    ImGui::SetNextItemWidth(w);
    ImGui::InputText("Key", &f.produce.key);
    const sim::Scenario& sc = ui.session().world().scenario();
    const std::optional<std::int32_t> po = f.override_partition ? f.env.partition_override : std::nullopt;
    const KeyRoute route = route_key(sc, ui.session().world().broker(), f.produce.topic, f.produce.key, po);
    ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
    ImGui::TextWrapped("-> %s%s: %s", route.topic.c_str(),
                       route.partition ? (" p" + std::to_string(*route.partition)).c_str() : "", route.why.c_str());
    ImGui::PopStyleColor();
    ImGui::SetNextItemWidth(w);
    ImGui::InputText("Value", &f.produce.value);
    if (ImGui::TreeNode("Envelope")) {
        Envelope& e = f.env;
        for (auto [label, field] : {std::pair{"Run id", &e.run_id}, {"Step id", &e.step_id}, {"Parent step", &e.parent_step_id},
                                    {"Tenant", &e.tenant_id}, {"Idempotency key", &e.idempotency_key}, {"Target topic", &e.target_topic}}) {
            ImGui::SetNextItemWidth(w);
            ImGui::InputText(label, field);
        }
        ImGui::SetNextItemWidth(w);
        ImGui::InputText("Labels (k=v, ...)", &f.labels);
        ImGui::Checkbox("Deadline (ms)", &f.deadline);
        if (f.deadline) {
            ImGui::SameLine();
            ImGui::SetNextItemWidth(w * 0.6f);
            ImGui::InputScalar("##deadline", ImGuiDataType_S64, &*e.deadline_ms);
        }
        ImGui::Checkbox("Retry policy", &f.retry);
        if (f.retry) {
            ImGui::SetNextItemWidth(w * 0.6f);
            ImGui::InputInt("max attempts", &e.retry_policy->max_attempts);
            ImGui::SetNextItemWidth(w * 0.6f);
            ImGui::InputScalar("backoff ms", ImGuiDataType_S64, &e.retry_policy->backoff_ms);
            ImGui::SetNextItemWidth(w * 0.6f);
            ImGui::InputScalar("max backoff ms", ImGuiDataType_S64, &e.retry_policy->max_backoff_ms);
        }
        ImGui::Checkbox("Partition override", &f.override_partition);
        if (f.override_partition) {
            ImGui::SameLine();
            ImGui::SetNextItemWidth(w * 0.6f);
            ImGui::InputInt("##partition", &*e.partition_override);
        }
        ImGui::TreePop();
    }
    if (ImGui::Button("Produce")) {
        sim::Command c = f.produce;
        Envelope e = f.env;
        if (!f.deadline) e.deadline_ms.reset();
        if (!f.retry) e.retry_policy.reset();
        if (!f.override_partition) e.partition_override.reset();
        e.labels = parse_labels(f.labels);
        if (!(e == Envelope{})) c.envelope = e;
        ui.act(c);
    }
}

void add_consumer(Ui& ui, Forms& f) {
    sim::Command& c = f.consumer;
    const float w = ImGui::GetFontSize() * 10.0f;
    ImGui::SetNextItemWidth(w);
    ImGui::InputText("Name", &c.consumer);
    topic_field(ui, c.topic);
    ImGui::SetNextItemWidth(w);
    ImGui::InputText("Group", &c.group);
    const char* behaviours[] = {"ack", "nack", "hang", "manual"};
    int b = static_cast<int>(c.behaviour);
    ImGui::SetNextItemWidth(w);
    if (ImGui::Combo("Answers", &b, behaviours, 4)) c.behaviour = static_cast<sim::ConsumerBehaviour>(b);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("ack or nack after its processing time, hang (never answer: leases expire), or manual (you answer in In flight)");
    ImGui::SetNextItemWidth(w * 0.6f);
    ImGui::InputScalar("Lease ms (0: default)", ImGuiDataType_S64, &c.lease_ms);
    ImGui::SetNextItemWidth(w * 0.6f);
    ImGui::InputScalar("Processing ms", ImGuiDataType_S64, &c.processing_ms);
    if (c.behaviour == sim::ConsumerBehaviour::nack) {
        ImGui::SetNextItemWidth(w);
        ImGui::InputText("Nack reason", &c.text);
    }
    if (ImGui::Button("Add consumer")) ui.act(c);
}

void any_command(Ui& ui, Forms& f) {
    sim::Command& c = f.any;
    const float w = ImGui::GetFontSize() * 10.0f;
    ImGui::SetNextItemWidth(w);
    if (ImGui::BeginCombo("Command", std::string(sim::to_string(c.kind)).c_str())) {
        for (int k = 0; k <= static_cast<int>(Kind::flip_byte); ++k) {
            const auto kind = static_cast<Kind>(k);
            if (ImGui::Selectable(std::string(sim::to_string(kind)).c_str(), kind == c.kind)) c.kind = kind;
        }
        ImGui::EndCombo();
    }
    const sim::CommandShape shape = sim::command_shape(c.kind);
    auto has = [&](std::uint32_t field) { return (shape.fields & field) != 0; };
    auto text = [&](const char* label, std::string& v) { ImGui::SetNextItemWidth(w); ImGui::InputText(label, &v); };
    auto num64 = [&](const char* label, std::int64_t& v) { ImGui::SetNextItemWidth(w * 0.6f); ImGui::InputScalar(label, ImGuiDataType_S64, &v); };
    if (has(sim::kTopic)) topic_field(ui, c.topic);
    if (has(sim::kPartitions)) { ImGui::SetNextItemWidth(w * 0.6f); ImGui::InputInt("Partitions", &c.partitions); }
    if (has(sim::kConsumer)) text("Consumer", c.consumer);
    if (has(sim::kGroup)) text("Group##any", c.group);
    if (has(sim::kTenant)) text("Tenant", c.tenant);
    if (has(sim::kKey)) text("Key##any", c.key);
    if (has(sim::kValue)) text("Value##any", c.value);
    if (has(sim::kOwner)) text("Owner", c.owner);
    if (has(sim::kPartition)) { ImGui::SetNextItemWidth(w * 0.6f); ImGui::InputInt("Partition", &c.partition); }
    if (has(sim::kOffset)) num64("Offset", c.offset);
    if (has(sim::kLeaseMs)) num64("Lease ms", c.lease_ms);
    if (has(sim::kText)) text(*shape.text_name ? shape.text_name : "Text", c.text);
    if (has(sim::kBytes)) { ImGui::SetNextItemWidth(w * 0.6f); ImGui::InputScalar("Bytes", ImGuiDataType_U64, &c.bytes); }
    if (ImGui::Button("Apply command")) ui.act(c);
    ImGui::TextDisabled("%s", sim::describe(c).c_str());
}

}  // namespace

void draw_actions(Ui& ui) {
    static Forms forms;
    follow_scenario(forms, ui);
    ImGui::TextDisabled("At t = %lld ms%s", static_cast<long long>(ui.session().now()),
                        ui.session().at_head() ? "" : ". Acting here starts a new branch.");
    if (ImGui::CollapsingHeader("Faults", ImGuiTreeNodeFlags_DefaultOpen)) faults(ui, forms);
    if (ImGui::CollapsingHeader("Dead letters: redrive", ImGuiTreeNodeFlags_DefaultOpen)) draw_redrive(ui);
    if (ImGui::CollapsingHeader("Produce a message", ImGuiTreeNodeFlags_DefaultOpen)) produce(ui, forms);
    if (ImGui::CollapsingHeader("Add a consumer")) add_consumer(ui, forms);
    if (ImGui::CollapsingHeader("Any command")) any_command(ui, forms);
}

}  // namespace driftq::ui
