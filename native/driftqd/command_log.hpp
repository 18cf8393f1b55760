// GET /live/commands (with --web): the live broker's history as NDJSON, so a page can mirror it
// exactly (the web playground's live mode). The first line is {"scenario": ...} (the scenario the
// broker runs, as a scenario file's JSON); then one line per applied command, a timeline entry
// as scenario files write them ({"at":...,"action":...,...,"expect":...}); and {"now": T} after
// each round, how far the broker's clock has run. A new reader gets the whole history first.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "native/driftqd/stream_feed.hpp"
#include "sim/command.hpp"

namespace driftq::http {

class CommandLog {
public:
    // `scenario_json`: the scenario the broker runs, as a scenario file's JSON object.
    explicit CommandLog(const std::string& scenario_json);

    // From the broker thread, after each round.
    void add_round(const std::vector<sim::TimedCommand>& applied, TimeMs now);
    // A new reader: the history is queued at once, then every round as it comes.
    void subscribe(const std::shared_ptr<StreamFeed>& feed);
    // Bounds for a reader's feed: the whole history must fit.
    static constexpr std::size_t kMaxLines = 50'000'000, kMaxBytes = std::size_t{1} << 30;

private:
    std::mutex mutex_;
    std::vector<std::string> lines_;  // the scenario line, then commands and times, in order
    std::vector<std::shared_ptr<StreamFeed>> feeds_;
};

}  // namespace driftq::http
