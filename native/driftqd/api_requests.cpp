#include "native/driftqd/api_requests.hpp"

#include <cctype>
#include <algorithm>
#include <climits>
#include <cstdio>
#include <map>
#include <functional>
#include <set>

#include "native/driftqd/go_json.hpp"
#include "native/driftqd/go_json_decode.hpp"
#include "native/driftqd/go_time.hpp"

namespace driftq::http {

namespace {

Error invalid(std::string message) { return make_error(Errc::invalid_argument, std::move(message)); }

bool unicode_space(std::uint32_t r) {
    return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0 || r == 0x1680 ||
           (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
}

// Go's strconv.Quote, as %q writes a key in "json: unknown field %q".
std::string go_quote(std::string_view s) {
    constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    while (!s.empty()) {
        std::uint32_t r = 0;
        const std::size_t n = go_utf8_length(s, r);
        const auto c = static_cast<unsigned char>(s[0]);
        if (n == 0) {
            out += std::string("\\x") + kHex[c >> 4] + kHex[c & 15];
            s.remove_prefix(1);
            continue;
        }
        switch (r) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\a': out += "\\a"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\v': out += "\\v"; break;
            default:
                if (r < 0x20 || r == 0x7F) out += std::string("\\x") + kHex[r >> 4] + kHex[r & 15];
                else if ((r >= 0x80 && r < 0xA0) || r == 0xAD || r == 0xFEFF) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(r));
                    out += buf;
                } else {
                    out.append(s.substr(0, n));
                }
        }
        s.remove_prefix(n);
    }
    return out + "\"";
}

// --- JSON into upstream's request structs, as encoding/json with DisallowUnknownFields does:
// keys matched case-insensitively, null leaves a field alone, the first type error or unknown
// field is kept while decoding goes on, and an Unmarshaler's error (time.Time) stops at once.
class StructDecoder {
public:
    // The first error to report, if any: a time error at once, else the first saved one.
    std::optional<std::string> failure() const { return stopped_ ? stopped_ : saved_; }

    struct Field {
        std::string_view name;
        std::function<void(const JsonValue&)> decode;
    };
    // Decodes `v` as struct `type_name` (Go's bare name, e.g. "RetryPolicy") with these fields;
    // `qualified` is its Go type ("v1.RetryPolicy") for type errors.
    void object(const JsonValue& v, std::string_view type_name, std::string_view qualified,
                const std::vector<Field>& fields) {
        if (v.type == JsonValue::Type::null) return;
        if (v.type != JsonValue::Type::object) return type_error(v.kind_name(), qualified);
        for (const auto& [key, value] : v.members) {
            if (stopped_) return;
            const Field* f = match(fields, key);
            if (!f) {
                save("json: unknown field " + go_quote(key));
                continue;
            }
            path_.push_back(std::string(f->name));
            const std::string outer = struct_;
            struct_ = std::string(type_name);
            f->decode(value);
            struct_ = outer;
            path_.pop_back();
        }
    }
    void string(const JsonValue& v, std::string& out) {
        if (v.type == JsonValue::Type::null) return;
        if (v.type != JsonValue::Type::string) return type_error(v.kind_name(), "string");
        out = v.text;
    }
    // An int field (`bits` 64 for Go's int and int64).
    void integer(const JsonValue& v, std::int64_t& out, std::string_view go_type) {
        if (v.type == JsonValue::Type::null) return;
        if (v.type != JsonValue::Type::number) return type_error(v.kind_name(), go_type);
        const auto n = go_parse_int(v.text);
        if (!n) return type_error("number " + v.text, go_type);
        out = *n;
    }
    void time(const JsonValue& v, std::optional<TimeMs>& out) {
        if (v.type == JsonValue::Type::null) {
            out.reset();
            return;
        }
        if (v.type != JsonValue::Type::string) {
            stopped_ = "Time.UnmarshalJSON: input is not a JSON string";
            return;
        }
        auto t = go_parse_rfc3339_strict(v.text);
        if (!t) stopped_ = t.error().message;
        else out = t.value();
    }

private:
    static const Field* match(const std::vector<Field>& fields, std::string_view key) {
        for (const Field& f : fields) {
            if (f.name == key) return &f;
        }
        for (const Field& f : fields) {
            if (f.name.size() == key.size() &&
                std::equal(key.begin(), key.end(), f.name.begin(), [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) == b;
                })) {
                return &f;
            }
        }
        return nullptr;
    }
    void save(std::string e) {
        if (!saved_) saved_ = std::move(e);
    }
    void type_error(std::string_view value, std::string_view go_type) {
        std::string where;
        if (path_.empty()) {
            where = "Go value";
        } else {
            where = "Go struct field " + struct_ + ".";
            for (std::size_t i = 0; i < path_.size(); ++i) where += (i ? "." : "") + path_[i];
        }
        save("json: cannot unmarshal " + std::string(value) + " into " + where + " of type " + std::string(go_type));
    }

    std::optional<std::string> saved_, stopped_;
    std::vector<std::string> path_;
    std::string struct_;
};

