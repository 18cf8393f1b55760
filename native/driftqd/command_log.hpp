// GET /live/commands (with --web): the live broker's history as NDJSON, so a page can mirror it
// exactly (the web playground's live mode). The first line is {"scenario": ...} (the scenario the
// broker runs, as a scenario file's JSON); then one line per applied command, a timeline entry
// as scenario files write them ({"at":...,"action":...,...,"expect":...}); and {"now": T} after
// each round, how far the broker's clock has run. A new reader gets the whole history first.
//
// Bounded (issue 20): the history is kept in shared 64 KiB pieces that readers write out a few
// at a time, so a new reader costs the broker thread a copy of at most one piece under the
// lock, and no reader holds a copy of it all. Past `max_history_bytes` the history stops
// growing: readers already mirroring go on, new ones are refused (a page can mirror the broker
// only from its start). At most `max_readers` read at once.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "native/driftqd/stream_feed.hpp"
#include "sim/command.hpp"

namespace driftq::http {

struct CommandLogLimits {
    std::size_t max_history_bytes = std::size_t{64} << 20;  // --live-history-bytes
    std::size_t max_readers = 16;                          // --max-live-readers
};

class CommandLog {
public:
    // `scenario_json`: the scenario the broker runs, as a scenario file's JSON object.
    explicit CommandLog(const std::string& scenario_json, CommandLogLimits limits = {});

    // From the broker thread, after each round.
    void add_round(const std::vector<sim::TimedCommand>& applied, TimeMs now);

    // A new reader: the history goes out first, then every round as it comes. Refused, with
    // why and which flag bounds it, when too many read or the history passed its bound.
    struct Refusal {
        int status;  // 429 or 503
        std::string message;
    };
    std::optional<Refusal> subscribe(const std::shared_ptr<StreamFeed>& feed);

    // Bounds for a reader's feed, for the rounds that arrive while it reads.
    static constexpr std::size_t kMaxLines = 1'000'000, kMaxBytes = std::size_t{64} << 20;
    static constexpr std::size_t kPieceBytes = 64 * 1024;

    std::size_t readers() const;
    std::size_t history_bytes() const;

private:
    void drop_gone_readers();  // with mutex_ held

    CommandLogLimits limits_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<const std::string>> pieces_;  // full pieces, never changed again
    std::string open_piece_;                                  // the piece being filled
    std::size_t history_bytes_ = 0;
    bool history_full_ = false;
    std::vector<std::shared_ptr<StreamFeed>> feeds_;
};

}  // namespace driftq::http
