// What the playground keeps in this browser between visits, in IndexedDB (IdbStorage):
//   session.json  the session on screen: its scenario with the person's commands, its name and
//                 the cursor, so a reload comes back to the same moment;
//   wal/...       the run's WAL as the simulated disk holds it at the cursor (synced bytes only:
//                 what a power cut would leave), so a reload can rebuild a broker from it;
//   session.previous.json  the kept session the current one replaced (File > Reopen);
//   imgui.ini     the panel layout and settings.
// It writes at most twice a second, one browser transaction at a time, and says a record is kept
// only once the browser has confirmed the transaction that holds it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "ui/ui.hpp"
#include "web/idb_storage.hpp"

namespace driftq::web {

// A broker rebuilt from the WAL the browser kept, at a reload.
struct RecoveredWal {
    bool attempted = false;
    std::uint64_t records = 0;                      // replayed into the rebuilt broker
    std::map<std::string, std::int64_t> committed;  // "topic/group/p" -> committed offset
    bool matches_run = false;  // its durable state equals the replayed run's at the cursor
    std::string error;
};

// Committed offsets of every group and partition, as "topic/group/p" -> offset (-1: none).
std::map<std::string, std::int64_t> committed_offsets(const Broker& broker);

class SavedPlayground {
public:
    explicit SavedPlayground(IdbStorage& storage) : storage_(storage) {}

    // At start, before the first frame: the panel layout and settings.
    void load_settings();
    // At start: reopens the saved session at its cursor and rebuilds a broker from the saved WAL,
    // telling the person how far it got. False when nothing (usable) was saved.
    bool resume(ui::Ui& ui);
    // The kept session the current one replaced ("" when none), and reopening it (the two swap).
    std::string previous_name() const;
    bool reopen_previous(ui::Ui& ui);
    // Each frame: saves what changed and keeps the status line and the error notices current.
    void update(ui::Ui& ui, double now_ms);

    const RecoveredWal& recovered() const { return recovered_; }
    // Records of the WAL the browser has confirmed keeping (0 before the first confirmation).
    std::uint64_t durable_records() const { return durable_records_; }
    std::uint64_t epochs_confirmed() const { return storage_.durable_epoch(); }
    const IdbStorage& storage() const { return storage_; }

private:
    void save(ui::Ui& ui);
    void report(ui::Ui& ui);
    void recover_wal(const ui::Ui& ui);
    // Opens a kept session file (and rebuilds a broker from the kept WAL if it is that WAL's
    // session); one that does not open is set aside under a new name, and the person told.
    bool open_kept(ui::Ui& ui, const char* file, bool recover);
    std::string unused_name(const std::string& stem, const std::string& ext) const;

    IdbStorage& storage_;
    using Key = std::tuple<std::uint64_t, int, std::size_t, TimeMs, std::uint64_t>;  // session, branch, commands, now, events
    Key saved_key_{};
    bool saved_once_ = false;
    double last_save_ms_ = -1e9;
    std::map<std::uint64_t, std::uint64_t> records_of_epoch_;  // durable WAL records each epoch holds
    std::uint64_t pending_records_ = 0;  // what the files written last hold
    std::uint64_t durable_records_ = 0;
    RecoveredWal recovered_;
    std::size_t commands_before_ = 0;  // the person's commands in the resumed scenario's timeline
    std::uint64_t resumed_serial_ = 0;
    std::uint64_t kept_serial_ = 0;  // the session session.json holds (0: none saved by this page yet)
    IdbError reported_error_ = IdbError::none;
    std::uint64_t reported_epoch_ = 0;
};

}  // namespace driftq::web