// Reads one JSON value from the body as json.Decoder does.
Result<JsonValue> decode_body(const HttpRequest& request) {
    auto v = go_decode_first(request.body);
    if (!v) return invalid("invalid json body: " + v.error().message);
    return v;
}

Status finish(const StructDecoder& d) {
    if (auto f = d.failure()) return invalid("invalid json body: " + *f);
    return {};
}

std::string query(const HttpRequest& r, std::string_view name) {
    return query_param(r.query(), name).value_or("");
}
std::string trimmed_query(const HttpRequest& r, std::string_view name) {
    return std::string(go_trim(query(r, name)));
}

// A retry policy's numbers as the core holds them (max_attempts is 32-bit there).
Status check_core_bounds(const Envelope& e, std::int64_t max_attempts) {
    if (max_attempts > INT32_MAX || max_attempts < INT32_MIN) {
        return invalid("retry max_attempts " + std::to_string(max_attempts) + " is out of range (at most 2147483647)");
    }
    (void)e;
    return {};
}

// Upstream multiplies deadline_ms by 1e6 into nanoseconds, which wraps past about 292 years
// from 1970: refused instead.
constexpr std::int64_t kMaxDeadlineMs = INT64_MAX / 1'000'000;

Result<std::optional<Envelope>> envelope_from_query(const HttpRequest& r) {
    Envelope e;
    bool any = false;
    auto text = [&](std::string_view name, std::string& out, std::string_view alias = {}) {
        std::string v = trimmed_query(r, name);
        if (v.empty() && !alias.empty()) v = trimmed_query(r, alias);
        if (!v.empty()) {
            out = std::move(v);
            any = true;
        }
    };
    text("run_id", e.run_id);
    text("step_id", e.step_id);
    text("parent_step_id", e.parent_step_id);
    text("tenant_id", e.tenant_id, "tenant");
    text("idempotency_key", e.idempotency_key, "idem_key");
    text("target_topic", e.target_topic);
    if (const std::string p = trimmed_query(r, "partition_override"); !p.empty()) {
        const auto n = go_parse_int(p);
        if (!n || *n < 0) return invalid("invalid partition_override");
        // The core's partitions are 32-bit: a larger override is out of range, as the broker says.
        if (*n > INT32_MAX) return invalid("partition_override out of range");
        e.partition_override = static_cast<std::int32_t>(*n);
        any = true;
    }
    if (const std::string d = trimmed_query(r, "deadline_rfc3339"); !d.empty()) {
        auto t = go_parse_rfc3339(d);
        if (!t) return invalid("invalid deadline_rfc3339: " + t.error().message);
        e.deadline_ms = t.value();
        any = true;
    } else if (const std::string ms = trimmed_query(r, "deadline_ms"); !ms.empty()) {
        const auto n = go_parse_int(ms);
        if (!n) {
            // Go tells a well-formed number too large for 64 bits from anything else.
            const std::string_view digits = std::string_view(ms).substr(ms[0] == '-' || ms[0] == '+' ? 1 : 0);
            const bool range = !digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos;
            return invalid("invalid deadline_ms: strconv.ParseInt: parsing " + go_quote(ms) +
                           (range ? ": value out of range" : ": invalid syntax"));
        }
        if (*n > kMaxDeadlineMs || *n < -kMaxDeadlineMs) {
            return invalid("invalid deadline_ms: " + ms + " is out of range (at most " +
                           std::to_string(kMaxDeadlineMs) + " ms from 1970 either way)");
        }
        e.deadline_ms = *n;
        any = true;
    }
    struct RetryParam {
        std::string_view name;
        int bits;
        std::int64_t value = 0;
        bool given = false;
    };
    RetryParam params[] = {{"retry_max_attempts", 64}, {"retry_backoff_ms", 64}, {"retry_max_backoff_ms", 64}};
    for (RetryParam& p : params) {
        const std::string v = trimmed_query(r, p.name);
        if (v.empty()) continue;
        const auto n = go_parse_int(v, p.bits);
        if (!n) return invalid("invalid " + std::string(p.name));
        p.value = *n;
        p.given = true;
    }
    for (const RetryParam& p : params) {
        if (p.value < 0) return invalid("invalid " + std::string(p.name));
    }
    if ((params[1].given || params[2].given) && params[0].value <= 0) {
        return invalid("retry_max_attempts must be > 0 when using retry backoff params");
    }
    if (params[0].value != 0 || params[1].value != 0 || params[2].value != 0) {
        if (Status s = check_core_bounds(e, params[0].value); !s) return s.error();
        e.retry_policy = RetryPolicy{static_cast<int>(params[0].value), params[1].value, params[2].value};
        any = true;
    }
    for (const RetryParam& p : params) any = any || p.given;
    if (!any) return std::optional<Envelope>{};
    return std::optional<Envelope>{std::move(e)};
}

