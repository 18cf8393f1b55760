// WAL inspector: the durable point (records synced vs only written, which a crash loses), the
// segments, every decoded record, damage found by reading (a torn tail, corruption, quarantined
// files) and the recovery report of the last restart.
#include <string>

#include "imgui.h"
#include "ui/panels.hpp"
#include "ui/theme.hpp"

namespace driftq::ui {

namespace {

void durable_bar(const sim::WalView& w) {
    const float width = ImGui::GetContentRegionAvail().x, h = ImGui::GetTextLineHeight() + 4;
    const ImVec2 a = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::uint64_t total = std::max<std::uint64_t>({w.appended, w.durable, 1});
    const float xd = a.x + width * static_cast<float>(static_cast<double>(w.durable) / static_cast<double>(total));
    dl->AddRectFilled(a, ImVec2(a.x + width, a.y + h), IM_COL32(255, 255, 255, 20), 3.0f);
    dl->AddRectFilled(a, ImVec2(xd, a.y + h), colors::cell(CellState::acked), 3.0f);
    if (w.appended > w.durable) dl->AddRectFilled(ImVec2(xd, a.y), ImVec2(a.x + width, a.y + h), colors::cell(CellState::in_flight), 3.0f);
    const std::string text = "durable: records 0.." + std::to_string(w.durable) +
                             (w.appended > w.durable ? "   not yet synced: " + std::to_string(w.appended - w.durable) + " (a crash loses them)" : "");
    dl->AddText(ImVec2(a.x + 6, a.y + 2), IM_COL32(255, 255, 255, 255), text.c_str());
    ImGui::Dummy(ImVec2(width, h));
}

void recovery(const sim::RecoveryReport& r) {
    ImGui::Text("Last restart at %lld ms: %llu records replayed, %llu unsynced lost, %llu quarantined, %llu bytes torn",
                static_cast<long long>(r.at), static_cast<unsigned long long>(r.records_recovered),
                static_cast<unsigned long long>(r.records_unsynced), static_cast<unsigned long long>(r.records_quarantined),
                static_cast<unsigned long long>(r.bytes_torn));
    // What "bytes torn" counted: not the bytes a fault cut, but what was left on disk of the
    // record it interrupted, set aside from where that record begins.
    for (const sim::RecoveryReport::TornSpan& t : r.torn) {
        constexpr std::uint64_t kHeader = 16;
        const std::string part = t.bytes <= kHeader ? "part of its 16-byte header"
                                                    : "its 16-byte header and " + std::to_string(t.bytes - kHeader) + " bytes of its payload";
        ImGui::PushStyleColor(ImGuiCol_Text, colors::dim_text());
        ImGui::TextWrapped("%llu bytes torn: %s from byte %llu to its end, %s (%s), set aside and not replayed.",
                           static_cast<unsigned long long>(t.bytes), t.file.c_str(), static_cast<unsigned long long>(t.offset),
                           t.torn_tail ? "what was left of the record that was being written" : "a damaged record and what followed it",
                           part.c_str());
        ImGui::PopStyleColor();
    }
    for (const std::string& i : r.issues) ImGui::BulletText("%s", i.c_str());
}

void records(const WalContents& c, std::uint64_t durable, bool running) {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerV;
    if (!ImGui::BeginTable("##wal_records", 4, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Record");
    ImGui::TableSetupColumn("Segment");
    ImGui::TableSetupColumn("Byte");
    ImGui::TableSetupColumn("What", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(c.records.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const auto k = static_cast<std::size_t>(i);
            const bool unsynced = running && k >= durable;
            ImGui::TableNextRow();
            if (unsynced) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, (colors::cell(CellState::in_flight) & 0x00FFFFFFu) | 0x40000000u);
            ImGui::TableNextColumn();
            ImGui::Text("%d", i);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.segments[c.record_segments[k]].name.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(c.record_offsets[k]));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(describe(c.records[k]).c_str());
        }
    }
    ImGui::EndTable();
}

}  // namespace

void draw_wal(Ui& ui) {
    const sim::WalView& w = ui.wal();
    if (!w.enabled) {
        ImGui::TextWrapped("This scenario runs without a WAL: a broker crash loses everything. Lessons 15 and 16 have one.");
        return;
    }
    ImGui::Text("Broker %s.", w.broker_running ? "running" : "down: the WAL below is what a restart will read");
    if (w.broker_running) durable_bar(w);
    if (const auto& r = ui.session().world().last_recovery()) recovery(*r);
    if (!w.read_error.empty()) {
        ImGui::TextColored(colors::error_text(), "The WAL cannot be read: %s", w.read_error.c_str());
        return;
    }
    if (!w.contents) return;
    const WalContents& c = *w.contents;
    if (c.damage) {
        ImGui::TextColored(colors::error_text(), "%s in %s at byte %llu: %s", c.damage->torn ? "Torn tail" : "Damage",
                           c.damage->segment < c.segments.size() ? c.segments[c.damage->segment].name.c_str() : "?",
                           static_cast<unsigned long long>(c.damage->offset), c.damage->detail.c_str());
    }
    for (const RecoveryIssue& i : c.issues) ImGui::BulletText("%s", to_string(i).c_str());
    std::string segs;
    for (const WalSegment& s : c.segments) segs += (segs.empty() ? "" : ", ") + s.name + " (" + std::to_string(s.size) + " bytes, from record " + std::to_string(s.first_record) + ")";
    ImGui::TextWrapped("Segments: %s", segs.empty() ? "none" : segs.c_str());
    records(c, w.durable, w.broker_running);
}

}  // namespace driftq::ui
