#include "native/driftqd/field_bounds.hpp"

#include <initializer_list>
#include <utility>

namespace driftq::http {

std::optional<std::string> too_long(std::string_view what, std::string_view value, std::size_t limit, std::string_view flag) {
    if (value.size() <= limit) return std::nullopt;
    return std::string(what) + " is " + std::to_string(value.size()) + " bytes; at most " + std::to_string(limit) +
           " are allowed (" + std::string(flag) + ")";
}

std::optional<std::string> name_too_long(const std::string& group, const std::string& owner, const FieldBounds& b) {
    if (auto e = too_long("group", group, b.max_name_bytes, "--max-name-bytes")) return e;
    return too_long("owner", owner, b.max_name_bytes, "--max-name-bytes");
}

std::optional<std::string> envelope_too_long(const Envelope& e, const FieldBounds& b) {
    const std::initializer_list<std::pair<std::string_view, const std::string*>> texts = {
        {"run_id", &e.run_id},           {"step_id", &e.step_id},
        {"parent_step_id", &e.parent_step_id}, {"tenant_id", &e.tenant_id},
        {"idempotency_key", &e.idempotency_key}, {"target_topic", &e.target_topic},
    };
    for (const auto& [what, text] : texts) {
        if (auto err = too_long(what, *text, b.max_field_bytes, "--max-field-bytes")) return err;
    }
    for (const auto& [key, value] : e.labels) {
        if (auto err = too_long("a label's name", key, b.max_field_bytes, "--max-field-bytes")) return err;
        if (auto err = too_long("label " + key.substr(0, 64), value, b.max_field_bytes, "--max-field-bytes")) return err;
    }
    return std::nullopt;
}

}  // namespace driftq::http
