#include "web/saved_session.hpp"

#include <nlohmann/json.hpp>

namespace driftq::web {

namespace {

using nlohmann::json;

Error bad(const std::string& file, const std::string& where, const std::string& what) {
    return make_error(Errc::invalid_argument, file + ": " + where + ": " + what);
}

}  // namespace

Result<SavedSession> read_saved_session(std::string_view text, const std::string& file) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) return bad(file, "/", "not JSON");
    if (!j.is_object()) return bad(file, "/", "expected an object");
    SavedSession s;
    if (j.contains("format")) {
        if (!j["format"].is_number_integer()) return bad(file, "/format", "expected a whole number");
        if (j["format"].get<std::int64_t>() > kSessionFormat) {
            return bad(file, "/format", "saved by a newer playground (format " + j["format"].dump() +
                                            "; this one reads up to " + std::to_string(kSessionFormat) + ")");
        }
    }
    const auto text_field = [&](const char* key, std::string& out, bool required) -> Status {
        if (!j.contains(key)) return required ? Status(bad(file, std::string("/") + key, "missing")) : Status();
        if (!j[key].is_string()) return bad(file, std::string("/") + key, "expected a string");
        out = j[key].get<std::string>();
        return {};
    };
    const auto count_field = [&](const char* key, std::uint64_t& out) -> Status {
        if (!j.contains(key)) return {};
        if (!j[key].is_number_unsigned()) return bad(file, std::string("/") + key, "expected a whole number >= 0");
        out = j[key].get<std::uint64_t>();
        return {};
    };
    std::uint64_t at = 0, commands = 0;
    for (Status st : {text_field("scenario", s.scenario, true), text_field("name", s.name, false),
                      text_field("engine", s.engine, false), count_field("at_ms", at), count_field("commands", commands)}) {
        if (!st) return st.error();
    }
    if (at > static_cast<std::uint64_t>(INT64_MAX)) return bad(file, "/at_ms", "too large");
    s.at_ms = static_cast<TimeMs>(at);
    s.commands = static_cast<std::size_t>(commands);
    if (s.name.empty()) s.name = file;
    return s;
}

std::string write_saved_session(const SavedSession& s) {
    return json{{"format", s.format}, {"engine", s.engine}, {"name", s.name},
                {"at_ms", s.at_ms},   {"commands", s.commands}, {"scenario", s.scenario}}
        .dump();
}

}  // namespace driftq::web
