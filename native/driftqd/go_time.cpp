#include "native/driftqd/go_time.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>

namespace driftq::http {

namespace {

constexpr std::string_view kLayout = "2006-01-02T15:04:05Z07:00";

bool digit_at(std::string_view s, std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

bool leap(std::int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }
int days_in(int month, std::int64_t year) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 31;
    return month == 2 && leap(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// Go's time.quote: non-ASCII and control bytes as \xHH, '"' and '\\' escaped.
std::string quote(std::string_view s) {
    constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80 || c < 0x20) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            if (c == '"' || c == '\\') out += '\\';
            out += ch;
        }
    }
    return out + "\"";
}

Error parse_error(std::string_view value, std::string_view value_elem, std::string_view layout_elem) {
    return make_error(Errc::invalid_argument, "parsing time " + quote(value) + " as " + quote(kLayout) +
                                                  ": cannot parse " + quote(value_elem) + " as " + quote(layout_elem));
}
Error message_error(std::string_view value, std::string_view message) {
    return make_error(Errc::invalid_argument, "parsing time " + quote(value) + std::string(message));
}

struct Fields {
    std::int64_t year = 0;
    int month = 0, day = 0, hour = 0, minute = 0, second = 0;
    std::int64_t nanos = 0;
    std::int64_t offset_s = 0;  // east of UTC
};

TimeMs to_unix_ms(const Fields& f) {
    const std::int64_t days = days_from_civil(f.year, f.month, f.day);
    const std::int64_t secs = days * 86400 + f.hour * 3600 + f.minute * 60 + f.second - f.offset_s;
    return secs * 1000 + f.nanos / 1'000'000;
}

// Nanoseconds of a fraction ".ddd..." of `n` bytes (digits past the ninth are dropped).
std::int64_t nanoseconds(std::string_view frac, std::size_t n) {
    std::int64_t ns = 0;
    std::size_t digits = 0;
    for (std::size_t i = 1; i < n && digits < 9; ++i, ++digits) ns = ns * 10 + (frac[i] - '0');
    for (; digits < 9; ++digits) ns *= 10;
    return ns;
}

// Go's parseRFC3339 fast path: the strict form only.
std::optional<Fields> parse_fast(std::string_view s) {
    if (s.size() < 19) return std::nullopt;
    bool ok = true;
    auto num = [&](std::string_view part, int lo, int hi) {
        int x = 0;
        for (char c : part) {
            if (c < '0' || c > '9') {
                ok = false;
                return lo;
            }
            x = x * 10 + (c - '0');
        }
        if (x < lo || x > hi) {
            ok = false;
            return lo;
        }
        return x;
    };
    Fields f;
    f.year = num(s.substr(0, 4), 0, 9999);
    f.month = num(s.substr(5, 2), 1, 12);
    f.day = num(s.substr(8, 2), 1, days_in(f.month, f.year));
    f.hour = num(s.substr(11, 2), 0, 23);
    f.minute = num(s.substr(14, 2), 0, 59);
    f.second = num(s.substr(17, 2), 0, 59);
    if (!ok || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
    s.remove_prefix(19);
    if (s.size() >= 2 && s[0] == '.' && digit_at(s, 1)) {
        std::size_t n = 2;
        while (digit_at(s, n)) ++n;
        f.nanos = nanoseconds(s, n);
        s.remove_prefix(n);
    }
    if (s.size() == 1 && s[0] == 'Z') return f;
    if (s.size() != 6) return std::nullopt;
    const int hr = num(s.substr(1, 2), 0, 23);
    const int mm = num(s.substr(4, 2), 0, 59);
    if (!ok || (s[0] != '-' && s[0] != '+') || s[3] != ':') return std::nullopt;
    f.offset_s = (hr * 60 + mm) * 60 * (s[0] == '-' ? -1 : 1);
    return f;
}

// Go's getnum: one or two digits (`fixed`: exactly two).
std::optional<int> getnum(std::string_view& s, bool fixed) {
    if (!digit_at(s, 0)) return std::nullopt;
    if (!digit_at(s, 1)) {
        if (fixed) return std::nullopt;
        const int v = s[0] - '0';
        s.remove_prefix(1);
        return v;
    }
    const int v = (s[0] - '0') * 10 + (s[1] - '0');
    s.remove_prefix(2);
    return v;
}

// Go's generic time.Parse walk over the RFC 3339 layout, with its error for each element.
Result<Fields> parse_layout(std::string_view value) {
    struct Element {
        std::string_view prefix;  // literal text before it
        std::string_view std;     // the layout element
    };
    static constexpr Element kElements[] = {{"", "2006"}, {"-", "01"}, {"-", "02"}, {"T", "15"},
                                            {":", "04"},  {":", "05"}, {"", "Z07:00"}};
    Fields f;
    std::string_view rest = value;
    for (const Element& e : kElements) {
        if (rest.substr(0, e.prefix.size()) != e.prefix) {
            // skip() stops at the first byte that differs
            std::size_t k = 0;
            while (k < rest.size() && k < e.prefix.size() && rest[k] == e.prefix[k]) ++k;
            return parse_error(value, rest.substr(k), e.prefix);
        }
        rest.remove_prefix(e.prefix.size());
        // On a bad element Go names what is left of the value at that point: the year and the
        // zone consume their bytes before checking them, the two-digit fields do not.
        bool bad = false;
        std::string range;
        if (e.std == "2006") {
            bad = rest.size() < 4 || !digit_at(rest, 0);
            if (!bad) {
                const std::string_view y = rest.substr(0, 4);
                rest.remove_prefix(4);
                for (std::size_t i = 0; !bad && i < 4; ++i) bad = !digit_at(y, i);
                if (!bad) f.year = (y[0] - '0') * 1000 + (y[1] - '0') * 100 + (y[2] - '0') * 10 + (y[3] - '0');
            }
        } else if (e.std == "Z07:00") {
            if (!rest.empty() && rest[0] == 'Z') {
                rest.remove_prefix(1);
            } else if (rest.size() < 6 || rest[3] != ':') {
                bad = true;
            } else {
                const char sign = rest[0];
                std::string_view h = rest.substr(1, 2), m = rest.substr(4, 2);
                rest.remove_prefix(6);
                const auto hr = getnum(h, true);
                const auto mm = hr ? getnum(m, true) : std::nullopt;
                bad = !hr || !mm;
                if (!bad && *hr > 24) range = "time zone offset hour";
                if (!bad && *mm > 60) range = "time zone offset minute";
                if (!bad) f.offset_s = (*hr * 60 + *mm) * 60;
                if (sign == '-') f.offset_s = -f.offset_s;
                else if (sign != '+') bad = true;
            }
        } else {
            const auto n = getnum(rest, e.std != "15");
            bad = !n;
            if (n && e.std == "01") {
                f.month = *n;
                if (*n <= 0 || *n > 12) range = "month";
            } else if (n && e.std == "02") {
                f.day = *n;
            } else if (n && e.std == "15") {
                f.hour = *n;
                if (*n >= 24) range = "hour";
            } else if (n && e.std == "04") {
                f.minute = *n;
                if (*n >= 60) range = "minute";
            } else if (n) {
                f.second = *n;
                if (*n >= 60) range = "second";
                else if (rest.size() >= 2 && (rest[0] == '.' || rest[0] == ',') && digit_at(rest, 1)) {
                    std::size_t k = 2;
                    while (digit_at(rest, k)) ++k;
                    f.nanos = nanoseconds(rest, k);
                    rest.remove_prefix(k);
                }
            }
        }
        if (!range.empty()) return message_error(value, ": " + range + " out of range");
        if (bad) return parse_error(value, rest, e.std);
    }
    if (!rest.empty()) return message_error(value, ": extra text: " + quote(rest));
    if (f.day < 1 || f.day > days_in(f.month, f.year)) return message_error(value, ": day out of range");
    return f;
}

}  // namespace

Result<TimeMs> go_parse_rfc3339(std::string_view value) {
    if (const auto f = parse_fast(value)) return to_unix_ms(*f);
    auto f = parse_layout(value);
    if (!f) return f.error();
    return to_unix_ms(f.value());
}

Result<TimeMs> go_parse_rfc3339_strict(std::string_view b) {
    if (const auto f = parse_fast(b)) return to_unix_ms(*f);
    auto f = parse_layout(b);
    if (!f) return f.error();
    // What the layout walk lets through but RFC 3339 does not (Go issue 54580).
    auto num2 = [](std::string_view s) { return 10 * (s[0] - '0') + (s[1] - '0'); };
    if (b.size() > 12 && b[12] == ':') return parse_error(b, b.substr(11, 1), "15");
    if (b.size() > 19 && b[19] == ',') return parse_error(b, ",", ".");
    if (b.back() != 'Z') {
        if (num2(b.substr(b.size() - 5)) >= 24) return message_error(b, ": timezone hour out of range");
        if (num2(b.substr(b.size() - 2)) >= 60) return message_error(b, ": timezone minute out of range");
    }
    return parse_error(b, b, kLayout);
}

std::string go_format_rfc3339_nano(TimeMs ms) {
    std::int64_t days = ms / 86'400'000;
    std::int64_t rem = ms % 86'400'000;
    if (rem < 0) {
        rem += 86'400'000;
        --days;
    }
    // civil_from_days (Howard Hinnant)
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const std::int64_t y = yoe + era * 400 + (m <= 2);
    char buf[64];
    const auto secs = rem / 1000;
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02lld:%02lld:%02lld", static_cast<long long>(y), m, d,
                  static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                  static_cast<long long>(secs % 60));
    std::string out = buf;
    if (const auto frac = rem % 1000) {
        std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(frac));
        std::string f = buf;
        while (f.back() == '0') f.pop_back();
        out += f;
    }
    return out + "Z";
}

}  // namespace driftq::http
