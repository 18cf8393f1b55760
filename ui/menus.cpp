// The File menu (open, save or download the session, its trace and its WAL, share a link), the
// notice modal and the host's persistence line. Saving goes through the Host: files on the
// desktop, downloads in the browser.
#include <string>

#include "imgui.h"
#include "sim/scenario.hpp"
#include "ui/tar_writer.hpp"
#include "ui/theme.hpp"
#include "ui/ui.hpp"

namespace driftq::ui {

namespace {

constexpr std::uint64_t kMaxTraceEvents = 1'000'000;

// "04-ack-timeout-redelivery.json" -> "04-ack-timeout-redelivery"
std::string stem(const std::string& name) {
    const std::size_t slash = name.find_last_of('/');
    std::string s = slash == std::string::npos ? name : name.substr(slash + 1);
    const std::size_t dot = s.rfind('.');
    if (dot != std::string::npos && dot > 0) s.resize(dot);
    return s.empty() ? "session" : s;
}

void save(Ui& ui, const std::string& name, const std::string& bytes, const std::string& what) {
    auto where = ui.host().save_file(name, bytes);
    if (where) ui.set_status("Saved " + what + " to " + where.value() + ".");
    else ui.set_status("Could not save " + what + ": " + where.error().message, true);
}

// The WAL's files (the simulated disk as it is at the cursor) as one tar archive.
std::string wal_archive(const sim::World& world) {
    TarWriter tar;
    const Storage& disk = world.wal_storage();
    if (auto names = disk.list()) {
        for (const std::string& n : names.value()) {
            if (auto bytes = disk.read(n)) tar.add("wal/" + n, bytes.value());
        }
    }
    return std::move(tar).finish();
}

}  // namespace

std::string Ui::trace_text() const {
    std::string out;
    if (!session_) return out;
    const sim::EventLog& log = session_->log();
    for (std::uint64_t i = 0; i < session_->visible_events(); ++i) out += to_json(log[static_cast<std::size_t>(i)]) + "\n";
    return out;
}

void Ui::draw_file_menu() {
    if (!ImGui::BeginMenu("File")) return;
    if (ImGui::MenuItem("Open a scenario file...", nullptr, false, true)) {
        if (!host_.pick_file()) {
            state_.is_open(Panel::scenario) = true;
            set_status("Type the file's path in the Scenario tab and press Open, or drop the file on the window.");
        }
    }
    if (const std::string previous = host_.previous_session(); !previous.empty()) {
        if (ImGui::MenuItem(("Reopen the previous session (" + previous + ")").c_str())) host_.reopen_previous_session();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("The session this one replaced; this one then becomes the previous.");
    }
    ImGui::Separator();
    const bool any = session_ != nullptr;
    const std::string base = stem(scenario_name_);
    if (ImGui::MenuItem("Save the session as a scenario", nullptr, false, any)) {
        save(*this, base + "-session.json", sim::write_scenario(session_->scenario()),
             "the session (it replays this run, your commands included)");
    }
    // About 120 bytes an event: past a million events the text would not fit a browser tab.
    const bool trace_fits = any && session_->visible_events() <= kMaxTraceEvents;
    if (ImGui::MenuItem("Save the trace (NDJSON)", nullptr, false, trace_fits)) {
        save(*this, base + "-trace.ndjson", trace_text(), "the trace up to the cursor");
    }
    if (any && !trace_fits && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::SetTooltip("Over a million events: save the session and run `driftq-sim trace` on it.");
    }
    const bool has_wal = any && session_->world().scenario().wal.has_value();
    if (ImGui::MenuItem("Save the WAL (tar of its segments)", nullptr, false, has_wal)) {
        save(*this, base + "-wal.tar", wal_archive(session_->world()), "the WAL as it is at the cursor");
    }
    if (ImGui::IsItemHovered() && !has_wal) ImGui::SetTooltip("This scenario runs without a WAL.");
    ImGui::Separator();
    if (ImGui::MenuItem("Copy a share link", nullptr, false, any)) {
        const sim::Scenario sc = session_->scenario();
        if (!host_.share(scenario_name_, sim::write_scenario(sc), sc.seed, session_->now())) {
            set_status("Links are for the web playground; save the session and send the file instead.");
        }
    }
    ImGui::EndMenu();
}

void Ui::notify(std::string title, std::string body, bool warning, std::string copyable) {
    notices_.push_back(Notice{std::move(title), std::move(body), warning, std::move(copyable)});
}

void Ui::set_storage_line(std::string text, bool error) {
    storage_line_ = std::move(text);
    storage_error_ = error;
}

void Ui::draw_notice() {
    if (notices_.empty()) return;
    const char* id = "Notice##driftq";
    if (!notice_opened_) {
        ImGui::OpenPopup(id);
        notice_opened_ = true;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float em = ImGui::GetFontSize();
    ImGui::SetNextWindowPos(vp->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(em * 24, 0), ImVec2(em * 40, vp->Size.y * 0.8f));
    if (!ImGui::BeginPopupModal(id, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
        notices_.pop_front();  // closed some other way
        notice_opened_ = false;
        return;
    }
    Notice& n = notices_.front();
    if (n.warning) ImGui::PushStyleColor(ImGuiCol_Text, colors::error_text());
    ImGui::TextUnformatted(n.title.c_str());
    if (n.warning) ImGui::PopStyleColor();
    ImGui::Separator();
    ImGui::PushTextWrapPos(em * 38);
    ImGui::TextUnformatted(n.body.c_str());
    ImGui::PopTextWrapPos();
    if (!n.copyable.empty()) {  // selectable, so Ctrl+C works where the page could not copy
        ImGui::SetNextItemWidth(em * 30);
        ImGui::InputText("##copyable", n.copyable.data(), n.copyable.size() + 1, ImGuiInputTextFlags_ReadOnly | ImGuiInputTextFlags_AutoSelectAll);
        ImGui::SameLine();
        if (ImGui::Button("Copy")) host_.copy_text(n.copyable);
    }
    ImGui::Spacing();
    if (notices_.size() > 1) ImGui::TextDisabled("%zu more after this one", notices_.size() - 1);
    if (ImGui::Button("OK", ImVec2(em * 6, 0)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        ImGui::CloseCurrentPopup();
        notices_.pop_front();
        notice_opened_ = false;
    }
    ImGui::EndPopup();
}

}  // namespace driftq::ui