Result<ProduceInput> produce_from_json(const HttpRequest& r) {
    auto root = decode_body(r);
    if (!root) return root.error();
    ProduceInput in;
    StructDecoder d;
    std::optional<Envelope> env;
    std::int64_t max_attempts = 0;
    auto retry_fields = [&](std::optional<RetryPolicy>& rp) {
        return std::vector<StructDecoder::Field>{
            {"max_attempts", [&](const JsonValue& v) { std::int64_t x = rp->max_attempts; d.integer(v, x, "int"); max_attempts = x; rp->max_attempts = static_cast<int>(x); }},
            {"backoff_ms", [&](const JsonValue& v) { d.integer(v, rp->backoff_ms, "int64"); }},
            {"max_backoff_ms", [&](const JsonValue& v) { d.integer(v, rp->max_backoff_ms, "int64"); }},
        };
    };
    auto envelope_fields = [&](Envelope& e) {
        return std::vector<StructDecoder::Field>{
            {"run_id", [&](const JsonValue& v) { d.string(v, e.run_id); }},
            {"step_id", [&](const JsonValue& v) { d.string(v, e.step_id); }},
            {"parent_step_id", [&](const JsonValue& v) { d.string(v, e.parent_step_id); }},
            {"tenant_id", [&](const JsonValue& v) { d.string(v, e.tenant_id); }},
            {"idempotency_key", [&](const JsonValue& v) { d.string(v, e.idempotency_key); }},
            {"target_topic", [&](const JsonValue& v) { d.string(v, e.target_topic); }},
            {"deadline", [&](const JsonValue& v) { d.time(v, e.deadline_ms); }},
            {"retry_policy", [&](const JsonValue& v) {
                 if (v.type == JsonValue::Type::null) return e.retry_policy.reset();
                 if (v.type == JsonValue::Type::object && !e.retry_policy) e.retry_policy.emplace();
                 if (!e.retry_policy) return d.object(v, "RetryPolicy", "v1.RetryPolicy", {});
                 d.object(v, "RetryPolicy", "v1.RetryPolicy", retry_fields(e.retry_policy));
             }},
            {"partition_override", [&](const JsonValue& v) {
                 if (v.type == JsonValue::Type::null) return e.partition_override.reset();
                 std::int64_t x = e.partition_override.value_or(0);
                 d.integer(v, x, "int");
                 if (v.type == JsonValue::Type::number && go_parse_int(v.text)) {
                     // Beyond the core's 32-bit partitions it is out of range, as the broker says.
                     e.partition_override = static_cast<std::int32_t>(std::clamp<std::int64_t>(x, INT32_MIN, INT32_MAX));
                 }
             }},
        };
    };
    d.object(root.value(), "ProduceRequest", "v1.ProduceRequest", {
        {"topic", [&](const JsonValue& v) { d.string(v, in.topic); }},
        {"key", [&](const JsonValue& v) { d.string(v, in.key); }},
        {"value", [&](const JsonValue& v) { d.string(v, in.value); }},
        {"envelope", [&](const JsonValue& v) {
             if (v.type == JsonValue::Type::null) return env.reset();
             if (v.type == JsonValue::Type::object && !env) env.emplace();
             if (!env) return d.object(v, "Envelope", "v1.Envelope", {});
             d.object(v, "Envelope", "v1.Envelope", envelope_fields(*env));
         }},
    });
    if (Status s = finish(d); !s) return s.error();
    if (env && env->retry_policy) {
        if (Status s = check_core_bounds(*env, max_attempts); !s) return s.error();
    }
    in.envelope = std::move(env);
    return in;
}

}  // namespace

