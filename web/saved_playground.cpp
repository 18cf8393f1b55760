#include "web/saved_playground.hpp"

#include <algorithm>
#include <cassert>

#include "base/version.hpp"
#include "broker/recovery.hpp"
#include "imgui.h"
#include "sim/scenario.hpp"
#include "wal/storage_mirror.hpp"
#include "web/saved_session.hpp"

namespace driftq::web {

namespace {

constexpr const char* kSession = "session.json";
constexpr const char* kPrevious = "session.previous.json";  // the kept session the current one replaced
constexpr const char* kIni = "imgui.ini";
constexpr const char* kWal = "wal/";
constexpr double kSaveEveryMs = 500;

std::string seconds(TimeMs ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(ms) / 1000.0);
    return buf;
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Records [0, n) of the WAL survive a power cut: the synced ones, or (broker down) all that the
// crash left on the disk.
std::uint64_t durable_records_of(const sim::WalView& wal) {
    if (!wal.enabled) return 0;
    if (wal.broker_running) return wal.durable;
    return wal.contents ? wal.contents->record_count : 0;
}

}  // namespace

std::map<std::string, std::int64_t> committed_offsets(const Broker& broker) {
    std::map<std::string, std::int64_t> out;
    for (const auto& [topic, t] : broker.topics()) {
        for (const auto& [group, g] : t.groups) {
            for (std::int32_t p = 0; p < static_cast<std::int32_t>(t.partitions.size()); ++p) {
                out[topic + "/" + group + "/" + std::to_string(p)] = broker.committed_offset(topic, group, p);
            }
        }
    }
    return out;
}

void SavedPlayground::load_settings() {
    if (auto ini = storage_.read(kIni)) ImGui::LoadIniSettingsFromMemory(ini.value().data(), ini.value().size());
}

bool SavedPlayground::resume(ui::Ui& ui) {
    if (!storage_.read(kSession)) return false;
    if (!open_kept(ui, kSession, /*recover=*/true)) return false;
    std::string said = "Welcome back: " + ui.scenario_name() + " at " + seconds(ui.session().now()) +
                       (commands_before_ > 0 ? ", " + plural(commands_before_, "command", "commands") + " of yours replayed." : ".");
    if (recovered_.attempted) {
        said += recovered_.error.empty()
                    ? " The WAL kept in this browser rebuilt a broker from " + plural(recovered_.records, "record", "records") +
                          (recovered_.matches_run ? ", the same state as the run." : ".")
                    : " The WAL kept in this browser could not be replayed: " + recovered_.error;
    }
    ui.set_status(said, !recovered_.error.empty());
    return true;
}

std::string SavedPlayground::previous_name() const {
    auto text = storage_.read(kPrevious);
    if (!text) return {};
    auto s = read_saved_session(text.value(), kPrevious);
    return s ? s->name : std::string(kPrevious);
}

bool SavedPlayground::reopen_previous(ui::Ui& ui) {
    if (!storage_.read(kPrevious)) return false;
    if (!open_kept(ui, kPrevious, /*recover=*/false)) return false;  // wal/ is the other session's
    ui.set_status("Reopened " + ui.scenario_name() + " at " + seconds(ui.session().now()) +
                  "; the session you left is now the previous one (File menu).");
    return true;
}

bool SavedPlayground::open_kept(ui::Ui& ui, const char* file, bool recover) {
    auto text = storage_.read(file);
    assert(text && "callers check the file is there");
    auto saved = read_saved_session(text.value(), file);
    const auto reject = [&](const std::string& why) {
        const std::string aside = unused_name("session.rejected", ".json");
        (void)storage_.rename(file, aside);  // kept, not lost: the next save would overwrite it
        (void)storage_.sync_dir();
        ui.notify("A kept session could not be reopened",
                  why + "\n\nIt is kept in this browser as " + aside + "; " +
                      (ui.has_session() ? "the current session stays." : "lesson 1 opens instead."),
                  true);
        return false;
    };
    if (!saved) return reject(saved.error().message);
    if (!ui.open(saved->scenario, saved->name)) return reject(ui.open_errors());
    // A cursor past the scenario's own end would have the simulation run for ever.
    ui.seek(std::min(saved->at_ms, ui.session().world().scenario().until_ms));
    recovered_ = RecoveredWal{};
    if (recover) recover_wal(ui);
    // The saved scenario holds the person's commands in its timeline: they replay as its own.
    commands_before_ = saved->commands;
    resumed_serial_ = ui.session_serial();
    if (saved->engine != kEngineVersion) {
        ui.notify("Saved by another engine version",
                  "This session was saved by engine " + (saved->engine.empty() ? std::string("(unknown)") : saved->engine) +
                      "; this playground runs " + kEngineVersion +
                      ". It replayed your commands with this engine, so the run may differ from what you saw.",
                  true);
    }
    saved_key_ = {};  // write it back in this engine's form at the next save
    return true;
}

std::string SavedPlayground::unused_name(const std::string& stem, const std::string& ext) const {
    for (int n = 1;; ++n) {
        const std::string name = stem + "-" + std::to_string(n) + ext;
        if (!storage_.read(name)) return name;
    }
}

void SavedPlayground::recover_wal(const ui::Ui& ui) {
    const sim::Scenario& sc = ui.session().world().scenario();
    if (!sc.wal) return;
    recovered_ = RecoveredWal{};
    recovered_.attempted = true;
    auto files = copy_out(storage_, kWal);  // recovery may repair what it reads: work on a copy
    if (!files) {
        recovered_.error = files.error().message;
        return;
    }
    MemoryStorage disk = std::move(files).value();
    Broker broker(sc.broker);
    auto restored = restore_broker(broker, disk, *sc.wal, ui.session().now());
    if (!restored) {
        recovered_.error = restored.error().message;
        return;
    }
    recovered_.records = restored.value().contents.record_count;
    recovered_.committed = committed_offsets(broker);
    const Broker* live = ui.session().world().broker();
    recovered_.matches_run = live && live->dump_durable_state() == broker.dump_durable_state();
}

void SavedPlayground::save(ui::Ui& ui) {
    if (ImGui::GetIO().WantSaveIniSettings) {
        std::size_t n = 0;
        const char* ini = ImGui::SaveIniSettingsToMemory(&n);
        (void)write_file_atomic(storage_, kIni, std::string_view(ini, n));
        ImGui::GetIO().WantSaveIniSettings = false;
    }
    if (!ui.has_session()) return;
    const sim::Session& s = ui.session();
    if (ui.session_serial() != resumed_serial_) commands_before_ = 0;  // another session since
    const Key key{ui.session_serial(), s.branch(), s.commands().size(), s.now(), s.visible_events()};
    if (saved_once_ && key == saved_key_) return;
    saved_key_ = key;
    saved_once_ = true;
    // Another session replaces the kept one (a lesson, a file, a link): keep that one as the
    // previous session, which the File menu reopens.
    if (ui.session_serial() != kept_serial_ && kept_serial_ != 0 && storage_.read(kSession)) {
        (void)storage_.rename(kSession, kPrevious);
    } else if (kept_serial_ == 0 && ui.session_serial() != resumed_serial_ && storage_.read(kSession)) {
        (void)storage_.rename(kSession, kPrevious);  // the page opened something else than what was kept
    }
    kept_serial_ = ui.session_serial();
    SavedSession out;
    out.engine = kEngineVersion;
    out.name = ui.scenario_name();
    out.at_ms = s.now();
    out.commands = s.commands().size() + commands_before_;
    out.scenario = sim::write_scenario(s.scenario());
    Status st = write_file_atomic(storage_, kSession, write_saved_session(out));
    auto mirrored = mirror_synced(s.world().wal_storage(), storage_, kWal);
    if (!st || !mirrored) return;  // in-memory storage: cannot fail short of memory
    pending_records_ = durable_records_of(ui.wal());
}

void SavedPlayground::update(ui::Ui& ui, double now_ms) {
    if (now_ms - last_save_ms_ >= kSaveEveryMs && !storage_.in_flight()) {
        last_save_ms_ = now_ms;
        save(ui);
        if (const std::uint64_t epoch = storage_.flush()) records_of_epoch_[epoch] = pending_records_;
    }
    report(ui);
}

void SavedPlayground::report(ui::Ui& ui) {
    const std::uint64_t epoch = storage_.durable_epoch();
    if (epoch != reported_epoch_) {
        reported_epoch_ = epoch;
        durable_records_ = records_of_epoch_[epoch];
        records_of_epoch_.erase(records_of_epoch_.begin(), records_of_epoch_.upper_bound(epoch));
    }
    const IdbError err = storage_.error();
    if (err != IdbError::none) {
        if (err != reported_error_) ui.notify("Not saved in this browser", storage_.advice() + "\n\n(What the browser said: " + storage_.error_text() + ")", true);
        ui.set_storage_line("Not saved in this browser (" + storage_.error_text() + ")", true);
    } else if (epoch == 0) {
        ui.set_storage_line(storage_.in_flight() ? "Saving in this browser..." : "");
    } else {
        ui.set_storage_line("Saved in this browser" +
                            (ui.has_session() && ui.session().world().scenario().wal
                                 ? ": WAL durable up to record " + std::to_string(durable_records_)
                                 : std::string()) +
                            (storage_.in_flight() ? " (saving...)" : ""));
    }
    reported_error_ = err;
}

}  // namespace driftq::web
