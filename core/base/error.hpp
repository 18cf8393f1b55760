// Errors are values. Every fallible core operation returns a Status or a Result<T>; nothing
// throws across the core API. Messages are the reference broker's exact strings, so that the
// HTTP layer can pass them through unchanged.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace driftq {

enum class Errc {
    invalid_argument,     // empty names, negative numbers, zero partitions
    topic_not_found,      // "topic does not exist" / "... (create it first)"
    out_of_range,         // partition or partition_override outside the topic
    deadline_exceeded,    // envelope deadline already passed at produce time
    producer_overloaded,  // backpressure: partition buffer full (HTTP 429)
    not_in_flight,        // ack/nack of a message that is not in flight
    not_owner,            // ack/nack by someone who is not the latest receiver (HTTP 409)
    idem_in_flight,       // produce-scope key is PENDING
    idem_lease_held,      // consume-scope lease held by another owner
    idem_lease_lost,      // consume-scope lease expired or not PENDING
    idem_not_found,       // consume-scope key unknown
    idem_bad_lease,       // lease outside the configured bounds
    io_error,             // storage failed (disk full, permission, missing file)
    corrupt_data,         // a WAL record or file failed its checks
    unsupported,          // a newer format version or an unknown mandatory record type
    too_large,            // over a configured bound: message size, partitions, name length (HTTP 413)
};

std::string_view to_string(Errc code);

struct Error {
    Errc code;
    std::string message;  // exact reference text, e.g. "producer overload: partition_buffer_full"
    std::string reason;   // machine reason for overloads ("partition_buffer_full"), else empty

    bool operator==(const Error&) const = default;
};

inline Error make_error(Errc code, std::string message, std::string reason = {}) {
    return Error{code, std::move(message), std::move(reason)};
}

// Status: success or an Error.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error e) : error_(std::move(e)), failed_(true) {}  // NOLINT: implicit by design

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const {
        assert(failed_);
        return error_;
    }
    const std::string& message() const { return error_.message; }

private:
    Error error_{Errc::invalid_argument, {}, {}};
    bool failed_ = false;
};

// Result<T>: a value or an Error (a small std::expected for C++20).
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
    Result(Error e) : v_(std::move(e)) {}      // NOLINT: implicit by design

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T& value() const& {
        assert(ok());
        return std::get<0>(v_);
    }
    T& value() & {
        assert(ok());
        return std::get<0>(v_);
    }
    // By value, so that `for (auto& x : f().value())` does not dangle.
    T value() && {
        assert(ok());
        return std::get<0>(std::move(v_));
    }
    const T* operator->() const { return &value(); }
    const Error& error() const {
        assert(!ok());
        return std::get<1>(v_);
    }
    Status status() const { return ok() ? Status{} : Status{error()}; }

private:
    std::variant<T, Error> v_;
};

}  // namespace driftq