std::string_view go_trim(std::string_view s) {
    auto space_at_start = [&](std::size_t& n) {
        std::uint32_t r = 0;
        n = go_utf8_length(s, r);
        return n != 0 && unicode_space(r);
    };
    std::size_t n = 0;
    while (!s.empty() && space_at_start(n)) s.remove_prefix(n);
    while (!s.empty()) {
        // Step back over one UTF-8 sequence.
        std::size_t start = s.size() - 1;
        while (start > 0 && s.size() - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
        std::uint32_t r = 0;
        const std::size_t len = go_utf8_length(s.substr(start), r);
        if (len != s.size() - start || !unicode_space(r)) break;
        s.remove_suffix(len);
    }
    return s;
}

std::optional<std::int64_t> go_parse_int(std::string_view s, int bits) {
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return std::nullopt;
    const std::uint64_t limit = bits >= 64 ? (std::uint64_t{1} << 63) : (std::uint64_t{1} << (bits - 1));
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        if (v > (limit - static_cast<std::uint64_t>(c - '0')) / 10) return std::nullopt;  // > limit
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (!negative && v >= limit) return std::nullopt;
    if (negative) return v == limit ? static_cast<std::int64_t>(-static_cast<std::int64_t>(limit - 1) - 1) : -static_cast<std::int64_t>(v);
    return static_cast<std::int64_t>(v);
}

Result<TopicInput> read_topic_input(const HttpRequest& r) {
    TopicInput in;
    std::string name;
    std::int64_t partitions = 0;
    if (r.has_body) {
        auto root = decode_body(r);
        if (!root) return root.error();
        StructDecoder d;
        d.object(root.value(), "TopicsCreateRequest", "v1.TopicsCreateRequest", {
            {"name", [&](const JsonValue& v) { d.string(v, name); }},
            {"partitions", [&](const JsonValue& v) { d.integer(v, partitions, "int"); }},
        });
        if (Status s = finish(d); !s) return s.error();
    } else {
        if (const auto p = query_param(r.query(), "partitions")) {
            const auto n = go_parse_int(*p);
            if (!n) return invalid("invalid partitions");
            partitions = *n;
        }
        name = query(r, "name");
    }
    in.name = std::string(go_trim(name));
    if (in.name.empty()) return invalid("name is required");
    if (partitions == 0) partitions = 1;
    if (partitions < 0) return invalid("invalid partitions");
    in.partitions = partitions;
    return in;
}

Result<ProduceInput> read_produce_input(const HttpRequest& r) {
    ProduceInput in;
    if (r.has_body) {
        auto j = produce_from_json(r);
        if (!j) return j;
        in = std::move(j.value());
    } else {
        in.topic = query(r, "topic");
        in.key = query(r, "key");
        in.value = query(r, "value");
        auto env = envelope_from_query(r);
        if (!env) return env.error();
        in.envelope = std::move(env.value());
    }
    if (go_trim(in.topic).empty() || in.value.empty()) return invalid("topic and value are required");
    return in;
}

Result<ConsumeInput> read_consume_input(const HttpRequest& r) {
    ConsumeInput in;
    std::int64_t lease = 0;
    if (r.has_body) {
        auto root = decode_body(r);
        if (!root) return root.error();
        StructDecoder d;
        d.object(root.value(), "ConsumeRequest", "v1.ConsumeRequest", {
            {"topic", [&](const JsonValue& v) { d.string(v, in.topic); }},
            {"group", [&](const JsonValue& v) { d.string(v, in.group); }},
            {"owner", [&](const JsonValue& v) { d.string(v, in.owner); }},
            {"lease_ms", [&](const JsonValue& v) { d.integer(v, lease, "int64"); }},
        });
        if (Status s = finish(d); !s) return s.error();
    } else {
        in.topic = query(r, "topic");
        in.group = query(r, "group");
        in.owner = query(r, "owner");
        if (const std::string l = trimmed_query(r, "lease_ms"); !l.empty()) {
            const auto n = go_parse_int(l);
            if (!n) return invalid("invalid lease_ms");
            lease = *n;
        }
    }
    in.topic = std::string(go_trim(in.topic));
    in.group = std::string(go_trim(in.group));
    in.owner = std::string(go_trim(in.owner));
    if (in.topic.empty() || in.group.empty() || in.owner.empty()) return invalid("topic, group, and owner are required");
    if (lease < 0) return invalid("invalid lease_ms");
    // Upstream multiplies by a million into a time.Duration, which wraps past this: refused.
    if (lease > kMaxDeadlineMs) {
        return invalid("invalid lease_ms: " + std::to_string(lease) + " is out of range (at most " + std::to_string(kMaxDeadlineMs) + ")");
    }
    in.lease_ms = lease;
    return in;
}

Result<AnswerInput> read_answer_input(const HttpRequest& r, bool nack) {
    AnswerInput in;
    if (r.has_body) {
        // json.Unmarshal into map[string]json.RawMessage; the last of repeated keys wins.
        auto root = go_unmarshal(r.body);
        if (!root) return invalid("invalid json body: " + root.error().message);
        const JsonValue& v = root.value();
        if (v.type != JsonValue::Type::object && v.type != JsonValue::Type::null) {
            return invalid("invalid json body: json: cannot unmarshal " + std::string(v.kind_name()) +
                           " into Go value of type map[string]json.RawMessage");
        }
        std::map<std::string, const JsonValue*> fields;
        for (const auto& [key, value] : v.members) fields[key] = &value;
        // Go reports whichever unknown key its map yields first; we report the smallest.
        std::set<std::string> allowed = {"topic", "group", "owner", "partition", "offset"};
        if (nack) allowed.insert("reason");
        for (const auto& [key, value] : fields) {
            if (!allowed.count(key)) return invalid("unknown field: " + key);
        }
        auto text = [&](const char* name, std::string& out) {  // wrong types silently give ""
            auto it = fields.find(name);
            if (it != fields.end() && it->second->type == JsonValue::Type::string) out = it->second->text;
        };
        auto number = [&](const char* name, std::int64_t& out, int bits) {
            auto it = fields.find(name);
            if (it == fields.end() || it->second->type == JsonValue::Type::null) return true;
            if (it->second->type != JsonValue::Type::number) return false;
            const auto n = go_parse_int(it->second->text, bits);
            if (n) out = *n;
            return n.has_value();
        };
        text("topic", in.topic);
        text("group", in.group);
        text("owner", in.owner);
        text("reason", in.reason);
        if (!number("partition", in.partition, 64)) return invalid("invalid partition");
        if (!number("offset", in.offset, 64)) return invalid("invalid offset");
    } else {
        const std::string p = trimmed_query(r, "partition");
        const std::string o = trimmed_query(r, "offset");
        if (p.empty() || o.empty()) return invalid("partition and offset are required");
        const auto pn = go_parse_int(p, 32);
        if (!pn) return invalid("invalid partition");
        const auto on = go_parse_int(o, 64);
        if (!on) return invalid("invalid offset");
        in.partition = *pn;
        in.offset = *on;
        in.topic = query(r, "topic");
        in.group = query(r, "group");
        in.owner = query(r, "owner");
        in.reason = query(r, "reason");
    }
    in.topic = std::string(go_trim(in.topic));
    in.group = std::string(go_trim(in.group));
    in.owner = std::string(go_trim(in.owner));
    in.reason = std::string(go_trim(in.reason));
    if (in.topic.empty() || in.group.empty() || in.owner.empty()) return invalid("topic, group, and owner are required");
    return in;
}

}  // namespace driftq::http
