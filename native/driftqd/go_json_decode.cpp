#include "native/driftqd/go_json_decode.hpp"

#include <cassert>
#include <cstdint>

#include "native/driftqd/go_json.hpp"

namespace driftq::http {

namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Go's encoding/json scanner (scanner.go), one byte at a time, with its error contexts. It only
// validates; the tree is built afterwards from the text it accepted.
class Scanner {
public:
    enum class Op { more, end, end_object, end_array, error };

    Op step(unsigned char c) { return dispatch(c); }
    // What a byte of white space after the input would do (Go feeds ' ' at EOF).
    Op step_space() { return dispatch(' '); }
    bool end_top() const { return end_top_; }
    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }

private:
    enum class State {
        begin_value, begin_value_or_empty, begin_string_or_empty, begin_string, end_value, end_top,
        in_string, in_string_esc, esc_u, esc_u1, esc_u12, esc_u123, neg, one, zero, dot, dot0, e,
        e_sign, e0, t, tr, tru, f, fa, fal, fals, n, nu, nul, error,
    };
    enum class Parse { object_key, object_value, array_value };
    static constexpr std::size_t kMaxDepth = 10000;  // Go's maxNestingDepth

    Op fail(unsigned char c, std::string_view context) {
        state_ = State::error;
        error_ = "invalid character " + go_quote_char(c) + " " + std::string(context);
        return Op::error;
    }
    Op push(unsigned char c, Parse p) {
        stack_.push_back(p);
        if (stack_.size() <= kMaxDepth) return Op::more;
        return fail(c, "exceeded max depth");
    }
    Op literal(unsigned char c, char want, State next, std::string_view name) {
        if (c == static_cast<unsigned char>(want)) {
            state_ = next;
            return Op::more;
        }
        return fail(c, "in literal " + std::string(name) + " (expecting '" + std::string(1, want) + "')");
    }

    Op begin_value(unsigned char c) {
        if (is_space(c)) return Op::more;
        switch (c) {
            case '{': state_ = State::begin_string_or_empty; return push(c, Parse::object_key);
            case '[': state_ = State::begin_value_or_empty; return push(c, Parse::array_value);
            case '"': state_ = State::in_string; return Op::more;
            case '-': state_ = State::neg; return Op::more;
            case '0': state_ = State::zero; return Op::more;
            case 't': state_ = State::t; return Op::more;
            case 'f': state_ = State::f; return Op::more;
            case 'n': state_ = State::n; return Op::more;
            default: break;
        }
        if (c >= '1' && c <= '9') {
            state_ = State::one;
            return Op::more;
        }
        return fail(c, "looking for beginning of value");
    }

    Op end_value(unsigned char c) {
        if (stack_.empty()) {
            state_ = State::end_top;
            end_top_ = true;
            return end_top_step(c);
        }
        if (is_space(c)) {
            state_ = State::end_value;
            return Op::more;
        }
        switch (stack_.back()) {
            case Parse::object_key:
                if (c == ':') {
                    stack_.back() = Parse::object_value;
                    state_ = State::begin_value;
                    return Op::more;
                }
                return fail(c, "after object key");
            case Parse::object_value:
                if (c == ',') {
                    stack_.back() = Parse::object_key;
                    state_ = State::begin_string;
                    return Op::more;
                }
                if (c == '}') return pop(Op::end_object);
                return fail(c, "after object key:value pair");
            case Parse::array_value:
                if (c == ',') {
                    state_ = State::begin_value;
                    return Op::more;
                }
                if (c == ']') return pop(Op::end_array);
                return fail(c, "after array element");
        }
        return fail(c, "");
    }
    Op pop(Op op) {
        stack_.pop_back();
        state_ = stack_.empty() ? State::end_top : State::end_value;
        if (stack_.empty()) end_top_ = true;
        return op;
    }
    // After the top-level value: a non-space byte is an error for the next step (Unmarshal), but
    // the value itself is complete (the Decoder stops here).
    Op end_top_step(unsigned char c) {
        if (!is_space(c) && error_.empty()) {
            (void)fail(c, "after top-level value");
        }
        return Op::end;
    }
    Op number_end(unsigned char c) { return end_value(c); }

