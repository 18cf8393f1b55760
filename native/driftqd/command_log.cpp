#include "native/driftqd/command_log.hpp"

#include <algorithm>

#include "sim/scenario.hpp"

namespace driftq::http {

CommandLog::CommandLog(const std::string& scenario_json) {
    // On one line: the JSON's newlines are only indentation (strings cannot hold raw ones).
    std::string one_line;
    for (char c : scenario_json) {
        if (c != '\n') one_line += c;
    }
    lines_.push_back("{\"scenario\":" + one_line + "}\n");
}

void CommandLog::add_round(const std::vector<sim::TimedCommand>& applied, TimeMs now) {
    std::vector<std::string> fresh;
    fresh.reserve(applied.size() + 1);
    for (const sim::TimedCommand& c : applied) fresh.push_back(sim::write_command(c) + "\n");
    fresh.push_back("{\"now\":" + std::to_string(now) + "}\n");
    std::lock_guard lock(mutex_);
    for (const std::string& line : fresh) {
        lines_.push_back(line);
        for (auto& f : feeds_) (void)f->push(line);
    }
    // Readers that left or fell behind are dropped.
    feeds_.erase(std::remove_if(feeds_.begin(), feeds_.end(), [](const auto& f) { return !f->push_allowed(); }), feeds_.end());
}

void CommandLog::subscribe(const std::shared_ptr<StreamFeed>& feed) {
    std::lock_guard lock(mutex_);
    for (const std::string& line : lines_) (void)feed->push(line);
    feeds_.push_back(feed);
}

}  // namespace driftq::http
