// session.json, the session the web playground keeps in the browser: read and written here, with
// every field checked, so that a damaged or foreign file is refused with what is wrong and where.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "base/time.hpp"

namespace driftq::web {

inline constexpr int kSessionFormat = 1;

struct SavedSession {
    int format = kSessionFormat;
    std::string engine;    // the engine version that saved it
    std::string name;      // the scenario's file name
    TimeMs at_ms = 0;      // where the cursor was
    std::size_t commands = 0;  // the person's commands, now in the scenario's timeline
    std::string scenario;  // the scenario file's text
};

// Errors name the file and the field: "session.json: /at_ms: expected a whole number >= 0".
Result<SavedSession> read_saved_session(std::string_view text, const std::string& file);
std::string write_saved_session(const SavedSession& s);

}  // namespace driftq::web