    Op dispatch(unsigned char c) {
        switch (state_) {
            case State::begin_value: return begin_value(c);
            case State::begin_value_or_empty:
                if (is_space(c)) return Op::more;
                if (c == ']') return end_value(c);
                return begin_value(c);
            case State::begin_string_or_empty:
                if (is_space(c)) return Op::more;
                if (c == '}') {
                    stack_.back() = Parse::object_value;
                    return end_value(c);
                }
                [[fallthrough]];
            case State::begin_string:
                if (is_space(c)) return Op::more;
                if (c == '"') {
                    state_ = State::in_string;
                    return Op::more;
                }
                return fail(c, "looking for beginning of object key string");
            case State::end_value: return end_value(c);
            case State::end_top: return end_top_step(c);
            case State::in_string:
                if (c == '"') state_ = State::end_value;
                else if (c == '\\') state_ = State::in_string_esc;
                else if (c < 0x20) return fail(c, "in string literal");
                return Op::more;
            case State::in_string_esc:
                switch (c) {
                    case 'b': case 'f': case 'n': case 'r': case 't': case '\\': case '/': case '"':
                        state_ = State::in_string;
                        return Op::more;
                    case 'u': state_ = State::esc_u; return Op::more;
                    default: return fail(c, "in string escape code");
                }
            case State::esc_u:
            case State::esc_u1:
            case State::esc_u12:
            case State::esc_u123: {
                if (!is_hex(c)) return fail(c, "in \\u hexadecimal character escape");
                state_ = state_ == State::esc_u ? State::esc_u1 : state_ == State::esc_u1 ? State::esc_u12
                       : state_ == State::esc_u12 ? State::esc_u123 : State::in_string;
                return Op::more;
            }
            case State::neg:
                if (c == '0') state_ = State::zero;
                else if (c >= '1' && c <= '9') state_ = State::one;
                else return fail(c, "in numeric literal");
                return Op::more;
            case State::one:
                if (is_digit(c)) return Op::more;
                [[fallthrough]];
            case State::zero:
                if (c == '.') state_ = State::dot;
                else if (c == 'e' || c == 'E') state_ = State::e;
                else return number_end(c);
                return Op::more;
            case State::dot:
                if (!is_digit(c)) return fail(c, "after decimal point in numeric literal");
                state_ = State::dot0;
                return Op::more;
            case State::dot0:
                if (is_digit(c)) return Op::more;
                if (c == 'e' || c == 'E') {
                    state_ = State::e;
                    return Op::more;
                }
                return number_end(c);
            case State::e:
                if (c == '+' || c == '-') {
                    state_ = State::e_sign;
                    return Op::more;
                }
                [[fallthrough]];
            case State::e_sign:
                if (!is_digit(c)) return fail(c, "in exponent of numeric literal");
                state_ = State::e0;
                return Op::more;
            case State::e0:
                if (is_digit(c)) return Op::more;
                return number_end(c);
            case State::t: return literal(c, 'r', State::tr, "true");
            case State::tr: return literal(c, 'u', State::tru, "true");
            case State::tru: return literal(c, 'e', State::end_value, "true");
            case State::f: return literal(c, 'a', State::fa, "false");
            case State::fa: return literal(c, 'l', State::fal, "false");
            case State::fal: return literal(c, 's', State::fals, "false");
            case State::fals: return literal(c, 'e', State::end_value, "false");
            case State::n: return literal(c, 'u', State::nu, "null");
            case State::nu: return literal(c, 'l', State::nul, "null");
            case State::nul: return literal(c, 'l', State::end_value, "null");
            case State::error: return Op::error;
        }
        return Op::error;
    }

    State state_ = State::begin_value;
    std::vector<Parse> stack_;
    bool end_top_ = false;
    std::string error_;
};

