#include "native/driftqd/command_log.hpp"

#include <algorithm>

#include "sim/scenario.hpp"

namespace driftq::http {

CommandLog::CommandLog(const std::string& scenario_json, CommandLogLimits limits) : limits_(limits) {
    // On one line: the JSON's newlines are only indentation (strings cannot hold raw ones).
    std::string one_line = "{\"scenario\":";
    for (char c : scenario_json) {
        if (c != '\n') one_line += c;
    }
    open_piece_ = one_line + "}\n";
    history_bytes_ = open_piece_.size();
}

void CommandLog::add_round(const std::vector<sim::TimedCommand>& applied, TimeMs now) {
    std::vector<std::string> fresh;
    fresh.reserve(applied.size() + 1);
    for (const sim::TimedCommand& c : applied) fresh.push_back(sim::write_command(c) + "\n");
    fresh.push_back("{\"now\":" + std::to_string(now) + "}\n");
    std::lock_guard lock(mutex_);
    for (const std::string& line : fresh) {
        for (auto& f : feeds_) (void)f->push(line);
        if (history_full_) continue;
        if (history_bytes_ + line.size() > limits_.max_history_bytes) {
            // The history can no longer be whole: keep none of it, refuse new readers.
            history_full_ = true;
            pieces_.clear();
            open_piece_.clear();
            open_piece_.shrink_to_fit();
            continue;
        }
        history_bytes_ += line.size();
        open_piece_ += line;
        if (open_piece_.size() >= kPieceBytes) {
            pieces_.push_back(std::make_shared<const std::string>(std::move(open_piece_)));
            open_piece_.clear();
        }
    }
    drop_gone_readers();
}

void CommandLog::drop_gone_readers() {
    feeds_.erase(std::remove_if(feeds_.begin(), feeds_.end(), [](const auto& f) { return !f->push_allowed(); }), feeds_.end());
}

std::optional<CommandLog::Refusal> CommandLog::subscribe(const std::shared_ptr<StreamFeed>& feed) {
    std::lock_guard lock(mutex_);
    drop_gone_readers();
    if (feeds_.size() >= limits_.max_readers) {
        return Refusal{429, std::to_string(feeds_.size()) + " pages already mirror this broker; at most " +
                                std::to_string(limits_.max_readers) + " may (--max-live-readers)"};
    }
    if (history_full_) {
        return Refusal{503, "the broker's history passed " + std::to_string(limits_.max_history_bytes) +
                                " bytes (--live-history-bytes), so a new page cannot mirror it from its start; restart "
                                "driftqd with a fresh WAL or a larger bound"};
    }
    // Pointers to the full pieces and a copy of the open one: the only copy made under the lock.
    std::vector<std::shared_ptr<const std::string>> history = pieces_;
    if (!open_piece_.empty()) history.push_back(std::make_shared<const std::string>(open_piece_));
    feed->set_history(std::move(history));
    feeds_.push_back(feed);
    return std::nullopt;
}

std::size_t CommandLog::readers() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(feeds_.begin(), feeds_.end(), [](const auto& f) { return f->push_allowed(); }));
}

std::size_t CommandLog::history_bytes() const {
    std::lock_guard lock(mutex_);
    return history_full_ ? 0 : history_bytes_;
}

}  // namespace driftq::http
