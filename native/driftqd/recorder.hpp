// `driftqd --record FILE`: every command the live broker applies, with its time and the result it
// got, written as an ordinary scenario file (docs/scenario-format.md) that `driftq-sim run` and
// the visualiser replay with the same trace. The file is valid JSON after every append: each
// entry is written over the previous closing brackets, followed by new ones, so a process killed
// mid-session leaves a replayable file of everything recorded up to its last flush.
#pragma once

#include <cstdio>
#include <string>

#include "base/error.hpp"
#include "sim/command.hpp"

namespace driftq::http {

class Recorder {
public:
    // Creates FILE with `head`: the scenario's JSON object up to (not including) its timeline,
    // e.g. {"name": ..., "broker": {...}, "wal": {...}, "router": [...]} without the final '}'.
    static Result<std::unique_ptr<Recorder>> create(const std::string& path, std::string head);
    ~Recorder();
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // Appends one entry (buffered until flush()).
    void add(const sim::TimedCommand& entry);
    // Writes what was added and closes the file's JSON with until_ms = `until`.
    Status flush(TimeMs until);
    std::size_t entries() const { return entries_; }

private:
    explicit Recorder(std::FILE* f) : file_(f) {}
    std::FILE* file_;
    std::string pending_;
    long tail_at_ = 0;  // where the closing brackets start
    std::size_t entries_ = 0;
};

}  // namespace driftq::http