std::uint32_t hex4(std::string_view s) {
    std::uint32_t v = 0;
    for (char ch : s.substr(0, 4)) {
        const auto c = static_cast<unsigned char>(ch);
        v = v * 16 + (is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

// Go's unquote of a scanned string literal (quotes included in `s`).
std::string unquote(std::string_view s) {
    s = s.substr(1, s.size() - 2);
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '\\') {
            const char e = s[i + 1];
            i += 2;
            switch (e) {
                case 'b': out += '\b'; continue;
                case 'f': out += '\f'; continue;
                case 'n': out += '\n'; continue;
                case 'r': out += '\r'; continue;
                case 't': out += '\t'; continue;
                case 'u': break;
                default: out += e; continue;  // '"', '\\', '/'
            }
            std::uint32_t r = hex4(s.substr(i));
            i += 4;
            if (r >= 0xD800 && r < 0xE000) {
                // A high surrogate followed by a \u low surrogate is one rune; anything else is U+FFFD.
                const bool pair = r < 0xDC00 && i + 6 <= s.size() && s[i] == '\\' && s[i + 1] == 'u';
                const std::uint32_t low = pair ? hex4(s.substr(i + 2)) : 0;
                if (pair && low >= 0xDC00 && low < 0xE000) {
                    r = 0x10000 + ((r - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                } else {
                    r = 0xFFFD;
                }
            }
            append_utf8(out, r);
            continue;
        }
        std::uint32_t rune = 0;
        const std::size_t n = go_utf8_length(s.substr(i), rune);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::size_t skip_space(std::string_view s, std::size_t i) {
    while (i < s.size() && is_space(static_cast<unsigned char>(s[i]))) ++i;
    return i;
}

// End of the string literal starting at s[i] (just past its closing quote).
std::size_t string_end(std::string_view s, std::size_t i) {
    for (++i; s[i] != '"'; ++i) {
        if (s[i] == '\\') ++i;
    }
    return i + 1;
}

// Builds the tree of a value the scanner accepted, iteratively (nesting may be 10,000 deep).
JsonValue build(std::string_view s) {
    JsonValue root;
    std::vector<JsonValue*> open;  // containers being filled; only the innermost grows
    std::size_t i = 0;
    auto slot = [&]() -> JsonValue& {
        if (open.empty()) return root;
        JsonValue& top = *open.back();
        if (top.type == JsonValue::Type::array) return top.items.emplace_back();
        return top.members.back().second;
    };
    auto read_key = [&] {
        i = skip_space(s, i);
        const std::size_t end = string_end(s, i);
        open.back()->members.emplace_back(unquote(s.substr(i, end - i)), JsonValue{});
        i = skip_space(s, end) + 1;  // past ':'
    };
    for (;;) {
        i = skip_space(s, i);
        JsonValue& v = slot();
        const char c = s[i];
        bool container = false;
        if (c == '{' || c == '[') {
            v.type = c == '{' ? JsonValue::Type::object : JsonValue::Type::array;
            i = skip_space(s, i + 1);
            if (s[i] != (c == '{' ? '}' : ']')) {
                open.push_back(&v);
                if (c == '{') read_key();
                container = true;
            } else {
                ++i;
            }
        } else if (c == '"') {
            const std::size_t end = string_end(s, i);
            v.type = JsonValue::Type::string;
            v.text = unquote(s.substr(i, end - i));
            i = end;
        } else if (c == 't' || c == 'f' || c == 'n') {
            v.type = c == 'n' ? JsonValue::Type::null : JsonValue::Type::boolean;
            v.boolean = c == 't';
            i += c == 'f' ? 5 : 4;
        } else {
            const std::size_t start = i;
            while (i < s.size() && (is_digit(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == '+' ||
                                    s[i] == '.' || s[i] == 'e' || s[i] == 'E')) {
                ++i;
            }
            v.type = JsonValue::Type::number;
            v.text = std::string(s.substr(start, i - start));
        }
        if (container) continue;
        // Close finished containers, or move to the next element.
        for (;;) {
            if (open.empty()) return root;
            i = skip_space(s, i);
            if (s[i] == ',') {
                ++i;
                if (open.back()->type == JsonValue::Type::object) read_key();
                break;
            }
            ++i;  // '}' or ']'
            open.pop_back();
        }
    }
}

}  // namespace

std::string_view JsonValue::kind_name() const {
    switch (type) {
        case Type::null: return "null";
        case Type::boolean: return "bool";
        case Type::number: return "number";
        case Type::string: return "string";
        case Type::array: return "array";
        case Type::object: return "object";
    }
    return "";
}

std::string go_quote_char(unsigned char c) {
    if (c == '\'') return "'\\''";
    if (c == '"') return "'\"'";
    // strconv.Quote of the rune U+00XX, without its double quotes.
    switch (c) {
        case '\a': return "'\\a'";
        case '\b': return "'\\b'";
        case '\f': return "'\\f'";
        case '\n': return "'\\n'";
        case '\r': return "'\\r'";
        case '\t': return "'\\t'";
        case '\v': return "'\\v'";
        case '\\': return "'\\\\'";
        default: break;
    }
    constexpr char kHex[] = "0123456789abcdef";
    if (c < 0x20 || c == 0x7F) return std::string("'\\x") + kHex[c >> 4] + kHex[c & 15] + "'";
    if (c >= 0x80 && c < 0xA0) return std::string("'\\u00") + kHex[c >> 4] + kHex[c & 15] + "'";
    if (c == 0xAD) return "'\\u00ad'";  // soft hyphen: not printable for strconv
    std::string out = "'";
    append_utf8(out, c);
    return out + "'";
}

Result<JsonValue> go_decode_first(std::string_view body) {
    Scanner scan;
    std::size_t end = body.size();
    bool done = false;
    for (std::size_t i = 0; i < body.size() && !done; ++i) {
        switch (scan.step(static_cast<unsigned char>(body[i]))) {
            case Scanner::Op::end:  // decided by the byte after the value
                end = i;
                done = true;
                break;
            case Scanner::Op::end_object:
            case Scanner::Op::end_array:
                if (scan.end_top()) {
                    end = i + 1;
                    done = true;
                }
                break;
            case Scanner::Op::error: return make_error(Errc::invalid_argument, scan.error());
            case Scanner::Op::more: break;
        }
    }
    if (!done) {
        if (scan.step_space() != Scanner::Op::end) {
            const bool blank = skip_space(body, 0) == body.size();
            return make_error(Errc::invalid_argument, blank ? "EOF" : "unexpected EOF");
        }
    }
    return build(body.substr(0, end));
}

Result<JsonValue> go_unmarshal(std::string_view body) {
    Scanner scan;
    for (char c : body) {
        if (scan.step(static_cast<unsigned char>(c)) == Scanner::Op::error) {
            return make_error(Errc::invalid_argument, scan.error());
        }
        if (scan.failed()) break;  // a byte after the top-level value: reported below
    }
    if (scan.failed()) return make_error(Errc::invalid_argument, scan.error());
    if (!scan.end_top()) {
        // Go's scanner.eof(): one more space decides; a literal cut short fails on that space.
        (void)scan.step_space();
        if (scan.failed()) return make_error(Errc::invalid_argument, scan.error());
        if (!scan.end_top()) return make_error(Errc::invalid_argument, "unexpected end of JSON input");
    }
    return build(body);
}

}  // namespace driftq::http
