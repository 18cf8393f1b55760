// One consume stream between the broker thread, which pushes the NDJSON lines of the deliveries
// its consumer takes, and the HTTP connection, which writes them as they go out. Bounded: a
// consumer that stops reading lets lines pile up here (its socket is full); past the bound the
// feed overflows, the broker unsubscribes that consumer (its deliveries go back to the group
// when their leases run out) and the connection ends the stream. Thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace driftq::http {

class StreamFeed {
public:
    StreamFeed(std::size_t max_lines, std::size_t max_bytes) : max_lines_(max_lines), max_bytes_(max_bytes) {}

    // --- the broker's side
    // Queues a line; false once the feed is over its bounds or closed (the line is dropped).
    bool push(std::string line);
    // Text that goes out before every line pushed (a history shared by many readers, not
    // copied and not counted against the bounds); taken a few pieces at a time. Set it before
    // the first push.
    void set_history(std::vector<std::shared_ptr<const std::string>> pieces);
    // No more lines: the stream ends after those queued (shutdown).
    void end();

    // --- the connection's side
    // Called from the pushing thread when lines arrive or the feed ends or overflows; it should
    // only schedule work on the connection's own thread.
    void set_wake(std::function<void()> wake);
    struct Taken {
        // History pieces not yet written, a bounded few per take; lines only once it is done.
        std::vector<std::shared_ptr<const std::string>> history;
        std::vector<std::string> lines;
        bool ended = false;       // end() or overflow: finish the stream after these lines
        bool overflowed = false;  // the consumer fell too far behind
        bool more = false;        // only history was taken: take again once it is written
    };
    Taken take();
    // The client went away (or the connection closed): tells the broker once, through the
    // callback it set.
    void client_gone();
    void set_on_client_gone(std::function<void()> fn);

    std::size_t queued_lines() const;
    // Whether it went over its bound (the consumer fell too far behind).
    bool overflowed() const;
    // Whether push() would still take a line (not ended, overflowed or abandoned by its client).
    bool push_allowed() const;

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
    std::size_t bytes_ = 0;
    std::vector<std::shared_ptr<const std::string>> history_;
    std::size_t history_next_ = 0;  // the first piece not yet taken
    std::size_t max_lines_, max_bytes_;
    bool ended_ = false, overflowed_ = false, gone_ = false;
    std::function<void()> wake_, on_gone_;
};

}  // namespace driftq::http
